"""The store's lock, seeded reset, id generator and clock."""

import functools
import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from ..errors import UserNotInCompany
from .records import ApiKey, Company
from .state import State

# Pristine states kept per seed, so that a reset to a seed seen before copies
# the built state instead of generating it again.
_MAX_CACHED_SEEDS = 8


def locked(method):
    """Run the store method while holding the store's lock."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)

    return wrapper


def generate_id(prefix, existing, rng):
    """Return an id of the form `<prefix>_` plus 9 digits that is not in `existing`."""
    while True:
        candidate = f"{prefix}_{rng.randrange(100_000_000, 1_000_000_000)}"
        if candidate not in existing:
            return candidate


def utc_now():
    """Return the current UTC time at second precision."""
    return datetime.now(UTC).replace(microsecond=0)


class BaseStore:
    """The state, the lock that guards it and the seeded generator.

    `build_state(seed)` must return the state and the generator state that
    start-up builds for that seed. Reset calls the same function, so the two
    cannot drift apart.
    """

    def __init__(
        self,
        build_state: Callable[[int], tuple[State, object]],
        seed: int,
        clock: Callable[[], datetime] = utc_now,
    ):
        self.lock = threading.RLock()
        self.clock = clock
        self._build_state = build_state
        self._pristine: dict[int, tuple[State, object]] = {}
        self.seed = seed
        self.state = State()
        self.rng = random.Random(seed)
        self.reset(seed)

    @locked
    def reset(self, seed=None):
        """Restore the seeded state; a given seed becomes the seed of later resets."""
        if seed is not None:
            self.seed = seed
        if self.seed not in self._pristine:
            if len(self._pristine) >= _MAX_CACHED_SEEDS:
                self._pristine.pop(next(iter(self._pristine)))
            self._pristine[self.seed] = self._build_state(self.seed)
        state, rng_state = self._pristine[self.seed]
        self.state = state.copy()
        self.rng = random.Random()
        self.rng.setstate(rng_state)
        return self.seed

    @locked
    def replace_state(self, state: State):
        """Make `state` the current state, as an import of a state document does."""
        self.state = state

    def new_id(self, prefix, existing):
        """Return a fresh id from the store's seeded generator."""
        return generate_id(prefix, existing, self.rng)

    # Companies and keys.

    @locked
    def find_api_key(self, key) -> ApiKey | None:
        """Return the API key record, or None when no such key exists."""
        return self.state.keys.get(key)

    @locked
    def list_api_keys(self):
        return list(self.state.keys.values())

    @locked
    def get_company(self, company_id) -> Company:
        """Return the company; raise UserNotInCompany when it does not exist."""
        company = self.state.companies.get(company_id)
        if company is None:
            raise UserNotInCompany()
        return company
