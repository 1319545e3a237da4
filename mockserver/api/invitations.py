"""Invitation endpoints of a campaign: list, create, bulk, send email, delete."""

from flask import Blueprint

from ..errors import ValidationError
from ..listing import list_query_schema, paginate
from .access import require_company
from .invitation_schemas import (
    BulkDeleteResultSchema,
    BulkDeleteSchema,
    BulkInvitationsResultSchema,
    BulkInvitationsSchema,
    BulkItemSchema,
    DeletedInvitationSchema,
    InvitationCreateSchema,
    InvitationSchema,
    SendEmailSchema,
)
from .requests import (
    EMPTY_BODY,
    current_mock,
    load_json,
    load_no_body,
    load_query,
    public_base_url,
    validate_with,
)
from .responses import dump, page_schema

blueprint = Blueprint("invitations", __name__)

PREFIX = "/campaign/<company_id>/<campaign_id>/invitations"
LIST_QUERY = list_query_schema("invitations")
INVITATION = InvitationSchema()


def _store():
    return current_mock().store


@blueprint.get(f"{PREFIX}/list")
def list_invitations(company_id, campaign_id):
    company_id = require_company(company_id)
    invitations = _store().list_invitations(company_id, campaign_id)
    load_no_body()
    query = load_query(LIST_QUERY)
    page = paginate(invitations, query, "invitations", "invitation_id")
    return dump(page_schema(InvitationSchema), page)


@blueprint.post(f"{PREFIX}/create")
def create_invitation(company_id, campaign_id):
    company_id = require_company(company_id)
    _store().get_campaign(company_id, campaign_id)
    data = load_json(InvitationCreateSchema())
    load_query()
    send_email = data.pop("send_email")
    invitation = _store().create_invitation(
        company_id,
        campaign_id,
        data,
        send_email=send_email,
        link_base=public_base_url(),
    )
    return dump(INVITATION, invitation, 201)


def _check_items(items):
    """Split bulk items into valid `(index, fields)` pairs and failures."""
    valid, failed = [], []
    item_schema = BulkItemSchema()
    for index, item in enumerate(items):
        try:
            valid.append((index, validate_with(item_schema, item)))
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}"
                for field, messages in error.details.items()
            )
            failed.append(
                {
                    "index": index,
                    "email": item["email"],
                    "error": f"Invalid invitation ({problems})",
                    "error_code": error.error_code,
                }
            )
    return valid, failed


@blueprint.post(f"{PREFIX}/bulk-invitations")
def create_invitations(company_id, campaign_id):
    company_id = require_company(company_id)
    _store().get_campaign(company_id, campaign_id)
    data = load_json(BulkInvitationsSchema())
    load_query()
    valid, failed = _check_items(data["invitations"])
    created, duplicates = _store().create_invitations(
        company_id,
        campaign_id,
        valid,
        send_emails=data["send_emails"],
        message=data["message"],
        link_base=public_base_url(),
    )
    for index, _, error in duplicates:
        failed.append(
            {
                "index": index,
                # The address as the request wrote it, before trimming.
                "email": data["invitations"][index]["email"],
                "error": error.message,
                "error_code": error.error_code,
            }
        )
    failed.sort(key=lambda failure: failure["index"])
    result = {"created": created, "failed": failed}
    return dump(BulkInvitationsResultSchema(), result)


@blueprint.post(f"{PREFIX}/<invitation_id>/send-email-invitation")
def send_invitation_email(company_id, campaign_id, invitation_id):
    company_id = require_company(company_id)
    _store().get_invitation(company_id, campaign_id, invitation_id)
    data = load_json(SendEmailSchema(), required=False)
    load_query()
    invitation = _store().send_invitation_email(
        company_id,
        campaign_id,
        invitation_id,
        message=data.get("message"),
        link_base=public_base_url(),
    )
    return dump(INVITATION, invitation)


@blueprint.delete(f"{PREFIX}/<invitation_id>/delete")
def delete_invitation(company_id, campaign_id, invitation_id):
    company_id = require_company(company_id)
    _store().get_invitation(company_id, campaign_id, invitation_id)
    load_json(EMPTY_BODY, required=False)
    load_query()
    _store().delete_invitation(company_id, campaign_id, invitation_id)
    result = {"invitation_id": invitation_id, "deleted": True}
    return dump(DeletedInvitationSchema(), result)


@blueprint.post(f"{PREFIX}/bulk-delete")
def delete_invitations(company_id, campaign_id):
    company_id = require_company(company_id)
    _store().get_campaign(company_id, campaign_id)
    data = load_json(BulkDeleteSchema())
    load_query()
    deleted, not_found = _store().delete_invitations(
        company_id, campaign_id, data["invitation_ids"]
    )
    result = {"deleted": deleted, "not_found": not_found}
    return dump(BulkDeleteResultSchema(), result)
