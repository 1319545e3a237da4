"""Build the seeded state: fixture records filled out with Faker data.

Everything comes from the fixtures, one `Faker` and one `random.Random`, both
seeded, and from fixed base dates, never from the clock. The same fixtures and
seed therefore give the same state on every machine.
"""

import functools
import hashlib
import random
import threading
from collections import OrderedDict
from datetime import timedelta

from faker import Faker

from ..files import safe_file_path
from .assets import checksum_of
from .base import generate_id
from .records import (
    ApiKey,
    Asset,
    Campaign,
    CampaignSettings,
    CatalogueTest,
    Company,
    Invitation,
    Membership,
    User,
)
from .state import State

# Seed of the generator behind the counts of generated records, the same for
# every seed of the mock.
_SHAPE_SEED = 20240101

# Generated campaigns get their status from this weighted choice.
_GENERATED_STATUSES = (
    ("active",) * 4
    + ("draft",) * 2
    + (
        "paused",
        "completed",
        "completed",
        "archived",
    )
)


# Built states kept per fixture content and seed, so that every app of one
# process (a test suite builds hundreds) generates each state only once.
_MAX_BUILT_STATES = 16
_built_states: OrderedDict[tuple[str, int], tuple[State, object]] = OrderedDict()
# Guards the cache and the one shared Faker instance, which a build re-seeds.
_build_lock = threading.Lock()

# The last word of a generated campaign's name.
_CAMPAIGN_KINDS = ("Assessment", "Evaluation", "Screening", "Campaign")


@functools.cache
def _faker():
    # Building a Faker instance loads its providers, which takes milliseconds;
    # one instance is kept and re-seeded for each build.
    return Faker("en_US")


def _fingerprint(fixture_set) -> str:
    """Return a digest of everything in the fixture set that a build reads."""
    # The records hold only dicts, lists, strings, numbers, datetimes and
    # UUIDs, whose repr is exact and stable, and their order matters to a build.
    digest = hashlib.sha256()
    digest.update(repr((fixture_set.records, fixture_set.generation)).encode())
    for asset_id in sorted(fixture_set.files):
        digest.update(asset_id.encode())
        digest.update(hashlib.sha256(fixture_set.files[asset_id]).digest())
    return digest.hexdigest()


def build_state(fixture_set, seed) -> tuple[State, object]:
    """Return a fresh copy of the seeded state and the generator state after it.

    Runtime ids continue from the returned generator state. The caller may
    change the returned containers: a build is cached, but only copies leave.
    """
    key = (_fingerprint(fixture_set), seed)
    with _build_lock:
        built = _built_states.get(key)
        if built is None:
            built = _build(fixture_set, seed)
            _built_states[key] = built
            if len(_built_states) > _MAX_BUILT_STATES:
                _built_states.popitem(last=False)
        state, rng_state = built
    return state.copy(), rng_state


def _build(fixture_set, seed) -> tuple[State, object]:
    rng = random.Random(seed)
    fake = _faker()
    fake.seed_instance(seed)
    state = State()
    records = fixture_set.records
    for record in records["companies"]:
        company = Company(**{**record, "company_id": str(record["company_id"])})
        state.companies[company.company_id] = company
    for record in records["keys"]:
        key = _api_key(record)
        state.keys[key.key] = key
    for record in records["catalogue"]:
        state.catalogue[record["test_id"]] = CatalogueTest(**record)
    for record in records["campaigns"]:
        campaign = _campaign(record)
        state.add_campaign(campaign)
    for record in records["invitations"]:
        state.add_invitation(_invitation(record))
    for record in records["assets"]:
        state.assets[record["asset_id"]] = _asset(record, fixture_set.files)
    for record in records["campaigns"]:
        spec = record["generated_invitations"]
        if spec is not None:
            campaign = state.campaigns[record["campaign_id"]]
            _generate_documented_invitations(state, campaign, spec, rng, fake)
    if fixture_set.generation is not None:
        _generate_campaigns(state, fixture_set.generation, rng, fake)
    return state, rng.getstate()


def _api_key(record) -> ApiKey:
    memberships = tuple(
        Membership(
            company_id=str(m["company_id"]),
            permissions=m["permissions"],
            created_at=m["created_at"],
        )
        for m in record["companies"]
    )
    return ApiKey(
        key=record["key"],
        active=record["active"],
        owner=User(**record["owner"]),
        memberships=memberships,
    )


def _campaign(record) -> Campaign:
    return Campaign(
        campaign_id=record["campaign_id"],
        company_id=str(record["company_id"]),
        name=record["name"],
        description=record["description"],
        status=record["status"],
        created_at=record["created_at"],
        updated_at=record["updated_at"] or record["created_at"],
        settings=CampaignSettings(**record["settings"]),
        tests=tuple(record["tests"]),
    )


def _invitation(record) -> Invitation:
    return Invitation(
        **{**record, "updated_at": record["updated_at"] or record["created_at"]}
    )


def _asset(record, files) -> Asset:
    content = files[record["asset_id"]]
    file_name = record["file"].rsplit("/", 1)[-1]
    return Asset(
        asset_id=record["asset_id"],
        company_id=str(record["company_id"]),
        name=record["name"],
        file_name=file_name,
        file_path=safe_file_path(file_name, record["content_type"]),
        content_type=record["content_type"],
        size=len(content),
        checksum=checksum_of(content),
        content=content,
        created_at=record["created_at"],
        updated_at=record["updated_at"] or record["created_at"],
    )


def _scores_with_mean(count, mean, rng):
    """Return `count` scores with one decimal whose mean is exactly `mean`.

    Scores are drawn in tenths of a point around the mean, and the last one
    makes up the total. The draw repeats in the rare case that the last score
    falls outside 0..100.
    """
    total = round(mean * 10) * count
    low, high = max(0, round(mean * 10) - 150), min(1000, round(mean * 10) + 150)
    while True:
        tenths = [rng.randint(low, high) for _ in range(count - 1)]
        last = total - sum(tenths)
        if 0 <= last <= 1000:
            return [value / 10 for value in [*tenths, last]]


def _random_scores(count, rng):
    return [rng.randint(400, 1000) / 10 for _ in range(count)]


def _person(fake, used_emails):
    first, last = fake.first_name(), fake.last_name()
    email = f"{first}.{last}@{fake.free_email_domain()}".lower()
    suffix = 2
    while email.casefold() in used_emails:
        email = f"{first}.{last}{suffix}@{fake.free_email_domain()}".lower()
        suffix += 1
    return first, last, email


def _add_generated_invitations(state, campaign, statuses, scores, rng, fake):
    """Add one invitation per status, dated between the campaign's dates."""
    used = state.invitation_index.setdefault(campaign.campaign_id, {})
    span = max(int((campaign.updated_at - campaign.created_at).total_seconds()), 1)
    completed_scores = iter(scores)
    for status in statuses:
        first, last, email = _person(fake, used)
        created = campaign.created_at + timedelta(seconds=rng.randrange(span))
        sent = created if status != "pending" else None
        completed = None
        score = None
        if status == "completed":
            completed = created + timedelta(seconds=rng.randrange(3600, 7 * 86400))
            score = next(completed_scores)
        state.add_invitation(
            Invitation(
                invitation_id=generate_id("inv", state.invitations, rng),
                campaign_id=campaign.campaign_id,
                email=email,
                first_name=first,
                last_name=last,
                message="",
                status=status,
                created_at=created,
                updated_at=completed or created,
                sent_at=sent,
                emails_sent=0 if sent is None else 1,
                completed_at=completed,
                score=score,
            )
        )


def _generate_documented_invitations(state, campaign, spec, rng, fake):
    completed = spec["completed"]
    others = [
        spec["other_statuses"][i % len(spec["other_statuses"])]
        for i in range(spec["count"] - completed)
    ]
    statuses = ["completed"] * completed + others
    rng.shuffle(statuses)
    if spec["average_score"] is None:
        scores = _random_scores(completed, rng)
    else:
        scores = _scores_with_mean(completed, spec["average_score"], rng)
    _add_generated_invitations(state, campaign, statuses, scores, rng, fake)


def _generate_campaigns(state, generation, rng, fake):
    """Fill companies up with generated campaigns and their invitations.

    What decides the counts (each campaign's status, its number of
    invitations and their statuses) comes from a generator with a fixed
    seed, so every seed gives the same counts and statistics figures. Names,
    dates, scores and ids come from the seeded `rng` and `fake`.
    """
    shape = random.Random(_SHAPE_SEED)
    start, end = generation["created_between"]
    span = int((end - start).total_seconds())
    low, high = generation["invitations_per_campaign"]
    for company_id, target in generation["campaigns_per_company"].items():
        company_id = str(company_id)
        existing = sum(
            1 for c in state.campaigns.values() if c.company_id == company_id
        )
        for _ in range(max(target - existing, 0)):
            created = start + timedelta(seconds=rng.randrange(span))
            status = shape.choice(_GENERATED_STATUSES)
            updated = (
                created
                if status == "draft"
                else created + timedelta(seconds=rng.randrange(86400, 60 * 86400))
            )
            tests = (
                rng.sample(
                    sorted(state.catalogue),
                    rng.randint(1, min(3, len(state.catalogue))),
                )
                if state.catalogue
                else []
            )
            campaign = Campaign(
                campaign_id=generate_id("camp", state.campaigns, rng),
                company_id=company_id,
                name=f"{fake.job()} {rng.choice(_CAMPAIGN_KINDS)}",
                description=fake.sentence(nb_words=10),
                status=status,
                created_at=created,
                updated_at=updated,
                settings=CampaignSettings(
                    allow_retakes=rng.random() < 0.2,
                    time_limit=rng.choice((1800, 2700, 3600, 5400)),
                ),
                tests=tuple(tests),
            )
            state.add_campaign(campaign)
            if status == "draft":
                continue
            count = shape.randint(low, high)
            statuses = [
                shape.choice(("pending", "sent", "opened", "started", "completed"))
                for _ in range(count)
            ]
            scores = _random_scores(statuses.count("completed"), rng)
            _add_generated_invitations(state, campaign, statuses, scores, rng, fake)
