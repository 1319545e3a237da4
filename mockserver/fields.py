"""Strict marshmallow fields shared by request schemas and fixture files.

A strict mock catches client mistakes that a lenient server would hide, so
JSON values must have their JSON type: `"5"` is no integer and `1` is no
boolean.
"""

import re
from datetime import UTC, datetime

from marshmallow import ValidationError, fields

_DIGITS = re.compile(r"[0-9]+")


class StrictBoolean(fields.Field):
    """A JSON `true` or `false`, nothing else."""

    default_error_messages = {"invalid": "Must be true or false."}

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid")

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class StrictInteger(fields.Integer):
    """A JSON integer: no string, no boolean, no float such as 5.0."""

    default_error_messages = {"invalid": "Must be an integer."}

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return value


class StrictNumber(fields.Float):
    """A JSON number, integer or decimal, but no string or boolean."""

    default_error_messages = {"invalid": "Must be a number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return float(value)


# The largest value a query integer may have, as in a signed 64-bit integer.
# The bound also keeps a number of thousands of digits from reaching int(),
# which refuses strings over 4300 digits.
QUERY_INTEGER_MAX = 2**63 - 1


class QueryInteger(fields.Integer):
    """An integer in a query string, written in plain ASCII digits."""

    default_error_messages = {
        "invalid": "Must be a whole number such as 1.",
        "too_large": f"Must be at most {QUERY_INTEGER_MAX}.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not _DIGITS.fullmatch(value):
            raise self.make_error("invalid")
        digits = value.lstrip("0") or "0"
        if len(digits) > len(str(QUERY_INTEGER_MAX)) or int(digits) > QUERY_INTEGER_MAX:
            raise self.make_error("too_large")
        return int(digits)


class TrimmedString(fields.String):
    """A string with surrounding white space removed before validation."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Timestamp(fields.Field):
    """A UTC timestamp at second precision, written as 2023-01-15T10:30:00Z."""

    default_error_messages = {
        "invalid": "Must be a UTC timestamp such as 2023-01-15T10:30:00Z."
    }

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as error:
            raise self.make_error("invalid") from error
        offset = parsed.utcoffset()
        if offset is None or offset.total_seconds() != 0:
            raise self.make_error("invalid")
        return parsed.astimezone(UTC).replace(microsecond=0)


__all__ = [
    "QueryInteger",
    "StrictBoolean",
    "StrictInteger",
    "StrictNumber",
    "Timestamp",
    "TrimmedString",
    "ValidationError",
]
