"""Invitation operations of the store, the email outbox and candidate progress."""

from dataclasses import replace

from ..errors import (
    CampaignNotAcceptingInvitations,
    CampaignNotActive,
    InvalidProgress,
    InvitationAlreadyCompleted,
    InvitationAlreadyExists,
    InvitationNotFound,
)
from .base import locked
from .records import INVITATION_STATUSES, Campaign, Email, Invitation

STANDARD_MESSAGE = (
    "You have been invited to complete an assessment. Follow the link below "
    "to start when you are ready."
)


def _check_accepts_invitations(campaign: Campaign):
    if campaign.status in ("completed", "archived"):
        raise CampaignNotAcceptingInvitations(
            f"Campaign '{campaign.campaign_id}' is {campaign.status} and takes no "
            "new invitations."
        )


def _check_can_send(campaign: Campaign):
    if campaign.status != "active":
        raise CampaignNotActive(
            f"Campaign '{campaign.campaign_id}' is {campaign.status}; emails are "
            "sent only for active campaigns. Set its status to 'active' first."
        )


class InvitationStore:
    """Invitations: `list_invitations`, `create_invitation`, `list_emails`, ..."""

    def _invitation(self, campaign_id, invitation_id) -> Invitation:
        invitation = self.state.invitations.get(invitation_id)
        if invitation is None or invitation.campaign_id != campaign_id:
            raise InvitationNotFound(
                f"No invitation '{invitation_id}' exists in campaign '{campaign_id}'."
            )
        return invitation

    def _check_unique(self, campaign_id, email):
        if email.casefold() in self.state.invitation_index.get(campaign_id, {}):
            raise InvitationAlreadyExists(
                f"An invitation for '{email}' already exists in campaign "
                f"'{campaign_id}'."
            )

    def _add_invitation(self, campaign: Campaign, fields, now) -> Invitation:
        invitation = Invitation(
            invitation_id=self.new_id("inv", self.state.invitations),
            campaign_id=campaign.campaign_id,
            email=fields["email"],
            first_name=fields.get("first_name", ""),
            last_name=fields.get("last_name", ""),
            message=fields.get("message", ""),
            status="pending",
            created_at=now,
            updated_at=now,
        )
        self.state.add_invitation(invitation)
        return invitation

    def _send_email(self, campaign, invitation, message, link_base, now):
        link = f"{link_base.rstrip('/')}/candidate/{invitation.invitation_id}"
        greeting = f"Hello {invitation.first_name}".rstrip() + ","
        email = Email(
            email_id=self.new_id("email", self.state.emails),
            to=invitation.email,
            subject=f"Invitation to the assessment: {campaign.name}",
            body=f"{greeting}\n\n{message or STANDARD_MESSAGE}\n\n{link}\n",
            link=link,
            invitation_id=invitation.invitation_id,
            campaign_id=campaign.campaign_id,
            company_id=campaign.company_id,
            sent_at=now,
        )
        self.state.emails[email.email_id] = email
        sent = replace(
            invitation,
            status="sent" if invitation.status == "pending" else invitation.status,
            sent_at=now,
            emails_sent=invitation.emails_sent + 1,
            updated_at=now,
        )
        self.state.invitations[invitation.invitation_id] = sent
        return sent

    @locked
    def list_invitations(self, company_id, campaign_id) -> list[Invitation]:
        self._campaign(company_id, campaign_id)
        return self.state.campaign_invitations(campaign_id)

    @locked
    def get_invitation(self, company_id, campaign_id, invitation_id) -> Invitation:
        """Return the invitation; raise CampaignNotFound or InvitationNotFound."""
        self._campaign(company_id, campaign_id)
        return self._invitation(campaign_id, invitation_id)

    @locked
    def create_invitation(
        self, company_id, campaign_id, fields, *, send_email, link_base
    ) -> Invitation:
        """Create an invitation and, if asked, record its email in the outbox.

        Raises CampaignNotAcceptingInvitations, then CampaignNotActive (only when
        sending), then InvitationAlreadyExists, in that order.
        """
        campaign = self._campaign(company_id, campaign_id)
        _check_accepts_invitations(campaign)
        if send_email:
            _check_can_send(campaign)
        self._check_unique(campaign_id, fields["email"])
        now = self.clock()
        invitation = self._add_invitation(campaign, fields, now)
        if send_email:
            invitation = self._send_email(
                campaign, invitation, invitation.message, link_base, now
            )
        return invitation

    @locked
    def create_invitations(
        self, company_id, campaign_id, items, *, send_emails, message, link_base
    ):
        """Create each `(index, fields)` item; return the created and the duplicates.

        The campaign rules apply to the whole request and raise before anything
        is created. Duplicates come back as `(index, email, error)` triples.
        """
        campaign = self._campaign(company_id, campaign_id)
        _check_accepts_invitations(campaign)
        if send_emails:
            _check_can_send(campaign)
        now = self.clock()
        created, duplicates = [], []
        for index, fields in items:
            try:
                self._check_unique(campaign_id, fields["email"])
            except InvitationAlreadyExists as error:
                duplicates.append((index, fields["email"], error))
                continue
            invitation = self._add_invitation(
                campaign, {**fields, "message": message}, now
            )
            if send_emails:
                invitation = self._send_email(
                    campaign, invitation, message, link_base, now
                )
            created.append(invitation)
        return created, duplicates

    @locked
    def send_invitation_email(
        self, company_id, campaign_id, invitation_id, *, message, link_base
    ) -> Invitation:
        """Record a new email for the invitation in the outbox.

        Raises CampaignNotAcceptingInvitations for a completed or archived
        campaign, CampaignNotActive for a draft or paused one, then
        InvitationAlreadyCompleted.
        """
        campaign = self._campaign(company_id, campaign_id)
        invitation = self._invitation(campaign_id, invitation_id)
        _check_accepts_invitations(campaign)
        _check_can_send(campaign)
        if invitation.status == "completed":
            raise InvitationAlreadyCompleted(
                f"Invitation '{invitation_id}' is completed; no email can be sent."
            )
        text = message if message is not None else invitation.message
        return self._send_email(campaign, invitation, text, link_base, self.clock())

    @locked
    def delete_invitation(self, company_id, campaign_id, invitation_id):
        self._campaign(company_id, campaign_id)
        self.state.remove_invitation(self._invitation(campaign_id, invitation_id))

    @locked
    def delete_invitations(self, company_id, campaign_id, invitation_ids):
        """Delete the campaign's invitations; return the deleted and the unknown ids."""
        self._campaign(company_id, campaign_id)
        deleted, not_found = [], []
        for invitation_id in dict.fromkeys(invitation_ids):
            invitation = self.state.invitations.get(invitation_id)
            if invitation is None or invitation.campaign_id != campaign_id:
                not_found.append(invitation_id)
                continue
            self.state.remove_invitation(invitation)
            deleted.append(invitation_id)
        return deleted, not_found

    @locked
    def progress_invitation(self, invitation_id, status, score=None) -> Invitation:
        """Move a candidate forward: opened, started or completed with a score.

        Raises InvitationNotFound, or InvalidProgress for a move to the
        current status, backwards, or from completed.
        """
        invitation = self.state.invitations.get(invitation_id)
        if invitation is None:
            raise InvitationNotFound(f"No invitation '{invitation_id}' exists.")
        current = INVITATION_STATUSES.index(invitation.status)
        target = INVITATION_STATUSES.index(status)
        if target <= current:
            raise InvalidProgress(
                f"Invitation '{invitation_id}' is {invitation.status} and cannot "
                f"move to {status}. Progress only moves forward along "
                + ", ".join(INVITATION_STATUSES)
                + "."
            )
        now = self.clock()
        progressed = replace(
            invitation,
            status=status,
            updated_at=now,
            score=score if status == "completed" else invitation.score,
            completed_at=now if status == "completed" else invitation.completed_at,
        )
        self.state.invitations[invitation_id] = progressed
        return progressed

    # The outbox.

    @locked
    def list_emails(self, campaign_id=None, to=None) -> list[Email]:
        """Return the outbox in sending order, filtered by campaign and recipient."""
        return [
            email
            for email in self.state.emails.values()
            if (campaign_id is None or email.campaign_id == campaign_id)
            and (to is None or email.to.casefold() == to.casefold())
        ]

    @locked
    def clear_emails(self):
        """Empty the outbox; return the number of emails removed."""
        count = len(self.state.emails)
        self.state.emails.clear()
        return count
