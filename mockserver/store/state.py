"""The containers of the mock's state and their cheap copy."""

from dataclasses import dataclass, field

from .records import ApiKey, Asset, Campaign, CatalogueTest, Company, Email, Invitation


@dataclass
class State:
    """Every record of one mock, keyed by id, in creation order.

    `invitation_index` indexes each campaign's invitations by the case-folded
    email address, which makes the uniqueness check and the campaign's
    invitation list cheap. Its values are invitation ids in creation order.
    """

    companies: dict[str, Company] = field(default_factory=dict)
    keys: dict[str, ApiKey] = field(default_factory=dict)
    catalogue: dict[str, CatalogueTest] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    invitations: dict[str, Invitation] = field(default_factory=dict)
    invitation_index: dict[str, dict[str, str]] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    emails: dict[str, Email] = field(default_factory=dict)

    def copy(self):
        """Return a copy that shares the immutable records but no container."""
        return State(
            companies=dict(self.companies),
            keys=dict(self.keys),
            catalogue=dict(self.catalogue),
            campaigns=dict(self.campaigns),
            invitations=dict(self.invitations),
            invitation_index={
                campaign_id: dict(index)
                for campaign_id, index in self.invitation_index.items()
            },
            assets=dict(self.assets),
            emails=dict(self.emails),
        )

    def add_campaign(self, campaign: Campaign):
        self.campaigns[campaign.campaign_id] = campaign
        self.invitation_index.setdefault(campaign.campaign_id, {})

    def add_invitation(self, invitation: Invitation):
        self.invitations[invitation.invitation_id] = invitation
        index = self.invitation_index.setdefault(invitation.campaign_id, {})
        index[invitation.email.casefold()] = invitation.invitation_id

    def remove_invitation(self, invitation: Invitation):
        del self.invitations[invitation.invitation_id]
        del self.invitation_index[invitation.campaign_id][invitation.email.casefold()]

    def campaign_invitations(self, campaign_id):
        """Return the campaign's invitations in creation order."""
        index = self.invitation_index.get(campaign_id, {})
        return [self.invitations[invitation_id] for invitation_id in index.values()]
