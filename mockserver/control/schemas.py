"""Request and response schemas of the control API."""

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from ..api.requests import RequestSchema
from ..fields import QueryInteger, StrictInteger, StrictNumber, Timestamp
from ..store.records import INVITATION_STATUSES
from .faults import RETRY_AFTER_STATUSES

API_PREFIX = "/api/v1"
# Methods a fault may name. CORS preflights (OPTIONS) never meet a fault.
FAULT_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
JOURNAL_METHODS = (*FAULT_METHODS, "OPTIONS")
MAX_LATENCY_MS = 30_000
MAX_RETRY_AFTER_SECONDS = 86_400
PROGRESS_STATUSES = INVITATION_STATUSES[2:]


class ControlQuerySchema(Schema):
    """A strict query-string schema: unknown parameters are errors."""

    class Meta:
        unknown = RAISE

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        allowed = ", ".join(self.fields)
        self.error_messages = {
            **self.error_messages,
            "unknown": f"Unknown query parameter. Allowed parameters: {allowed}.",
        }


def _method_field(methods):
    return fields.String(
        validate=validate.OneOf(
            methods,
            error="Must be one of " + ", ".join(methods) + ", in uppercase.",
        )
    )


class ResetSchema(RequestSchema):
    seed = StrictInteger()


# Faults.


def validate_path_pattern(pattern):
    """Reject a pattern that can match no /api/v1 path."""
    if not pattern.startswith("/"):
        raise ValidationError("Must start with '/', such as /api/v1/campaign/*/list.")
    if any(char in "?# " for char in pattern) or not pattern.isprintable():
        raise ValidationError(
            "Must be a path without query string, fragment, spaces or control "
            "characters."
        )
    literal_prefix = pattern.split("*", 1)[0]
    api_root = API_PREFIX + "/"
    if "*" not in pattern:
        # A pattern without wildcards matches one path only, which must be
        # an API path: /api or /api/v matches no request that faults see.
        matches_api = pattern == API_PREFIX or pattern.startswith(api_root)
    else:
        matches_api = api_root.startswith(literal_prefix) or literal_prefix.startswith(
            api_root
        )
    if not matches_api:
        raise ValidationError(
            "Faults apply to /api/v1 requests only, and the pattern must match "
            "the whole path, so start it with /api/v1/ (such as "
            "/api/v1/campaign/*/list)."
        )


class FaultSchema(RequestSchema):
    path = fields.String(
        required=True,
        validate=[validate.Length(1, 2000), validate_path_pattern],
    )
    method = _method_field(FAULT_METHODS)
    status = StrictInteger(
        validate=validate.Range(400, 599, error="Must be 400 to 599.")
    )
    error_code = fields.String(
        validate=validate.Regexp(
            r"^[A-Z][A-Z0-9_]{0,63}$",
            error="Must be 1 to 64 uppercase letters, digits or '_', such as "
            "RATE_LIMIT_EXCEEDED.",
        )
    )
    error = fields.String(validate=validate.Length(1, 1000))
    latency_ms = StrictInteger(
        validate=validate.Range(
            0, MAX_LATENCY_MS, error=f"Must be 0 to {MAX_LATENCY_MS} milliseconds."
        )
    )
    times = StrictInteger(validate=validate.Range(min=1, error="Must be 1 or more."))
    probability = StrictNumber(
        validate=validate.Range(
            0,
            1,
            min_inclusive=False,
            error="Must be greater than 0 and at most 1.",
        )
    )
    retry_after = StrictInteger(
        validate=validate.Range(
            0,
            MAX_RETRY_AFTER_SECONDS,
            error=f"Must be 0 to {MAX_RETRY_AFTER_SECONDS} seconds.",
        )
    )

    @validates_schema
    def check_combination(self, data, **kwargs):
        """Reject a rule that does nothing or options its status cannot use."""
        status = data.get("status")
        errors = {}
        if status is None and not data.get("latency_ms"):
            errors["_schema"] = [
                "Give status, latency_ms of 1 or more, or both; this fault "
                "would change nothing."
            ]
        if status is None:
            for name in ("error_code", "error"):
                if name in data:
                    errors[name] = ["Only allowed together with status."]
        if "retry_after" in data and status not in RETRY_AFTER_STATUSES:
            errors["retry_after"] = ["Only allowed with status 429 or 503."]
        if errors:
            raise ValidationError(errors)


# Queries.


class EmailQuerySchema(ControlQuerySchema):
    campaign_id = fields.String(validate=validate.Length(min=1))
    to = fields.String(validate=validate.Length(min=1))


class RequestQuerySchema(ControlQuerySchema):
    method = _method_field(JOURNAL_METHODS)
    path_prefix = fields.String(
        validate=validate.Regexp(r"^/", error="Must start with '/'.")
    )
    status = QueryInteger(
        validate=validate.Range(100, 599, error="Must be 100 to 599.")
    )


# Candidate progress.


class ProgressSchema(RequestSchema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(
            PROGRESS_STATUSES,
            error="Must be one of " + ", ".join(PROGRESS_STATUSES) + ".",
        ),
    )
    score = StrictNumber(
        validate=validate.Range(0, 100, error="Must be 0 to 100."),
    )

    @validates_schema
    def check_score(self, data, **kwargs):
        completed = data.get("status") == "completed"
        if completed and "score" not in data:
            raise ValidationError("Required when status is completed.", "score")
        if not completed and "score" in data:
            raise ValidationError("Only allowed when status is completed.", "score")


# Responses.


class MembershipItemSchema(Schema):
    company_id = fields.String()
    permissions = fields.Integer()


class KeyItemSchema(Schema):
    key = fields.String()
    active = fields.Boolean()
    owner = fields.Function(lambda key: key.owner.email)
    companies = fields.List(
        fields.Nested(MembershipItemSchema), attribute="memberships"
    )


class EmailItemSchema(Schema):
    email_id = fields.String()
    to = fields.String()
    subject = fields.String()
    body = fields.String()
    link = fields.String()
    invitation_id = fields.String()
    campaign_id = fields.String()
    company_id = fields.String()
    sent_at = Timestamp()


def list_schema(item_schema, **extra_fields):
    """Return the schema of a control list: `items`, `count` and any extra fields."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "count": fields.Integer(),
            **extra_fields,
        },
        name=f"{item_schema.__name__.removesuffix('Schema')}ListSchema",
    )()
