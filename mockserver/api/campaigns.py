"""Campaign endpoints: list, create, get-details, update and bulk-archive."""

from flask import Blueprint

from ..listing import list_query_schema, paginate
from .access import require_company
from .campaign_schemas import (
    BulkArchiveResultSchema,
    BulkArchiveSchema,
    CampaignCreateSchema,
    CampaignListItemSchema,
    CampaignSchema,
    CampaignUpdateSchema,
)
from .requests import current_mock, load_json, load_no_body, load_query
from .responses import dump, page_schema

blueprint = Blueprint("campaigns", __name__)

LIST_QUERY = list_query_schema("campaigns")
CAMPAIGN = CampaignSchema()


@blueprint.get("/campaign/<company_id>/list")
def list_campaigns(company_id):
    company_id = require_company(company_id)
    load_no_body()
    query = load_query(LIST_QUERY)
    campaigns = current_mock().store.list_campaigns(company_id)
    page = paginate(campaigns, query, "campaigns", "campaign_id")
    return dump(page_schema(CampaignListItemSchema), page)


@blueprint.post("/campaign/<company_id>/create")
def create_campaign(company_id):
    company_id = require_company(company_id)
    store = current_mock().store
    data = load_json(CampaignCreateSchema(catalogue=store.list_test_ids()))
    load_query()
    campaign = store.create_campaign(company_id, **data)
    return dump(CAMPAIGN, campaign, 201)


@blueprint.get("/campaign/<company_id>/<campaign_id>/get-details")
def get_campaign(company_id, campaign_id):
    company_id = require_company(company_id)
    campaign = current_mock().store.get_campaign(company_id, campaign_id)
    load_no_body()
    load_query()
    return dump(CAMPAIGN, campaign)


@blueprint.put("/campaign/<company_id>/<campaign_id>/update")
def update_campaign(company_id, campaign_id):
    company_id = require_company(company_id)
    store = current_mock().store
    store.get_campaign(company_id, campaign_id)
    changes = load_json(CampaignUpdateSchema(catalogue=store.list_test_ids()))
    load_query()
    campaign = store.update_campaign(company_id, campaign_id, changes)
    return dump(CAMPAIGN, campaign)


@blueprint.post("/campaign/<company_id>/bulk-archive")
def archive_campaigns(company_id):
    company_id = require_company(company_id)
    data = load_json(BulkArchiveSchema())
    load_query()
    archived, not_found = current_mock().store.archive_campaigns(
        company_id, data["campaign_ids"]
    )
    result = {"archived": archived, "not_found": not_found}
    return dump(BulkArchiveResultSchema(), result)
