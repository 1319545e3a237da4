"""Immutable records of the mock's state.

Records are frozen dataclasses. The store replaces a record on every change
(`dataclasses.replace`), so a snapshot of the state is a shallow copy of its
containers and a reset costs microseconds rather than a deep copy.
"""

from dataclasses import dataclass, field
from datetime import datetime

# Permission bits of a key for one company, as the DeePsy documentation
# defines them. FOUNDER implies every permission, ADMINISTRATOR every one
# but FOUNDER.
PERMISSIONS = {
    "FOUNDER": 1,
    "ADMINISTRATOR": 2,
    "MANAGE_CAMPAIGN": 4,
    "FINANCE": 8,
    "REPORT": 16,
    "EMAIL": 32,
}
ALL_PERMISSION_BITS = sum(PERMISSIONS.values())

CAMPAIGN_STATUSES = ("draft", "active", "paused", "completed", "archived")
INVITATION_STATUSES = ("pending", "sent", "opened", "started", "completed")


def invitation_progress_errors(status, score, completed_at):
    """Return {field: [message]} for a score or completion time the status forbids.

    A completed invitation has both a score and a completion time; any other
    has neither, as the API itself never produces such a record.
    """
    errors = {}
    if status == "completed":
        if score is None:
            errors["score"] = ["A completed invitation needs a score from 0 to 100."]
        if completed_at is None:
            errors["completed_at"] = ["A completed invitation needs a completion time."]
    else:
        if score is not None:
            errors["score"] = [f"Must be null while the status is {status}."]
        if completed_at is not None:
            errors["completed_at"] = [f"Must be null while the status is {status}."]
    return errors


@dataclass(frozen=True)
class Company:
    company_id: str
    name: str
    email: str
    website: str | None
    industry: str | None
    profile_picture: str | None
    created_at: datetime
    subscription_active: bool


@dataclass(frozen=True)
class Membership:
    company_id: str
    permissions: int
    created_at: datetime


@dataclass(frozen=True)
class User:
    """The owner of an API key, as `GET /user/me` shows it."""

    first_name: str
    last_name: str
    display_name: str
    email: str
    gender: str | None = None
    age: int | None = None
    phone_number: str | None = None
    country: str | None = None
    city: str | None = None
    profile_picture: str | None = None
    biography: str | None = None
    welcome_message: datetime | None = None
    email_verified_at: datetime | None = None


@dataclass(frozen=True)
class ApiKey:
    key: str
    active: bool
    owner: User
    memberships: tuple[Membership, ...] = ()

    def membership(self, company_id):
        """Return the key's membership of the company, or None."""
        for membership in self.memberships:
            if membership.company_id == company_id:
                return membership
        return None


@dataclass(frozen=True)
class CatalogueTest:
    test_id: str
    name: str
    duration: int


@dataclass(frozen=True)
class CampaignSettings:
    allow_retakes: bool = False
    time_limit: int = 3600
    send_results_email: bool = True
    require_consent: bool = True


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    company_id: str
    name: str
    description: str
    status: str
    created_at: datetime
    updated_at: datetime
    settings: CampaignSettings = field(default_factory=CampaignSettings)
    tests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Invitation:
    invitation_id: str
    campaign_id: str
    email: str
    first_name: str
    last_name: str
    message: str
    status: str
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None = None
    emails_sent: int = 0
    completed_at: datetime | None = None
    score: float | None = None


@dataclass(frozen=True)
class Asset:
    asset_id: str
    company_id: str
    name: str
    file_name: str
    file_path: str
    content_type: str
    size: int
    checksum: str
    content: bytes = field(repr=False)
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Email:
    """An invitation email recorded in the outbox instead of being delivered."""

    email_id: str
    to: str
    subject: str
    body: str
    link: str
    invitation_id: str
    campaign_id: str
    company_id: str
    sent_at: datetime
