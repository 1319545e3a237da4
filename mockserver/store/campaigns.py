"""Campaign operations of the store, with statistics derived from invitations."""

import functools
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from ..errors import (
    CampaignArchived,
    CampaignNotFound,
    InvalidStatusTransition,
    ValidationError,
)
from .base import locked
from .records import Campaign, CampaignSettings, CatalogueTest, Invitation

# The statuses a campaign may move to from each status. Setting the current
# status again is allowed too, except on an archived campaign, which takes
# no update at all.
STATUS_TRANSITIONS = {
    "draft": ("active", "archived"),
    "active": ("paused", "completed", "archived"),
    "paused": ("active", "completed", "archived"),
    "completed": ("archived",),
    "archived": (),
}


def round_one_decimal(value: float | Decimal) -> float:
    """Round half up to one decimal, so 83.25 gives 83.3 and not 83.2.

    A float is taken at its shortest decimal form, so 0.15 rounds to 0.2.
    """
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return float(exact.quantize(Decimal("0.1"), ROUND_HALF_UP))


@dataclass(frozen=True)
class CampaignStatistics:
    total_invitations: int
    completed_assessments: int
    candidates_count: int
    completion_rate: float
    average_score: float | None


@dataclass(frozen=True)
class CampaignView:
    """A campaign with its statistics and resolved tests, as responses show it.

    `invitations` is the campaign's invitations when the view was made, taken
    under the store's lock. The statistics are computed from them on first
    use, so a list that sorts by a plain field computes them only for the
    page it returns, and they still describe that moment.
    """

    campaign_id: str
    company_id: str
    name: str
    description: str
    status: str
    created_at: datetime
    updated_at: datetime
    settings: CampaignSettings
    tests: tuple[CatalogueTest, ...]
    invitations: tuple[Invitation, ...] = field(repr=False, compare=False)

    @functools.cached_property
    def statistics(self) -> CampaignStatistics:
        return compute_statistics(self.invitations)

    @property
    def candidates_count(self):
        return self.statistics.candidates_count

    @property
    def invitations_sent(self):
        return self.statistics.total_invitations

    @property
    def completion_rate(self):
        return self.statistics.completion_rate


def compute_statistics(invitations) -> CampaignStatistics:
    """Derive a campaign's statistics from its invitations."""
    total = len(invitations)
    scores = [i.score for i in invitations if i.status == "completed"]
    completed = len(scores)
    candidates = sum(1 for i in invitations if i.status in ("started", "completed"))
    # Decimal arithmetic keeps halves exact: 23 of 80 is 28.75 %, which
    # rounds to 28.8, where float division gives 28.749999999999996.
    rate = round_one_decimal(Decimal(completed * 100) / total) if total else 0.0
    known_scores = [Decimal(repr(score)) for score in scores if score is not None]
    average = None
    if known_scores:
        average = round_one_decimal(sum(known_scores) / len(known_scores))
    return CampaignStatistics(
        total_invitations=total,
        completed_assessments=completed,
        candidates_count=candidates,
        completion_rate=rate,
        average_score=average,
    )


class CampaignStore:
    """Campaigns: `list_campaigns`, `get_campaign`, `create_campaign`, ..."""

    def _view(self, campaign: Campaign) -> CampaignView:
        invitations = tuple(self.state.campaign_invitations(campaign.campaign_id))
        return CampaignView(
            campaign_id=campaign.campaign_id,
            company_id=campaign.company_id,
            name=campaign.name,
            description=campaign.description,
            status=campaign.status,
            created_at=campaign.created_at,
            updated_at=campaign.updated_at,
            settings=campaign.settings,
            tests=tuple(self.state.catalogue[t] for t in campaign.tests),
            invitations=invitations,
        )

    def _campaign(self, company_id, campaign_id) -> Campaign:
        campaign = self.state.campaigns.get(campaign_id)
        if campaign is None or campaign.company_id != company_id:
            raise CampaignNotFound(
                f"No campaign '{campaign_id}' exists in company {company_id}."
            )
        return campaign

    def _check_tests(self, tests):
        unknown = {
            f"tests.{index}": [
                f"Unknown test id '{test_id}'. Known ids: "
                + ", ".join(sorted(self.state.catalogue))
                + "."
            ]
            for index, test_id in enumerate(tests)
            if test_id not in self.state.catalogue
        }
        if unknown:
            raise ValidationError(details=unknown)

    @locked
    def list_test_ids(self) -> list[str]:
        """Return the ids of the catalogue's tests."""
        return list(self.state.catalogue)

    @locked
    def list_campaigns(self, company_id) -> list[CampaignView]:
        return [
            self._view(campaign)
            for campaign in self.state.campaigns.values()
            if campaign.company_id == company_id
        ]

    @locked
    def get_campaign(self, company_id, campaign_id) -> CampaignView:
        """Return the campaign; raise CampaignNotFound if the company has none such."""
        return self._view(self._campaign(company_id, campaign_id))

    @locked
    def create_campaign(
        self, company_id, *, name, description="", settings=None, tests=()
    ) -> CampaignView:
        """Create a draft campaign; raise ValidationError for an unknown test id."""
        self._check_tests(tests)
        now = self.clock()
        campaign = Campaign(
            campaign_id=self.new_id("camp", self.state.campaigns),
            company_id=company_id,
            name=name,
            description=description,
            status="draft",
            created_at=now,
            updated_at=now,
            settings=CampaignSettings(**(settings or {})),
            tests=tuple(tests),
        )
        self.state.add_campaign(campaign)
        return self._view(campaign)

    @locked
    def update_campaign(self, company_id, campaign_id, changes) -> CampaignView:
        """Apply a partial update and stamp `updated_at`.

        Raises CampaignArchived for an archived campaign, InvalidStatusTransition
        for a status the campaign cannot move to, and ValidationError for an
        unknown test id.
        """
        campaign = self._campaign(company_id, campaign_id)
        if "tests" in changes:
            self._check_tests(changes["tests"])
        if campaign.status == "archived":
            raise CampaignArchived(
                f"Campaign '{campaign_id}' is archived; an archived campaign "
                "cannot be updated."
            )
        new_status = changes.get("status", campaign.status)
        allowed = STATUS_TRANSITIONS[campaign.status]
        if new_status != campaign.status and new_status not in allowed:
            raise InvalidStatusTransition(
                f"A {campaign.status} campaign cannot become {new_status}. "
                f"Allowed: {', '.join(allowed)}."
            )
        updated = replace(
            campaign,
            name=changes.get("name", campaign.name),
            description=changes.get("description", campaign.description),
            status=new_status,
            settings=replace(campaign.settings, **changes.get("settings", {})),
            tests=tuple(changes.get("tests", campaign.tests)),
            updated_at=self.clock(),
        )
        self.state.campaigns[campaign_id] = updated
        return self._view(updated)

    @locked
    def archive_campaigns(self, company_id, campaign_ids):
        """Archive the company's campaigns; return the archived and the unknown ids.

        Both lists keep the request's order and list each id once. Campaigns
        that were archived already count as archived and keep their
        `updated_at`.
        """
        archived, not_found = [], []
        now = self.clock()
        for campaign_id in dict.fromkeys(campaign_ids):
            campaign = self.state.campaigns.get(campaign_id)
            if campaign is None or campaign.company_id != company_id:
                not_found.append(campaign_id)
                continue
            if campaign.status != "archived":
                self.state.campaigns[campaign_id] = replace(
                    campaign, status="archived", updated_at=now
                )
            archived.append(campaign_id)
        return archived, not_found
