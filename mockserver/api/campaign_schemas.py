"""Request and response schemas of the campaign endpoints."""

from marshmallow import Schema, fields, validate, validates, validates_schema

from ..fields import StrictBoolean, StrictInteger, Timestamp, TrimmedString
from ..store.records import CAMPAIGN_STATUSES
from .requests import RequestSchema

NAME_LENGTH = validate.Length(1, 200, error="Must be 1 to 200 characters long.")
DESCRIPTION_LENGTH = validate.Length(max=2000, error="Must be at most 2000 characters.")


def check_test_ids(values, catalogue):
    """Raise a ValidationError keyed by index for duplicate or unknown test ids.

    `catalogue` is the collection of known test ids, or None to skip that check.
    """
    problems = {}
    seen = set()
    for index, value in enumerate(values):
        if value in seen:
            problems.setdefault(index, []).append(
                f"Duplicate test id '{value}'; list each test once."
            )
        seen.add(value)
        if catalogue is not None and value not in catalogue:
            problems.setdefault(index, []).append(
                f"Unknown test id '{value}'. Known ids: "
                + ", ".join(sorted(catalogue))
                + "."
            )
    if problems:
        raise validate.ValidationError(problems)


class _TestsSchema(RequestSchema):
    """A body with a `tests` list checked against the catalogue given at creation."""

    def __init__(self, *, catalogue=None, **kwargs):
        super().__init__(**kwargs)
        self.catalogue = catalogue

    @validates("tests")
    def check_tests(self, value, **kwargs):
        check_test_ids(value, self.catalogue)


class SettingsSchema(RequestSchema):
    allow_retakes = StrictBoolean()
    time_limit = StrictInteger(
        validate=validate.Range(1, 86400, error="Must be 1 to 86400 seconds.")
    )
    send_results_email = StrictBoolean()
    require_consent = StrictBoolean()


class CampaignCreateSchema(_TestsSchema):
    name = TrimmedString(required=True, validate=NAME_LENGTH)
    description = fields.String(load_default="", validate=DESCRIPTION_LENGTH)
    settings = fields.Nested(SettingsSchema, load_default=dict)
    tests = fields.List(fields.String(), load_default=list)


class CampaignUpdateSchema(_TestsSchema):
    name = TrimmedString(validate=NAME_LENGTH)
    description = fields.String(validate=DESCRIPTION_LENGTH)
    status = fields.String(
        validate=validate.OneOf(
            CAMPAIGN_STATUSES,
            error="Must be one of: " + ", ".join(CAMPAIGN_STATUSES) + ".",
        )
    )
    settings = fields.Nested(SettingsSchema)
    tests = fields.List(fields.String())

    @validates_schema
    def check_not_empty(self, data, **kwargs):
        if not data:
            raise validate.ValidationError(
                "Give at least one of: name, description, status, settings, tests."
            )


class BulkArchiveSchema(RequestSchema):
    campaign_ids = fields.List(
        fields.String(),
        required=True,
        validate=validate.Length(1, 100, error="Give 1 to 100 campaign ids."),
    )


# Responses.


class SettingsOutSchema(Schema):
    allow_retakes = fields.Boolean()
    time_limit = fields.Integer()
    send_results_email = fields.Boolean()
    require_consent = fields.Boolean()


class StatisticsSchema(Schema):
    total_invitations = fields.Integer()
    completed_assessments = fields.Integer()
    completion_rate = fields.Float()
    average_score = fields.Float(allow_none=True)


class TestSchema(Schema):
    test_id = fields.String()
    name = fields.String()
    duration = fields.Integer()


class CampaignListItemSchema(Schema):
    """A campaign as list items show it: exactly the documented fields."""

    campaign_id = fields.String()
    name = fields.String()
    description = fields.String()
    status = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()
    candidates_count = fields.Integer()
    invitations_sent = fields.Integer()
    completion_rate = fields.Float()


class CampaignSchema(Schema):
    """The full campaign, as get-details, create and update return it."""

    campaign_id = fields.String()
    name = fields.String()
    description = fields.String()
    status = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()
    settings = fields.Nested(SettingsOutSchema)
    statistics = fields.Nested(StatisticsSchema)
    tests = fields.List(fields.Nested(TestSchema))


class BulkArchiveResultSchema(Schema):
    archived = fields.List(fields.String())
    not_found = fields.List(fields.String())
