"""Serialising responses with schemas."""

import functools

from flask import jsonify
from marshmallow import Schema, fields


@functools.cache
def page_schema(item_schema: type[Schema]) -> Schema:
    """Return the schema of a list response whose items use `item_schema`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "count": fields.Integer(),
            "pages": fields.Integer(),
        },
        name=f"{item_schema.__name__.removesuffix('Schema')}PageSchema",
    )()


def dump(schema: Schema, value, status=200):
    """Serialise `value` with `schema` into a JSON response."""
    response = jsonify(schema.dump(value))
    response.status_code = status
    return response
