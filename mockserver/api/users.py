"""Health, user profile and company endpoints: a valid key, no permission bit."""

from dataclasses import asdict

from flask import Blueprint

from ..errors import NoCompanyMembership
from .access import require_company, require_key
from .requests import current_mock, load_no_body, load_query
from .responses import dump
from .user_schemas import CompanySchema, HealthSchema, MembershipListSchema, UserSchema

blueprint = Blueprint("users", __name__)

# GET /user/me lists at most this many companies, as the DeePsy documentation specifies.
MAX_PROFILE_COMPANIES = 10


@blueprint.get("/health")
def health():
    require_key()
    load_no_body()
    load_query()
    return dump(HealthSchema(), {"status": "ok"})


@blueprint.get("/user/me")
def get_profile():
    key = require_key()
    load_no_body()
    load_query()
    store = current_mock().store
    companies = [
        {
            "company_id": membership.company_id,
            "permissions": membership.permissions,
            "company": store.get_company(membership.company_id),
        }
        for membership in key.memberships[:MAX_PROFILE_COMPANIES]
    ]
    return dump(UserSchema(), {**asdict(key.owner), "companies": companies})


@blueprint.get("/user/companies")
def list_user_companies():
    key = require_key()
    load_no_body()
    load_query()
    if not key.memberships:
        raise NoCompanyMembership()
    store = current_mock().store
    items = [
        {**asdict(membership), "company": store.get_company(membership.company_id)}
        for membership in key.memberships
    ]
    return dump(MembershipListSchema(), {"items": items, "count": len(items)})


@blueprint.get("/companies/<company_id>/get-details")
def get_company(company_id):
    company_id = require_company(company_id, manage_campaigns=False)
    company = current_mock().store.get_company(company_id)
    load_no_body()
    load_query()
    return dump(CompanySchema(), company)
