"""Fault injection: errors and latency for requests that match a rule."""

import random
import re
import threading
from dataclasses import dataclass, field
from http import HTTPStatus

# Error codes given to injected errors when the rule names none.
DEFAULT_ERROR_CODES = {
    429: "RATE_LIMIT_EXCEEDED",
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}
RETRY_AFTER_STATUSES = (429, 503)


def default_error_code(status):
    if status in DEFAULT_ERROR_CODES:
        return DEFAULT_ERROR_CODES[status]
    return HTTPStatus(status).name


def compile_path_pattern(pattern):
    """Compile a path pattern: `*` matches within one segment, `**` across segments."""
    parts = re.split(r"(\*\*|\*)", pattern)
    regex = "".join(
        ".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part)
        for part in parts
    )
    return re.compile(regex + r"\Z")


@dataclass
class Fault:
    """One injection rule and how often it has fired."""

    fault_id: str
    path: str
    method: str | None = None
    status: int | None = None
    error_code: str | None = None
    error: str | None = None
    latency_ms: int = 0
    times: int | None = None
    probability: float = 1.0
    retry_after: int = 1
    hits: int = 0
    pattern: re.Pattern = field(init=False, repr=False)

    def __post_init__(self):
        self.pattern = compile_path_pattern(self.path)

    def matches(self, method, path):
        if self.method is not None and self.method != method:
            return False
        return self.pattern.match(path) is not None

    def to_dict(self):
        return {
            "fault_id": self.fault_id,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "error_code": self.error_code,
            "error": self.error,
            "latency_ms": self.latency_ms,
            "times": self.times,
            "probability": self.probability,
            "retry_after": self.retry_after,
            "hits": self.hits,
        }


class FaultSet:
    """The active faults, in the order they were added; the first match wins.

    Probabilities draw from a generator seeded with the store's seed and
    re-seeded on every clear, so a run of requests after a reset meets the
    same faults every time. It is apart from the id generator, so faults
    never change the ids that later requests create.
    """

    def __init__(self, store):
        self._store = store
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}
        self._next_number = 1
        self._rng = random.Random(store.seed)

    def add(self, **rule) -> Fault:
        with self._lock:
            fault = Fault(fault_id=f"fault_{self._next_number}", **rule)
            self._next_number += 1
            self._faults[fault.fault_id] = fault
            return fault

    def list(self):
        with self._lock:
            return list(self._faults.values())

    def remove(self, fault_id):
        """Remove one fault; return False when no fault has that id."""
        with self._lock:
            return self._faults.pop(fault_id, None) is not None

    def clear(self):
        """Remove every fault; return the number removed."""
        with self._lock:
            count = len(self._faults)
            self._faults.clear()
            self._next_number = 1
            self._rng = random.Random(self._store.seed)
        return count

    def match(self, method, path) -> Fault | None:
        """Return the fault that fires for this request, counting the hit."""
        with self._lock:
            for fault in list(self._faults.values()):
                if not fault.matches(method, path):
                    continue
                if fault.probability < 1.0 and self._rng.random() >= fault.probability:
                    continue
                fault.hits += 1
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        del self._faults[fault.fault_id]
                return fault
        return None
