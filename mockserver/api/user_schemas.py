"""Response schemas of the health, user and company endpoints."""

from marshmallow import Schema, fields

from ..auth import permission_names
from ..fields import Timestamp


class HealthSchema(Schema):
    status = fields.String()


class CompanyBriefSchema(Schema):
    name = fields.String()
    profile_picture = fields.String(allow_none=True)


class UserCompanySchema(Schema):
    """A membership as `GET /user/me` lists it, with permissions as an integer."""

    company_id = fields.String()
    permissions = fields.Integer()
    company = fields.Nested(CompanyBriefSchema)


class UserSchema(Schema):
    first_name = fields.String()
    last_name = fields.String()
    display_name = fields.String()
    gender = fields.String(allow_none=True)
    age = fields.Integer(allow_none=True)
    email = fields.String()
    phone_number = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    profile_picture = fields.String(allow_none=True)
    biography = fields.String(allow_none=True)
    welcome_message = Timestamp(allow_none=True)
    email_verified_at = Timestamp(allow_none=True)
    companies = fields.List(fields.Nested(UserCompanySchema))


class CompanyContactSchema(Schema):
    name = fields.String()
    email = fields.String()
    website = fields.String(allow_none=True)
    industry = fields.String(allow_none=True)


class MembershipSchema(Schema):
    """A membership as `GET /user/companies` lists it, with permission names."""

    company_id = fields.String()
    permissions = fields.Function(lambda m: permission_names(m["permissions"]))
    created_at = Timestamp()
    company = fields.Nested(CompanyContactSchema)


class MembershipListSchema(Schema):
    items = fields.List(fields.Nested(MembershipSchema))
    count = fields.Integer()


class CompanySchema(Schema):
    company_id = fields.String()
    name = fields.String()
    email = fields.String()
    website = fields.String(allow_none=True)
    industry = fields.String(allow_none=True)
    profile_picture = fields.String(allow_none=True)
    created_at = Timestamp()
    subscription_active = fields.Boolean()
