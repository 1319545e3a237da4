"""The mock's runtime: the store plus the journal and faults of the control API."""

import random
from dataclasses import dataclass

from .control.faults import FaultSet
from .control.journal import Journal
from .store import Store
from .store.fixtures import load_fixtures
from .store.seed import build_state
from .store.snapshot import Snapshot, dump_document


@dataclass
class Mock:
    """Everything one app serves from; `reset` puts all of it back to the seed."""

    store: Store
    journal: Journal
    faults: FaultSet
    fixture_set: object

    @classmethod
    def from_config(cls, config):
        fixture_set = load_fixtures(config["FIXTURES"], config["FIXTURES_MODE"])
        store = Store(lambda seed: build_state(fixture_set, seed), int(config["SEED"]))
        return cls(
            store=store,
            journal=Journal(
                int(config["JOURNAL_SIZE"]), int(config["JOURNAL_BODY_CHARS"])
            ),
            faults=FaultSet(store),
            fixture_set=fixture_set,
        )

    def reset(self, seed=None):
        """Restore the seeded state and empty the outbox, journal and faults."""
        with self.store.lock:
            seed = self.store.reset(seed)
            self.journal.clear()
            self.faults.clear()
        return seed

    def snapshot(self) -> Snapshot:
        """Return the current state, seed and id generator state, taken atomically."""
        with self.store.lock:
            return Snapshot(
                state=self.store.state.copy(),
                seed=self.store.seed,
                generator_state=self.store.rng.getstate(),
            )

    def export_state(self) -> dict:
        """Return the state document of the current state."""
        return dump_document(self.snapshot())

    def import_state(self, snapshot: Snapshot):
        """Make `snapshot` the current state; later ids continue its generator.

        The snapshot's seed becomes the seed of later resets. The journal
        and the faults stay as they are.
        """
        generator = random.Random()
        generator.setstate(snapshot.generator_state)
        with self.store.lock:
            self.store.replace_state(snapshot.state.copy())
            self.store.seed = snapshot.seed
            self.store.rng = generator
