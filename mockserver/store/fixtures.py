"""Fixture files: the documented records, and users' own records in the same format.

A fixture directory may contain any of these files, each a JSON list of
records except `generation.json`, which is one object:

- `companies.json`, `keys.json`, `catalogue.json`, `campaigns.json`,
  `invitations.json`, `assets.json` (each asset names a file beside it);
- `generation.json`: how many campaigns Faker adds to each company and how
  many invitations each generated campaign gets.

`load_fixtures` validates every record and raises `FixtureError` naming the
file, the record and the field of the first problem found.
"""

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from ..fields import StrictBoolean, StrictInteger, StrictNumber, Timestamp
from ..files import ALLOWED_EXTENSIONS_TEXT, detect_content_type
from .records import (
    CAMPAIGN_STATUSES,
    INVITATION_STATUSES,
    PERMISSIONS,
    invitation_progress_errors,
)

logger = logging.getLogger(__name__)

ID_PATTERN = {
    "campaign": r"^camp_[0-9]{9}$",
    "invitation": r"^inv_[0-9]{9}$",
    "asset": r"^asset_[0-9]{9}$",
}
RECORD_FILES = (
    "companies",
    "keys",
    "catalogue",
    "campaigns",
    "invitations",
    "assets",
)


def bundled_fixtures_dir() -> Path:
    """Return the directory of the bundled fixtures.

    An installed wheel carries them inside the package; a source checkout
    keeps them in `fixtures/` at the top of the repository.
    """
    package = Path(__file__).resolve().parent.parent
    installed = package / "fixtures"
    if installed.is_dir():
        return installed
    return package.parent / "fixtures"


class FixtureError(Exception):
    """A fixture file that cannot be loaded, with the file, record and field."""


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class CompanyFixture(_Strict):
    company_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    email = fields.Email(required=True)
    website = fields.String(load_default=None, allow_none=True)
    industry = fields.String(load_default=None, allow_none=True)
    profile_picture = fields.String(load_default=None, allow_none=True)
    created_at = Timestamp(required=True)
    subscription_active = StrictBoolean(required=True)


class MembershipFixture(_Strict):
    company_id = fields.UUID(required=True)
    permissions = StrictInteger(
        required=True, validate=validate.Range(0, sum(PERMISSIONS.values()))
    )
    created_at = Timestamp(required=True)


class UserFixture(_Strict):
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    display_name = fields.String(required=True)
    email = fields.Email(required=True)
    gender = fields.String(load_default=None, allow_none=True)
    age = StrictInteger(load_default=None, allow_none=True)
    phone_number = fields.String(load_default=None, allow_none=True)
    country = fields.String(load_default=None, allow_none=True)
    city = fields.String(load_default=None, allow_none=True)
    profile_picture = fields.String(load_default=None, allow_none=True)
    biography = fields.String(load_default=None, allow_none=True)
    welcome_message = Timestamp(load_default=None, allow_none=True)
    email_verified_at = Timestamp(load_default=None, allow_none=True)


class KeyFixture(_Strict):
    key = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^deepsy-dev-[A-Za-z0-9._~-]+$",
            error="Must start with 'deepsy-dev-' followed by letters, digits, "
            "'.', '_', '~' or '-'.",
        ),
    )
    active = StrictBoolean(load_default=True)
    owner = fields.Nested(UserFixture, required=True)
    companies = fields.List(fields.Nested(MembershipFixture), load_default=list)


class CatalogueFixture(_Strict):
    test_id = fields.String(
        required=True, validate=validate.Regexp(r"^[a-z0-9_]{1,64}$")
    )
    name = fields.String(required=True, validate=validate.Length(1, 200))
    duration = StrictInteger(required=True, validate=validate.Range(1))


class SettingsFixture(_Strict):
    allow_retakes = StrictBoolean()
    time_limit = StrictInteger(validate=validate.Range(1, 86400))
    send_results_email = StrictBoolean()
    require_consent = StrictBoolean()


class GeneratedInvitationsFixture(_Strict):
    """Invitations Faker writes for a fixture campaign, with exact figures."""

    count = StrictInteger(required=True, validate=validate.Range(0, 5000))
    completed = StrictInteger(load_default=0, validate=validate.Range(0))
    average_score = StrictNumber(
        load_default=None, allow_none=True, validate=validate.Range(0, 100)
    )
    other_statuses = fields.List(
        fields.String(validate=validate.OneOf(INVITATION_STATUSES[:-1])),
        load_default=lambda: ["sent"],
        validate=validate.Length(min=1),
    )

    @validates_schema
    def check_completed(self, data, **kwargs):
        if data["completed"] > data["count"]:
            raise ValidationError("Must not exceed 'count'.", "completed")


class CampaignFixture(_Strict):
    campaign_id = fields.String(
        required=True, validate=validate.Regexp(ID_PATTERN["campaign"])
    )
    company_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(load_default="", validate=validate.Length(0, 2000))
    status = fields.String(required=True, validate=validate.OneOf(CAMPAIGN_STATUSES))
    created_at = Timestamp(required=True)
    updated_at = Timestamp(load_default=None)
    settings = fields.Nested(SettingsFixture, load_default=dict)
    tests = fields.List(fields.String(), load_default=list)
    generated_invitations = fields.Nested(
        GeneratedInvitationsFixture, load_default=None
    )


class InvitationFixture(_Strict):
    invitation_id = fields.String(
        required=True, validate=validate.Regexp(ID_PATTERN["invitation"])
    )
    campaign_id = fields.String(
        required=True, validate=validate.Regexp(ID_PATTERN["campaign"])
    )
    email = fields.Email(required=True)
    first_name = fields.String(load_default="", validate=validate.Length(0, 100))
    last_name = fields.String(load_default="", validate=validate.Length(0, 100))
    message = fields.String(load_default="", validate=validate.Length(0, 2000))
    status = fields.String(required=True, validate=validate.OneOf(INVITATION_STATUSES))
    created_at = Timestamp(required=True)
    updated_at = Timestamp(load_default=None)
    sent_at = Timestamp(load_default=None, allow_none=True)
    emails_sent = StrictInteger(load_default=0, validate=validate.Range(0))
    completed_at = Timestamp(load_default=None, allow_none=True)
    score = StrictNumber(
        load_default=None, allow_none=True, validate=validate.Range(0, 100)
    )

    @validates_schema
    def check_progress(self, data, **kwargs):
        errors = invitation_progress_errors(
            data["status"], data["score"], data["completed_at"]
        )
        if errors:
            raise ValidationError(errors)


class AssetFixture(_Strict):
    asset_id = fields.String(
        required=True, validate=validate.Regexp(ID_PATTERN["asset"])
    )
    company_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    file = fields.String(required=True)
    content_type = fields.String(load_default=None, allow_none=True)
    created_at = Timestamp(required=True)
    updated_at = Timestamp(load_default=None)


class GenerationFixture(_Strict):
    """How much Faker data fills the documented records out."""

    campaigns_per_company = fields.Dict(
        keys=fields.UUID(),
        values=StrictInteger(validate=validate.Range(0, 1000)),
        load_default=dict,
    )
    invitations_per_campaign = fields.List(
        StrictInteger(validate=validate.Range(0, 1000)),
        validate=validate.Length(equal=2),
        load_default=lambda: [0, 40],
    )
    created_between = fields.List(
        Timestamp(), validate=validate.Length(equal=2), required=True
    )


SCHEMAS = {
    "companies": CompanyFixture,
    "keys": KeyFixture,
    "catalogue": CatalogueFixture,
    "campaigns": CampaignFixture,
    "invitations": InvitationFixture,
    "assets": AssetFixture,
}


@dataclass
class FixtureSet:
    """Validated fixture records, as dicts, keyed by file name."""

    records: dict[str, list[dict]] = field(
        default_factory=lambda: {name: [] for name in RECORD_FILES}
    )
    generation: dict | None = None
    # Asset file contents, by the asset's id.
    files: dict[str, bytes] = field(default_factory=dict)


def _first_error(messages, prefix=""):
    """Return the dotted path and message of the first error in marshmallow's tree."""
    key, value = next(iter(messages.items()))
    path = f"{prefix}.{key}" if prefix else str(key)
    if isinstance(value, dict):
        return _first_error(value, path)
    return path, value[0] if isinstance(value, list) else str(value)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(f"{path}: cannot be read: {error}") from error
    except json.JSONDecodeError as error:
        raise FixtureError(
            f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg}"
        ) from error


def _load_records(path: Path, name: str) -> list[dict]:
    data = _read_json(path)
    if not isinstance(data, list):
        raise FixtureError(f"{path}: must contain a JSON list of {name} records.")
    schema = SCHEMAS[name]()
    records = []
    seen_ids = {}
    for index, item in enumerate(data):
        try:
            records.append(schema.load(item))
        except ValidationError as error:
            if not isinstance(error.messages, dict):
                raise FixtureError(
                    f"{path}: record {index}: must be a JSON object."
                ) from error
            field_path, message = _first_error(error.messages)
            label = item.get(_id_field(name), "") if isinstance(item, dict) else ""
            named = f" ({label})" if label else ""
            raise FixtureError(
                f"{path}: record {index}{named}: field '{field_path}': {message}"
            ) from error
        record_id = str(records[-1][_id_field(name)])
        if record_id in seen_ids:
            raise FixtureError(
                f"{path}: record {index} ({record_id}): field '{_id_field(name)}': "
                f"record {seen_ids[record_id]} has the same id; give each record "
                "its own."
            )
        seen_ids[record_id] = index
    return records


def _id_field(name):
    return {
        "companies": "company_id",
        "keys": "key",
        "catalogue": "test_id",
        "campaigns": "campaign_id",
        "invitations": "invitation_id",
        "assets": "asset_id",
    }[name]


def _read_directory(directory: Path) -> FixtureSet:
    if directory.exists() and not directory.is_dir():
        raise FixtureError(
            f"{directory}: the fixture directory is a file; give the directory "
            "that contains the fixture files."
        )
    if not directory.is_dir():
        raise FixtureError(f"{directory}: the fixture directory does not exist.")
    fixture_set = FixtureSet()
    known = {f"{name}.json" for name in (*RECORD_FILES, "generation")}
    for path in sorted(directory.glob("*.json")):
        if path.name not in known:
            logger.warning(
                "Ignoring %s: fixture files are %s", path, ", ".join(sorted(known))
            )
    for name in RECORD_FILES:
        path = directory / f"{name}.json"
        if path.exists():
            fixture_set.records[name] = _load_records(path, name)
    for index, asset in enumerate(fixture_set.records["assets"]):
        file_path = (directory / asset["file"]).resolve()
        if directory.resolve() not in file_path.parents:
            raise FixtureError(
                f"{directory / 'assets.json'}: record {index} ({asset['asset_id']}): "
                "field 'file': must name a file inside the fixture directory."
            )
        try:
            fixture_set.files[asset["asset_id"]] = file_path.read_bytes()
        except OSError as error:
            raise FixtureError(
                f"{directory / 'assets.json'}: record {index} ({asset['asset_id']}): "
                f"field 'file': cannot read {file_path}: {error.strerror}."
            ) from error
        # The same rule as uploads: the extension decides, else the given type.
        content_type = detect_content_type(file_path.name, asset["content_type"])
        if content_type is None:
            raise FixtureError(
                f"{directory / 'assets.json'}: record {index} ({asset['asset_id']}): "
                f"field 'content_type': the type of {file_path.name} is not one "
                f"assets may have. Allowed extensions: {ALLOWED_EXTENSIONS_TEXT}."
            )
        asset["content_type"] = content_type
    generation_path = directory / "generation.json"
    if generation_path.exists():
        try:
            fixture_set.generation = GenerationFixture().load(
                _read_json(generation_path)
            )
        except ValidationError as error:
            field_path, message = _first_error(error.messages)
            raise FixtureError(
                f"{generation_path}: field '{field_path}': {message}"
            ) from error
    return fixture_set


def _merge_generation(base, extra):
    """Merge two generation settings; the user's values win, company by company."""
    if base is None or extra is None:
        return extra or base
    per_company = {**base["campaigns_per_company"], **extra["campaigns_per_company"]}
    return {**base, **extra, "campaigns_per_company": per_company}


def _merge(base: FixtureSet, extra: FixtureSet) -> FixtureSet:
    """Add `extra`'s records to `base`; a record with the same id replaces base's."""
    merged = FixtureSet(generation=_merge_generation(base.generation, extra.generation))
    merged.files = {**base.files, **extra.files}
    for name in RECORD_FILES:
        by_id = {str(record[_id_field(name)]): record for record in base.records[name]}
        for record in extra.records[name]:
            by_id[str(record[_id_field(name)])] = record
        merged.records[name] = list(by_id.values())
    return merged


def load_fixtures(directory=None, mode="extend") -> FixtureSet:
    """Load the bundled fixtures and, if given, a user's fixture directory.

    `mode="extend"` adds the user's records on top of the bundled ones (same
    id: the user's record wins). `mode="replace"` uses only the user's
    records, with the bundled test catalogue unless the user gives one.
    Raises FixtureError for a bad file or a record that refers to nothing.
    """
    if mode not in ("extend", "replace"):
        raise FixtureError(f"Unknown fixtures mode '{mode}'; use extend or replace.")
    bundled = _read_directory(bundled_fixtures_dir())
    if directory is None:
        fixture_set = bundled
    else:
        user = _read_directory(Path(directory))
        if mode == "extend":
            fixture_set = _merge(bundled, user)
        else:
            fixture_set = user
            if not fixture_set.records["catalogue"]:
                fixture_set.records["catalogue"] = bundled.records["catalogue"]
    check_references(fixture_set, directory or bundled_fixtures_dir())
    return fixture_set


def check_references(fixture_set: FixtureSet, directory):
    """Raise FixtureError for a record naming a missing company, campaign or test."""
    records = fixture_set.records
    company_ids = {str(c["company_id"]) for c in records["companies"]}
    test_ids = {t["test_id"] for t in records["catalogue"]}
    campaign_ids = {c["campaign_id"] for c in records["campaigns"]}
    directory = Path(directory)

    def fail(name, index, record, field_path, message):
        label = record[_id_field(name)]
        raise FixtureError(
            f"{directory / (name + '.json')}: record {index} ({label}): "
            f"field '{field_path}': {message}"
        )

    for index, key in enumerate(records["keys"]):
        for position, membership in enumerate(key["companies"]):
            if str(membership["company_id"]) not in company_ids:
                fail(
                    "keys",
                    index,
                    key,
                    f"companies.{position}.company_id",
                    "No company with this id exists in companies.json.",
                )
    for index, campaign in enumerate(records["campaigns"]):
        if str(campaign["company_id"]) not in company_ids:
            fail(
                "campaigns",
                index,
                campaign,
                "company_id",
                "No company with this id exists in companies.json.",
            )
        for position, test_id in enumerate(campaign["tests"]):
            if test_id not in test_ids:
                fail(
                    "campaigns",
                    index,
                    campaign,
                    f"tests.{position}",
                    f"Unknown test id '{test_id}'; catalogue.json lists the known ids.",
                )
    emails_by_campaign = {}
    for index, invitation in enumerate(records["invitations"]):
        address = invitation["email"].casefold()
        campaign_emails = emails_by_campaign.setdefault(invitation["campaign_id"], {})
        if address in campaign_emails:
            fail(
                "invitations",
                index,
                invitation,
                "email",
                f"Record {campaign_emails[address]} already invites this address "
                "to the same campaign; addresses are unique per campaign, "
                "ignoring case.",
            )
        campaign_emails[address] = index
        if invitation["campaign_id"] not in campaign_ids:
            fail(
                "invitations",
                index,
                invitation,
                "campaign_id",
                "No campaign with this id exists in campaigns.json.",
            )
    for index, asset in enumerate(records["assets"]):
        if str(asset["company_id"]) not in company_ids:
            fail(
                "assets",
                index,
                asset,
                "company_id",
                "No company with this id exists in companies.json.",
            )
    generation = fixture_set.generation or {}
    for company_id in generation.get("campaigns_per_company", {}):
        if str(company_id) not in company_ids:
            raise FixtureError(
                f"{directory / 'generation.json'}: field "
                f"'campaigns_per_company.{company_id}': No company with this id "
                "exists in companies.json."
            )
