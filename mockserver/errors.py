"""Errors of the mock, each with its HTTP status and DeePsy error code.

The module imports nothing from Flask, so the store can raise these errors too.
"""


class ApiError(Exception):
    """An error sent as the DeePsy body `{"error": ..., "error_code": ...}`."""

    status = 500
    error_code = "INTERNAL_ERROR"
    message = "The mock server failed to handle the request."

    def __init__(self, message=None, *, details=None, headers=None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.details = details
        self.headers = headers or {}

    def to_body(self):
        body = {"error": self.message, "error_code": self.error_code}
        if self.details is not None:
            body["details"] = self.details
        return body


# Authentication (401) and access (402, 403), as the DeePsy documentation has them.


class ApiKeyNotProvided(ApiError):
    status = 401
    error_code = "API_KEY_NOT_PROVIDED"
    message = (
        "No API key provided. Send the header 'Authorization: Bearer <key>' "
        "with a key that starts with 'deepsy-dev-'."
    )


class InvalidApiKeyFormat(ApiError):
    status = 401
    error_code = "INVALID_API_KEY_FORMAT"
    message = "The Authorization header must have the form 'Bearer deepsy-dev-<key>'."


class InvalidApiKey(ApiError):
    status = 401
    error_code = "INVALID_API_KEY"
    message = "The API key is not valid. GET /_mock/keys lists the mock's keys."


class ApiKeyInactive(ApiError):
    status = 401
    error_code = "API_KEY_INACTIVE"
    message = "The API key has been deactivated. Use an active key."


class ActiveSubscriptionRequired(ApiError):
    status = 402
    error_code = "ACTIVE_SUBSCRIPTION_REQUIRED"
    message = "The company needs an active subscription to use this endpoint."


class UserNotInCompany(ApiError):
    status = 403
    error_code = "USER_NOT_IN_COMPANY"
    message = "The API key is not linked to this company."


class NoPermissionsFound(ApiError):
    status = 403
    error_code = "NO_PERMISSIONS_FOUND"
    message = "The API key has no permissions for this company."


class InsufficientPermissions(ApiError):
    status = 403
    error_code = "INSUFFICIENT_PERMISSIONS"
    message = "You do not have the required permissions to access this resource"


class NoCompanyMembership(ApiError):
    status = 422
    error_code = "NO_COMPANY_MEMBERSHIP"
    message = "The user of this API key belongs to no company."


# Missing resources (404).


class NotFound(ApiError):
    status = 404
    error_code = "NOT_FOUND"
    message = "No endpoint matches this path. Paths of the API start with /api/v1."


class CampaignNotFound(ApiError):
    status = 404
    error_code = "CAMPAIGN_NOT_FOUND"
    message = "No campaign with this id exists in this company."


class InvitationNotFound(ApiError):
    status = 404
    error_code = "INVITATION_NOT_FOUND"
    message = "No invitation with this id exists in this campaign."


class AssetNotFound(ApiError):
    status = 404
    error_code = "ASSET_NOT_FOUND"
    message = "No asset with this id exists in this company."


class FaultNotFound(ApiError):
    status = 404
    error_code = "FAULT_NOT_FOUND"
    message = "No fault with this id is registered."


# Malformed requests (400, 405, 413, 415, 416, 422).


class InvalidJson(ApiError):
    status = 400
    error_code = "INVALID_JSON"
    message = "The request body is not valid JSON."


class BadRequest(ApiError):
    status = 400
    error_code = "BAD_REQUEST"
    message = "The request is malformed."


class MethodNotAllowed(ApiError):
    status = 405
    error_code = "METHOD_NOT_ALLOWED"
    message = "This method is not allowed on this endpoint."


class PayloadTooLarge(ApiError):
    status = 413
    error_code = "PAYLOAD_TOO_LARGE"
    message = "The request body is too large."


class UnsupportedMediaType(ApiError):
    status = 415
    error_code = "UNSUPPORTED_MEDIA_TYPE"
    message = "Send the body as application/json."


class RangeNotSatisfiable(ApiError):
    status = 416
    error_code = "RANGE_NOT_SATISFIABLE"
    message = "The requested range is outside the file."


class PreconditionFailed(ApiError):
    status = 412
    error_code = "PRECONDITION_FAILED"
    message = "A precondition header (If-Match, If-Unmodified-Since) did not hold."


class ValidationError(ApiError):
    status = 422
    error_code = "VALIDATION_ERROR"
    message = "The request is invalid. See 'details' for each invalid field."


# State rules (409).


class InvalidStatusTransition(ApiError):
    status = 409
    error_code = "INVALID_STATUS_TRANSITION"


class CampaignArchived(ApiError):
    status = 409
    error_code = "CAMPAIGN_ARCHIVED"
    message = "The campaign is archived; an archived campaign cannot be updated."


class CampaignNotAcceptingInvitations(ApiError):
    status = 409
    error_code = "CAMPAIGN_NOT_ACCEPTING_INVITATIONS"


class CampaignNotActive(ApiError):
    status = 409
    error_code = "CAMPAIGN_NOT_ACTIVE"


class InvitationAlreadyExists(ApiError):
    status = 409
    error_code = "INVITATION_ALREADY_EXISTS"


class InvitationAlreadyCompleted(ApiError):
    status = 409
    error_code = "INVITATION_ALREADY_COMPLETED"
    message = "The candidate has completed the assessment; no email can be sent."


class InvalidProgress(ApiError):
    status = 409
    error_code = "INVALID_PROGRESS"


# Control API (401 for the admin token).


class AdminTokenRequired(ApiError):
    status = 401
    error_code = "ADMIN_TOKEN_REQUIRED"
    message = (
        "The control API needs the header X-Mock-Admin-Token with the value of "
        "DEEPSY_MOCK_ADMIN_TOKEN."
    )


class ServiceUnavailable(ApiError):
    status = 503
    error_code = "SERVICE_UNAVAILABLE"
    message = "The service is unavailable."


# Asset uploads (400).


class InvalidMultipart(ApiError):
    status = 400
    error_code = "INVALID_MULTIPART"
    message = "The multipart/form-data body is malformed."
