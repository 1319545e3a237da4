"""The state document: the whole state of a mock as versioned JSON data.

`dump_document(snapshot)` turns a `Snapshot` (the state, the seed and the id
generator's state) into plain JSON data. `StateDocumentSchema().load(data)`
validates a document and returns a `Snapshot`; it raises marshmallow's
`ValidationError` whose messages nest by collection, record index and field,
such as `{"campaigns": {3: {"status": [...]}}}`.

Every field of every record is required, so a document lists exactly what the
state contains. Loading checks the shape of each record first, then, if the
shapes are valid, the document as a whole: unique ids, and references to
companies, campaigns and catalogue tests that exist. A document loaded and
dumped again gives the same data, field for field.
"""

import base64
import hashlib
import re
from dataclasses import dataclass

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from ..fields import StrictBoolean, StrictInteger, StrictNumber, Timestamp
from ..files import ALLOWED_TYPES, MAX_FILE_PATH_CHARS, is_safe_file_path
from .fixtures import ID_PATTERN
from .records import (
    ALL_PERMISSION_BITS,
    CAMPAIGN_STATUSES,
    INVITATION_STATUSES,
    ApiKey,
    Asset,
    Campaign,
    CampaignSettings,
    CatalogueTest,
    Company,
    Email,
    Invitation,
    Membership,
    User,
    invitation_progress_errors,
)
from .state import State

DOCUMENT_VERSION = 1
# Python's `random.Random.getstate()`: version 3 of the Mersenne Twister
# state, 624 words plus the position in them.
_GENERATOR_VERSION = 3
_GENERATOR_WORDS = 625
_UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_EMAIL_ID_PATTERN = r"^email_[0-9]{9}$"
# The one form an exported timestamp has; other ISO 8601 forms would not
# export again as they were imported.
_TIMESTAMP_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


@dataclass(frozen=True)
class Snapshot:
    """The state of a mock together with what makes later ids deterministic."""

    state: State
    seed: int
    # The value of `random.Random.getstate()` for the id generator.
    generator_state: tuple


class _DocumentSchema(Schema):
    """A strict schema: unknown fields are errors that name the allowed ones."""

    class Meta:
        unknown = RAISE

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        allowed = ", ".join(self.fields) or "none"
        self.error_messages = {
            **self.error_messages,
            "unknown": f"Unknown field. Allowed fields: {allowed}.",
            "type": "Must be a JSON object.",
        }


class Base64Bytes(fields.Field):
    """Bytes written as standard, padded base64 text (RFC 4648)."""

    default_error_messages = {
        "invalid": "Must be base64 text (standard alphabet, with padding)."
    }

    def _serialize(self, value, attr, obj, **kwargs):
        return base64.b64encode(value).decode("ascii")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except ValueError as error:
            raise self.make_error("invalid") from error


class DocumentTimestamp(Timestamp):
    """A timestamp in the exported form only, such as 2023-01-15T10:30:00Z."""

    default_error_messages = {
        "invalid": "Must be a UTC timestamp to the second, such as "
        "2023-01-15T10:30:00Z."
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not _TIMESTAMP_FORM.fullmatch(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _prefixed_id_field(pattern):
    # The patterns have the form ^<prefix>[0-9]{9}$. The message names the
    # prefix, not the pattern, because marshmallow passes the message through
    # str.format, which fails on the pattern's "{9}".
    prefix = pattern[1 : pattern.index("[")]
    return fields.String(
        required=True,
        validate=validate.Regexp(
            pattern,
            error=f"Must be '{prefix}' followed by 9 digits, such as "
            f"{prefix}123456789.",
        ),
    )


def _id_field(kind):
    return _prefixed_id_field(ID_PATTERN[kind])


def _check_one_decimal(score):
    if round(score, 1) != score:
        raise ValidationError("Must have at most one decimal, such as 78.5.")


def _check_file_path(file_path):
    if not is_safe_file_path(file_path):
        raise ValidationError(
            "Must be a safe file path, as an upload makes it: no '/' or '\\', "
            "no control characters, no runs of dots, no surrounding spaces, "
            f"not '.', and at most {MAX_FILE_PATH_CHARS} characters."
        )


def _company_id_field():
    return fields.String(
        required=True,
        validate=validate.Regexp(
            _UUID_PATTERN, error="Must be a UUID in lowercase hyphenated form."
        ),
    )


def _text(minimum=0, maximum=None, **kwargs):
    return fields.String(validate=validate.Length(minimum, maximum), **kwargs)


def _nullable_text():
    return fields.String(required=True, allow_none=True)


class CompanyDocument(_DocumentSchema):
    company_id = _company_id_field()
    name = _text(1, 200, required=True)
    email = fields.Email(required=True)
    website = _nullable_text()
    industry = _nullable_text()
    profile_picture = _nullable_text()
    created_at = DocumentTimestamp(required=True)
    subscription_active = StrictBoolean(required=True)

    @post_load
    def make_record(self, data, **kwargs):
        return Company(**data)


class MembershipDocument(_DocumentSchema):
    company_id = _company_id_field()
    permissions = StrictInteger(
        required=True, validate=validate.Range(0, ALL_PERMISSION_BITS)
    )
    created_at = DocumentTimestamp(required=True)

    @post_load
    def make_record(self, data, **kwargs):
        return Membership(**data)


class UserDocument(_DocumentSchema):
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    display_name = fields.String(required=True)
    email = fields.Email(required=True)
    gender = _nullable_text()
    age = StrictInteger(required=True, allow_none=True, validate=validate.Range(0))
    phone_number = _nullable_text()
    country = _nullable_text()
    city = _nullable_text()
    profile_picture = _nullable_text()
    biography = _nullable_text()
    welcome_message = DocumentTimestamp(required=True, allow_none=True)
    email_verified_at = DocumentTimestamp(required=True, allow_none=True)

    @post_load
    def make_record(self, data, **kwargs):
        return User(**data)


class KeyDocument(_DocumentSchema):
    key = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^deepsy-dev-[A-Za-z0-9._~-]+$",
            error="Must start with 'deepsy-dev-' followed by letters, digits, "
            "'.', '_', '~' or '-'.",
        ),
    )
    active = StrictBoolean(required=True)
    owner = fields.Nested(UserDocument, required=True)
    companies = fields.List(
        fields.Nested(MembershipDocument), required=True, attribute="memberships"
    )

    @validates_schema
    def check_unique_companies(self, data, **kwargs):
        seen = set()
        for index, membership in enumerate(data["memberships"]):
            if membership.company_id in seen:
                raise ValidationError(
                    {
                        "companies": {
                            index: {"company_id": ["The key lists this company twice."]}
                        }
                    }
                )
            seen.add(membership.company_id)

    @post_load
    def make_record(self, data, **kwargs):
        return ApiKey(**{**data, "memberships": tuple(data["memberships"])})


class CatalogueDocument(_DocumentSchema):
    test_id = fields.String(
        required=True, validate=validate.Regexp(r"^[a-z0-9_]{1,64}$")
    )
    name = _text(1, 200, required=True)
    duration = StrictInteger(required=True, validate=validate.Range(1))

    @post_load
    def make_record(self, data, **kwargs):
        return CatalogueTest(**data)


class SettingsDocument(_DocumentSchema):
    allow_retakes = StrictBoolean(required=True)
    time_limit = StrictInteger(required=True, validate=validate.Range(1, 86400))
    send_results_email = StrictBoolean(required=True)
    require_consent = StrictBoolean(required=True)

    @post_load
    def make_record(self, data, **kwargs):
        return CampaignSettings(**data)


class CampaignDocument(_DocumentSchema):
    campaign_id = _id_field("campaign")
    company_id = _company_id_field()
    name = _text(1, 200, required=True)
    description = _text(0, 2000, required=True)
    status = fields.String(required=True, validate=validate.OneOf(CAMPAIGN_STATUSES))
    created_at = DocumentTimestamp(required=True)
    updated_at = DocumentTimestamp(required=True)
    settings = fields.Nested(SettingsDocument, required=True)
    tests = fields.List(fields.String(), required=True)

    @post_load
    def make_record(self, data, **kwargs):
        return Campaign(**{**data, "tests": tuple(data["tests"])})


class InvitationDocument(_DocumentSchema):
    invitation_id = _id_field("invitation")
    campaign_id = _id_field("campaign")
    email = fields.Email(required=True)
    first_name = _text(0, 100, required=True)
    last_name = _text(0, 100, required=True)
    message = _text(0, 2000, required=True)
    status = fields.String(required=True, validate=validate.OneOf(INVITATION_STATUSES))
    created_at = DocumentTimestamp(required=True)
    updated_at = DocumentTimestamp(required=True)
    sent_at = DocumentTimestamp(required=True, allow_none=True)
    emails_sent = StrictInteger(required=True, validate=validate.Range(0))
    completed_at = DocumentTimestamp(required=True, allow_none=True)
    score = StrictNumber(
        required=True,
        allow_none=True,
        validate=[validate.Range(0, 100), _check_one_decimal],
    )

    @validates_schema
    def check_progress(self, data, **kwargs):
        errors = invitation_progress_errors(
            data["status"], data["score"], data["completed_at"]
        )
        if errors:
            raise ValidationError(errors)

    @post_load
    def make_record(self, data, **kwargs):
        return Invitation(**data)


class AssetDocument(_DocumentSchema):
    asset_id = _id_field("asset")
    company_id = _company_id_field()
    name = _text(1, 200, required=True)
    file_name = _text(1, required=True)
    file_path = fields.String(required=True, validate=_check_file_path)
    content_type = fields.String(
        required=True,
        validate=validate.OneOf(
            sorted(ALLOWED_TYPES),
            error="Must be one of the allowed asset types: {choices}.",
        ),
    )
    size = StrictInteger(required=True, validate=validate.Range(0))
    checksum = fields.String(required=True)
    content = Base64Bytes(required=True)
    created_at = DocumentTimestamp(required=True)
    updated_at = DocumentTimestamp(required=True)

    @validates_schema
    def check_content(self, data, **kwargs):
        """Reject a size or checksum that does not describe the content."""
        errors = {}
        if data["size"] != len(data["content"]):
            errors["size"] = [
                f"Must be {len(data['content'])}, the length of the content."
            ]
        checksum = "sha256:" + hashlib.sha256(data["content"]).hexdigest()
        if data["checksum"] != checksum:
            errors["checksum"] = [f"Must be {checksum}, the content's checksum."]
        if errors:
            raise ValidationError(errors)

    @post_load
    def make_record(self, data, **kwargs):
        return Asset(**data)


class EmailDocument(_DocumentSchema):
    email_id = _prefixed_id_field(_EMAIL_ID_PATTERN)
    to = fields.String(required=True)
    subject = fields.String(required=True)
    body = fields.String(required=True)
    link = fields.String(required=True)
    # Emails outlive their invitation, so this id may name a deleted invitation.
    invitation_id = _id_field("invitation")
    campaign_id = _id_field("campaign")
    company_id = _company_id_field()
    sent_at = DocumentTimestamp(required=True)

    @post_load
    def make_record(self, data, **kwargs):
        return Email(**data)


class GeneratorDocument(_DocumentSchema):
    """The id generator's state, so ids created after an import continue it."""

    state = fields.List(
        StrictInteger(validate=validate.Range(0, 2**32 - 1)),
        required=True,
        validate=validate.Length(
            equal=_GENERATOR_WORDS,
            error=f"Must list {_GENERATOR_WORDS} integers, as exported.",
        ),
    )
    gauss_next = StrictNumber(required=True, allow_none=True)

    @validates_schema
    def check_state(self, data, **kwargs):
        words = data["state"]
        if words[-1] > _GENERATOR_WORDS - 1:
            raise ValidationError(
                f"The last integer is a position and must be at most "
                f"{_GENERATOR_WORDS - 1}.",
                "state",
            )
        # A Mersenne Twister whose significant bits are all zero yields only
        # zeros, and the id generator would never find a free id.
        if not any(words[1:-1]) and not words[0] & 0x80000000:
            raise ValidationError("Must not be all zeros.", "state")

    @post_load
    def make_state(self, data, **kwargs):
        return (_GENERATOR_VERSION, tuple(data["state"]), data["gauss_next"])


# Each collection of the document: its record schema and the id field.
COLLECTIONS = {
    "companies": (CompanyDocument, "company_id"),
    "keys": (KeyDocument, "key"),
    "catalogue": (CatalogueDocument, "test_id"),
    "campaigns": (CampaignDocument, "campaign_id"),
    "invitations": (InvitationDocument, "invitation_id"),
    "assets": (AssetDocument, "asset_id"),
    "emails": (EmailDocument, "email_id"),
}


def _collection_field(name):
    schema, _ = COLLECTIONS[name]
    return fields.List(fields.Nested(schema), required=True)


class _ErrorCollector:
    """Errors of whole-document checks, nested as marshmallow nests them."""

    def __init__(self):
        self.messages = {}

    def add(self, collection, index, field_path, message):
        records = self.messages.setdefault(collection, {})
        record = records.setdefault(index, {})
        record.setdefault(field_path, []).append(message)


def _check_unique_ids(data, errors):
    for name, (_, id_field) in COLLECTIONS.items():
        seen = set()
        for index, record in enumerate(data[name]):
            record_id = getattr(record, id_field)
            if record_id in seen:
                errors.add(name, index, id_field, f"Duplicate id '{record_id}'.")
            seen.add(record_id)


def _check_keys(data, company_ids, errors):
    for index, key in enumerate(data["keys"]):
        for position, membership in enumerate(key.memberships):
            if membership.company_id not in company_ids:
                errors.add(
                    "keys",
                    index,
                    f"companies.{position}.company_id",
                    f"No company '{membership.company_id}' exists in companies.",
                )


def _check_campaigns(data, company_ids, errors):
    test_ids = {test.test_id for test in data["catalogue"]}
    for index, campaign in enumerate(data["campaigns"]):
        if campaign.company_id not in company_ids:
            errors.add(
                "campaigns",
                index,
                "company_id",
                f"No company '{campaign.company_id}' exists in companies.",
            )
        for position, test_id in enumerate(campaign.tests):
            if test_id not in test_ids:
                errors.add(
                    "campaigns",
                    index,
                    f"tests.{position}",
                    f"No test '{test_id}' exists in catalogue.",
                )


def _check_invitations(data, campaigns, errors):
    # The store indexes each campaign's invitations by the case-folded address.
    emails = set()
    for index, invitation in enumerate(data["invitations"]):
        if invitation.campaign_id not in campaigns:
            errors.add(
                "invitations",
                index,
                "campaign_id",
                f"No campaign '{invitation.campaign_id}' exists in campaigns.",
            )
        address = (invitation.campaign_id, invitation.email.casefold())
        if address in emails:
            errors.add(
                "invitations",
                index,
                "email",
                f"Campaign '{invitation.campaign_id}' already has an invitation "
                f"for '{invitation.email}'.",
            )
        emails.add(address)


def _check_assets(data, company_ids, errors):
    for index, asset in enumerate(data["assets"]):
        if asset.company_id not in company_ids:
            errors.add(
                "assets",
                index,
                "company_id",
                f"No company '{asset.company_id}' exists in companies.",
            )


def _check_emails(data, campaigns, errors):
    for index, email in enumerate(data["emails"]):
        campaign = campaigns.get(email.campaign_id)
        if campaign is None:
            errors.add(
                "emails",
                index,
                "campaign_id",
                f"No campaign '{email.campaign_id}' exists in campaigns.",
            )
        elif campaign.company_id != email.company_id:
            errors.add(
                "emails",
                index,
                "company_id",
                f"Must be '{campaign.company_id}', the company of campaign "
                f"'{email.campaign_id}'.",
            )


class StateDocumentSchema(_DocumentSchema):
    """The whole state document; `load` returns a `Snapshot`."""

    version = StrictInteger(required=True)
    seed = StrictInteger(required=True)
    id_generator = fields.Nested(GeneratorDocument, required=True)
    companies = _collection_field("companies")
    keys = _collection_field("keys")
    catalogue = _collection_field("catalogue")
    campaigns = _collection_field("campaigns")
    invitations = _collection_field("invitations")
    assets = _collection_field("assets")
    emails = _collection_field("emails")

    @pre_load
    def check_version(self, data, **kwargs):
        """Reject another version before its fields can report confusing errors."""
        if not isinstance(data, dict) or "version" not in data:
            return data
        version = data["version"]
        # A version that is no integer is left to the field's own message.
        is_integer = isinstance(version, int) and not isinstance(version, bool)
        if is_integer and version != DOCUMENT_VERSION:
            raise ValidationError(
                f"Unsupported version {version}; this mock reads version "
                f"{DOCUMENT_VERSION}.",
                "version",
            )
        return data

    @validates_schema
    def check_references(self, data, **kwargs):
        """Reject duplicate ids and references to records that do not exist."""
        errors = _ErrorCollector()
        company_ids = {company.company_id for company in data["companies"]}
        campaigns = {c.campaign_id: c for c in data["campaigns"]}
        _check_unique_ids(data, errors)
        _check_keys(data, company_ids, errors)
        _check_campaigns(data, company_ids, errors)
        _check_invitations(data, campaigns, errors)
        _check_assets(data, company_ids, errors)
        _check_emails(data, campaigns, errors)
        if errors.messages:
            raise ValidationError(errors.messages)

    @post_load
    def make_snapshot(self, data, **kwargs):
        return Snapshot(
            state=_build_state(data),
            seed=data["seed"],
            generator_state=data["id_generator"],
        )


def _build_state(data) -> State:
    state = State()
    state.companies = {c.company_id: c for c in data["companies"]}
    state.keys = {key.key: key for key in data["keys"]}
    state.catalogue = {test.test_id: test for test in data["catalogue"]}
    for campaign in data["campaigns"]:
        state.add_campaign(campaign)
    for invitation in data["invitations"]:
        state.add_invitation(invitation)
    state.assets = {asset.asset_id: asset for asset in data["assets"]}
    state.emails = {email.email_id: email for email in data["emails"]}
    return state


def dump_document(snapshot: Snapshot) -> dict:
    """Return the state document of `snapshot` as JSON data."""
    version, words, gauss_next = snapshot.generator_state
    if version != _GENERATOR_VERSION:
        raise ValueError(f"Unsupported random generator state version {version}.")
    state = snapshot.state
    return StateDocumentSchema().dump(
        {
            "version": DOCUMENT_VERSION,
            "seed": snapshot.seed,
            "id_generator": {"state": list(words), "gauss_next": gauss_next},
            "companies": list(state.companies.values()),
            "keys": list(state.keys.values()),
            "catalogue": list(state.catalogue.values()),
            "campaigns": list(state.campaigns.values()),
            "invitations": list(state.invitations.values()),
            "assets": list(state.assets.values()),
            "emails": list(state.emails.values()),
        }
    )
