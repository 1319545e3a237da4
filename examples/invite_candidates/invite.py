"""Invite candidates to a DeePsy campaign, then report its completion rates.

An example of the client an integrator writes against the DeePsy API v1.
It reads candidates from a CSV file with the columns email, first_name and
last_name, invites them in bulk to an active campaign with an email each,
prints the invitations that failed, then prints how many candidates have
completed their assessment.

    export DEEPSY_API_KEY=deepsy-dev-...
    python invite.py --base-url http://127.0.0.1:8000/api/v1 \\
        --company c193a06f-1c25-4e65-84a7-95faaae7ae7b \\
        --campaign camp_123456789 candidates.csv

The exit status is 0 when every candidate was invited, 1 when some failed
and 2 when the API rejected the request.
"""

import argparse
import csv
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import requests

# The API takes at most this many invitations in one bulk request.
BULK_LIMIT = 500
# The largest page the list endpoints return.
PAGE_LIMIT = 100
# Statuses after which the same request may succeed when sent again.
RETRY_STATUSES = (429, 502, 503, 504)
# Upper bound, in seconds, of the wait between two attempts.
MAX_RETRY_WAIT = 30


class DeepsyError(Exception):
    """An error response of the DeePsy API, with its HTTP status and error code."""

    def __init__(self, status, error_code, message):
        super().__init__(f"HTTP {status} {error_code}: {message}")
        self.status = status
        self.error_code = error_code
        self.message = message


class CampaignNotActive(Exception):
    """The campaign cannot send invitation emails because it is not active."""


class DeepsyApi:
    """A small client of the DeePsy API v1 that retries overloaded requests.

    A request that gets 429, 502, 503 or 504 is sent again after the
    number of seconds in its Retry-After header (else 1, 2, 4... seconds),
    up to `attempts` times in all. `sleep` is the function that waits, so
    tests can record the waits instead of sleeping.
    """

    def __init__(self, base_url, api_key, *, attempts=3, timeout=30, sleep=time.sleep):
        self.base_url = base_url.rstrip("/")
        self.attempts = attempts
        self.timeout = timeout
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {api_key}"

    def close(self):
        self.session.close()

    def call(self, method, path, **kwargs):
        """Send a request to `path` under the base URL; return its JSON body.

        Raises DeepsyError for an error response, after the retries for the
        statuses that allow them.
        """
        url = self.base_url + path
        for attempt in range(1, self.attempts + 1):
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            if response.status_code not in RETRY_STATUSES or attempt == self.attempts:
                break
            self.sleep(retry_wait(response, attempt))
        if response.status_code >= 400:
            raise api_error(response)
        return response.json()

    def campaign_details(self, company_id, campaign_id):
        return self.call("GET", f"/campaign/{company_id}/{campaign_id}/get-details")

    def invitations(self, company_id, campaign_id):
        """Yield every invitation of the campaign, page after page."""
        path = f"/campaign/{company_id}/{campaign_id}/invitations/list"
        page = 1
        while True:
            listing = self.call(
                "GET",
                path,
                params={"page": page, "limit": PAGE_LIMIT, "order": "asc"},
            )
            yield from listing["items"]
            if page >= listing["pages"]:
                return
            page += 1

    def bulk_invite(self, company_id, campaign_id, candidates, *, message=None):
        """Invite up to BULK_LIMIT candidates and send each an email."""
        body = {"invitations": candidates, "send_emails": True}
        if message:
            body["message"] = message
        path = f"/campaign/{company_id}/{campaign_id}/invitations/bulk-invitations"
        return self.call("POST", path, json=body)


def retry_wait(response, attempt):
    """Return the seconds to wait before the next attempt."""
    try:
        seconds = int(response.headers["Retry-After"])
    except (KeyError, ValueError):
        # No header, or the HTTP-date form, which this client does not read.
        seconds = 2 ** (attempt - 1)
    return min(max(seconds, 0), MAX_RETRY_WAIT)


def api_error(response):
    try:
        body = response.json()
    except ValueError:
        body = {}
    return DeepsyError(
        response.status_code,
        body.get("error_code", "UNKNOWN"),
        body.get("error", response.text[:200]),
    )


@dataclass
class InviteResult:
    """The invitations created and the candidates that failed, with the reason."""

    created: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def invite_candidates(api, company_id, campaign_id, candidates, *, message=None):
    """Invite `candidates` (dicts with email, first_name, last_name) by email.

    Sends BULK_LIMIT candidates per request. Each failure keeps the index of
    its candidate in `candidates`. Raises CampaignNotActive when the
    campaign is not active, before sending anything.
    """
    details = api.campaign_details(company_id, campaign_id)
    if details["status"] != "active":
        raise CampaignNotActive(
            f"Campaign {campaign_id} is {details['status']}; only an active "
            "campaign sends invitation emails."
        )

    result = InviteResult()
    for start in range(0, len(candidates), BULK_LIMIT):
        batch = candidates[start : start + BULK_LIMIT]
        response = api.bulk_invite(company_id, campaign_id, batch, message=message)
        result.created += response["created"]
        for failure in response["failed"]:
            result.failed.append({**failure, "index": start + failure["index"]})
    return result


def completion_report(api, company_id, campaign_id):
    """Return the campaign's statistics and its invitations counted by status."""
    details = api.campaign_details(company_id, campaign_id)
    invitations = list(api.invitations(company_id, campaign_id))
    return {
        "name": details["name"],
        "status": details["status"],
        "statistics": details["statistics"],
        "by_status": dict(Counter(item["status"] for item in invitations)),
        "waiting": sorted(
            item["email"] for item in invitations if item["status"] != "completed"
        ),
    }


def read_candidates(path):
    """Read candidates from a CSV file with a header row; email is required."""
    with open(path, newline="", encoding="utf-8") as file:
        return [
            {
                "email": row["email"].strip(),
                "first_name": (row.get("first_name") or "").strip(),
                "last_name": (row.get("last_name") or "").strip(),
            }
            for row in csv.DictReader(file)
        ]


def print_result(result, candidates, out):
    print(f"Invited {len(result.created)} of {len(candidates)} candidates.", file=out)
    for failure in result.failed:
        print(
            # Line 1 of the file is the header row.
            f"  failed: line {failure['index'] + 2} {failure['email']}: "
            f"{failure['error_code']}: {failure['error']}",
            file=out,
        )


def print_report(report, out):
    statistics = report["statistics"]
    average = statistics["average_score"]
    print(
        f"{report['name']} ({report['status']}): "
        f"{statistics['completed_assessments']} of "
        f"{statistics['total_invitations']} completed "
        f"({statistics['completion_rate']}%), average score "
        f"{'none yet' if average is None else average}.",
        file=out,
    )
    counts = ", ".join(
        f"{status} {count}" for status, count in sorted(report["by_status"].items())
    )
    print(f"By status: {counts}.", file=out)
    print(f"Not completed: {len(report['waiting'])}.", file=out)


def build_parser():
    parser = argparse.ArgumentParser(
        description="Invite candidates to a DeePsy campaign and report completion. "
        "The API key comes from the environment variable DEEPSY_API_KEY."
    )
    parser.add_argument("--base-url", required=True, help="API root, ending in /api/v1")
    parser.add_argument("--company", required=True, help="company id (a UUID)")
    parser.add_argument("--campaign", required=True, help="campaign id")
    parser.add_argument("--message", help="text added to every invitation email")
    parser.add_argument("candidates", help="CSV file: email, first_name, last_name")
    return parser


def main(argv=None, out=None):
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    api_key = os.environ.get("DEEPSY_API_KEY")
    if not api_key:
        print(
            "invite.py: the environment variable DEEPSY_API_KEY is missing. "
            "Set it to your DeePsy API key.",
            file=sys.stderr,
        )
        return 2
    candidates = read_candidates(args.candidates)
    api = DeepsyApi(args.base_url, api_key)
    try:
        result = invite_candidates(
            api, args.company, args.campaign, candidates, message=args.message
        )
        print_result(result, candidates, out)
        print_report(completion_report(api, args.company, args.campaign), out)
    except (DeepsyError, CampaignNotActive) as error:
        print(f"invite.py: {error}", file=sys.stderr)
        return 2
    finally:
        api.close()
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
