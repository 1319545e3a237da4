"""List queries: the query schema, accent-insensitive search, stable sort and pages."""

import math
import unicodedata
from dataclasses import dataclass

from marshmallow import RAISE, Schema, fields, validate

from .fields import QueryInteger, TrimmedString

SORTABLE_FIELDS = {
    "campaigns": (
        "created_at",
        "updated_at",
        "name",
        "status",
        "candidates_count",
        "invitations_sent",
        "completion_rate",
    ),
    "invitations": (
        "created_at",
        "updated_at",
        "email",
        "first_name",
        "last_name",
        "status",
        "sent_at",
        "completed_at",
        "score",
    ),
    "assets": ("created_at", "updated_at", "name", "size", "content_type"),
}

SEARCH_FIELDS = {
    "campaigns": ("name", "description"),
    "invitations": ("email", "first_name", "last_name"),
    "assets": ("name", "file_name"),
}


def list_query_schema(resource) -> Schema:
    """Return the query-string schema of a resource's list endpoint."""
    sortable = SORTABLE_FIELDS[resource]
    schema_class = Schema.from_dict(
        {
            "page": QueryInteger(
                load_default=1,
                validate=validate.Range(min=1, error="Must be 1 or more."),
            ),
            "limit": QueryInteger(
                load_default=10,
                validate=validate.Range(1, 100, error="Must be 1 to 100."),
            ),
            "order": fields.String(
                load_default="desc",
                validate=validate.OneOf(
                    ("asc", "desc"), error="Must be 'asc' or 'desc', in lowercase."
                ),
            ),
            "order_by": fields.String(
                load_default="created_at",
                validate=validate.OneOf(
                    sortable, error="Must be one of: " + ", ".join(sortable) + "."
                ),
            ),
            "query": TrimmedString(load_default=""),
        },
        name=f"{resource.title()}ListQuerySchema",
    )
    schema = schema_class(unknown=RAISE)
    schema.error_messages = {
        **schema.error_messages,
        "unknown": "Unknown query parameter. Allowed: page, limit, order, "
        "order_by, query.",
    }
    return schema


# Latin letters that Unicode does not decompose into a base letter and an
# accent, folded to the plain letters people type for them, so "Ørsted"
# matches "orsted" and "cœur" matches "coeur".
_UNDECOMPOSED_LETTERS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ł": "l",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
    }
)


def fold_text(text: str) -> str:
    """Return `text` without accents and case, so "Évaluation" matches "evaluation"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().translate(_UNDECOMPOSED_LETTERS)


@dataclass(frozen=True)
class Page:
    items: list
    count: int
    pages: int


def _sort_key(value):
    # Strings sort ignoring case and accents, as search matches them, so
    # "apple" comes before "Banana" and "Éric" before "Fred". Strings equal
    # after folding are a tie, which the id breaks.
    if isinstance(value, str):
        return fold_text(value)
    return value


def paginate(records, query, resource, id_field) -> Page:
    """Filter, sort and cut `records` into the page that `query` requests.

    Ties are broken by the record id in the same direction, and null values
    sort last in both directions, so paging never repeats or skips a record.
    """
    text = fold_text(query["query"])
    if text:
        searched = SEARCH_FIELDS[resource]
        records = [
            record
            for record in records
            if any(text in fold_text(getattr(record, name) or "") for name in searched)
        ]
    order_by, descending = query["order_by"], query["order"] == "desc"
    present = [r for r in records if getattr(r, order_by) is not None]
    missing = [r for r in records if getattr(r, order_by) is None]
    present.sort(
        key=lambda r: (_sort_key(getattr(r, order_by)), getattr(r, id_field)),
        reverse=descending,
    )
    missing.sort(key=lambda r: getattr(r, id_field), reverse=descending)
    ordered = present + missing
    count, limit = len(ordered), query["limit"]
    start = (query["page"] - 1) * limit
    return Page(
        items=ordered[start : start + limit],
        count=count,
        pages=math.ceil(count / limit),
    )
