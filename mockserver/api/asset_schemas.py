"""Request and response schemas of the asset endpoints."""

from flask import url_for
from marshmallow import Schema, fields, validate

from ..fields import Timestamp, TrimmedString
from ..files import UploadedFile
from .requests import RequestSchema, public_base_url

NAME_LENGTH = validate.Length(1, 200, error="Must be 1 to 200 characters long.")


class FilePart(fields.Field):
    """The `file` part of an upload: a file part that is not empty."""

    default_error_messages = {
        "invalid": "Must be a file part, with a filename in its "
        "Content-Disposition header.",
        "empty": "Must not be empty.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, UploadedFile):
            raise self.make_error("invalid")
        if not value.content:
            raise self.make_error("empty")
        return value


class UploadSchema(RequestSchema):
    """The parts of an upload or replace: `file`, and an optional display `name`."""

    file = FilePart(required=True)
    name = TrimmedString(
        validate=NAME_LENGTH,
        error_messages={"invalid": "Must be a text part, without a filename."},
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages = {
            **self.error_messages,
            "unknown": "Unknown part. Allowed parts: file, name.",
        }


class RenameSchema(RequestSchema):
    name = TrimmedString(required=True, validate=NAME_LENGTH)


# Responses.


def asset_url(asset):
    """Return the absolute, public URL of the asset's current file."""
    path = url_for(
        "api.assets.read_asset_file",
        asset_id=asset.asset_id,
        file_path=asset.file_path,
    )
    return public_base_url() + path


class AssetSchema(Schema):
    """An asset's metadata, as every asset endpoint returns it."""

    asset_id = fields.String()
    name = fields.String()
    file_name = fields.String()
    file_path = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    checksum = fields.String()
    url = fields.Function(asset_url)
    created_at = Timestamp()
    updated_at = Timestamp()
