"""Concurrent requests over real HTTP: no lost, duplicated or torn records."""

from concurrent.futures import ThreadPoolExecutor

import requests

TIMEOUT = 30
ACME = "c193a06f-1c25-4e65-84a7-95faaae7ae7b"
HEADERS = {"Authorization": "Bearer deepsy-dev-your-api-key-here"}
THREADS = 8
PER_THREAD = 500


def create_campaign(server):
    response = requests.post(
        f"{server.api_url}/campaign/{ACME}/create",
        json={"name": "Concurrency"},
        headers=HEADERS,
        timeout=TIMEOUT,
    )
    assert response.status_code == 201
    return response.json()["campaign_id"]


def create_invitations(server, campaign_id, worker):
    """Create this worker's invitations one request each; return their ids."""
    url = f"{server.api_url}/campaign/{ACME}/{campaign_id}/invitations/create"
    ids, statuses = [], []
    with requests.Session() as session:
        for n in range(PER_THREAD):
            response = session.post(
                url,
                json={
                    "email": f"w{worker}.c{n}@example.com",
                    "first_name": f"W{worker}",
                },
                headers=HEADERS,
                timeout=TIMEOUT,
            )
            statuses.append(response.status_code)
            if response.status_code == 201:
                ids.append(response.json()["invitation_id"])
    return ids, statuses


def test_parallel_creates_all_kept(fresh_server):
    campaign_id = create_campaign(fresh_server)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(
            pool.map(
                lambda w: create_invitations(fresh_server, campaign_id, w),
                range(THREADS),
            )
        )
    ids = [i for worker_ids, _ in results for i in worker_ids]
    statuses = {s for _, worker_statuses in results for s in worker_statuses}
    listed = requests.get(
        f"{fresh_server.api_url}/campaign/{ACME}/{campaign_id}/invitations/list",
        headers=HEADERS,
        timeout=TIMEOUT,
    ).json()
    details = requests.get(
        f"{fresh_server.api_url}/campaign/{ACME}/{campaign_id}/get-details",
        headers=HEADERS,
        timeout=TIMEOUT,
    ).json()

    assert statuses == {201}
    assert len(ids) == THREADS * PER_THREAD
    assert len(set(ids)) == THREADS * PER_THREAD
    assert listed["count"] == THREADS * PER_THREAD
    assert details["statistics"]["total_invitations"] == THREADS * PER_THREAD


def test_parallel_duplicates_created_once(fresh_server):
    campaign_id = create_campaign(fresh_server)
    url = f"{fresh_server.api_url}/campaign/{ACME}/{campaign_id}/invitations/create"

    def attempt(n):
        response = requests.post(
            url,
            json={"email": f"Same{n % 4}@example.com"},
            headers=HEADERS,
            timeout=TIMEOUT,
        )
        return response.status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(attempt, range(64)))

    assert statuses.count(201) == 4
    assert statuses.count(409) == 60


def test_parallel_updates_lose_no_field(fresh_server):
    campaign_id = create_campaign(fresh_server)
    url = f"{fresh_server.api_url}/campaign/{ACME}/{campaign_id}/update"
    # Each worker sets its own settings key, so a lost update shows as a
    # key that lost its value.
    changes = [
        {"settings": {"allow_retakes": True}},
        {"settings": {"time_limit": 120}},
        {"settings": {"send_results_email": False}},
        {"settings": {"require_consent": False}},
        {"description": "Updated concurrently"},
        {"tests": ["cognitive_ability"]},
        {"name": "Renamed concurrently"},
        {"status": "active"},
    ]

    def apply(change):
        with requests.Session() as session:
            return [
                session.put(
                    url, json=change, headers=HEADERS, timeout=TIMEOUT
                ).status_code
                for _ in range(50)
            ]

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = {s for result in pool.map(apply, changes) for s in result}
    body = requests.get(
        f"{fresh_server.api_url}/campaign/{ACME}/{campaign_id}/get-details",
        headers=HEADERS,
        timeout=TIMEOUT,
    ).json()

    assert statuses == {200}
    assert body["settings"] == {
        "allow_retakes": True,
        "time_limit": 120,
        "send_results_email": False,
        "require_consent": False,
    }
    assert body["description"] == "Updated concurrently"
    assert [t["test_id"] for t in body["tests"]] == ["cognitive_ability"]
    assert body["name"] == "Renamed concurrently"
    assert body["status"] == "active"


def test_parallel_archive_and_invite(fresh_server):
    """An invitation racing an archive is either created before it or refused."""
    campaign_id = create_campaign(fresh_server)
    base = f"{fresh_server.api_url}/campaign/{ACME}"

    def invite(n):
        response = requests.post(
            f"{base}/{campaign_id}/invitations/create",
            json={"email": f"race{n}@example.com"},
            headers=HEADERS,
            timeout=TIMEOUT,
        )
        return response.status_code

    def archive():
        return requests.post(
            f"{base}/bulk-archive",
            json={"campaign_ids": [campaign_id]},
            headers=HEADERS,
            timeout=TIMEOUT,
        ).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        invited = [pool.submit(invite, n) for n in range(40)]
        archived = pool.submit(archive)
        statuses = [future.result() for future in invited]
    listed = requests.get(
        f"{base}/{campaign_id}/invitations/list",
        headers=HEADERS,
        timeout=TIMEOUT,
    ).json()

    assert archived.result() == 200
    assert set(statuses) <= {201, 409}
    assert listed["count"] == statuses.count(201)
