"""Request and response schemas of the invitation endpoints."""

import unicodedata

from marshmallow import Schema, fields, validate

from ..fields import StrictBoolean, Timestamp, TrimmedString
from .requests import RequestSchema

NAME_LENGTH = validate.Length(max=100, error="Must be at most 100 characters.")
MESSAGE_LENGTH = validate.Length(max=2000, error="Must be at most 2000 characters.")
EMAIL = validate.And(
    # An SMTP path, angle brackets included, is at most 256 octets (RFC 5321,
    # section 4.5.3.1.3), which leaves 254 for the address. The check counts
    # characters, so it lets a few longer non-ASCII addresses through.
    validate.Length(max=254, error="Must be at most 254 characters."),
    validate.Email(error="Must be a valid email address such as jane@example.com."),
)


class EmailAddress(TrimmedString):
    """An email address, trimmed and composed to Unicode NFC.

    Composing first makes the two spellings of an accented letter, such as
    "é" as one code point or as "e" and a combining accent, one valid
    address, also for the uniqueness check.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return unicodedata.normalize("NFC", text)


class InvitationCreateSchema(RequestSchema):
    email = EmailAddress(required=True, validate=EMAIL)
    first_name = TrimmedString(load_default="", validate=NAME_LENGTH)
    last_name = TrimmedString(load_default="", validate=NAME_LENGTH)
    message = fields.String(load_default="", validate=MESSAGE_LENGTH)
    send_email = StrictBoolean(load_default=False)


class BulkItemShapeSchema(RequestSchema):
    """The shape of one bulk item; its values are checked item by item later."""

    email = fields.String(required=True)
    first_name = fields.String(load_default="")
    last_name = fields.String(load_default="")


class BulkItemSchema(RequestSchema):
    """The values of one bulk item; a failure here fails that item only."""

    email = EmailAddress(required=True, validate=EMAIL)
    first_name = TrimmedString(load_default="", validate=NAME_LENGTH)
    last_name = TrimmedString(load_default="", validate=NAME_LENGTH)


class BulkInvitationsSchema(RequestSchema):
    invitations = fields.List(
        fields.Nested(BulkItemShapeSchema),
        required=True,
        validate=validate.Length(1, 500, error="Give 1 to 500 invitations."),
    )
    send_emails = StrictBoolean(load_default=False)
    message = fields.String(load_default="", validate=MESSAGE_LENGTH)


class SendEmailSchema(RequestSchema):
    message = fields.String(validate=MESSAGE_LENGTH)


class BulkDeleteSchema(RequestSchema):
    invitation_ids = fields.List(
        fields.String(),
        required=True,
        validate=validate.Length(1, 500, error="Give 1 to 500 invitation ids."),
    )


# Responses.


class InvitationSchema(Schema):
    invitation_id = fields.String()
    campaign_id = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    message = fields.String()
    status = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()
    sent_at = Timestamp(allow_none=True)
    emails_sent = fields.Integer()
    completed_at = Timestamp(allow_none=True)
    score = fields.Float(allow_none=True)


class BulkFailureSchema(Schema):
    index = fields.Integer()
    email = fields.String()
    error = fields.String()
    error_code = fields.String()


class BulkInvitationsResultSchema(Schema):
    created = fields.List(fields.Nested(InvitationSchema))
    failed = fields.List(fields.Nested(BulkFailureSchema))


class DeletedInvitationSchema(Schema):
    invitation_id = fields.String()
    deleted = fields.Boolean()


class BulkDeleteResultSchema(Schema):
    deleted = fields.List(fields.String())
    not_found = fields.List(fields.String())
