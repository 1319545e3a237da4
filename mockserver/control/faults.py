"""Fault injection: errors and latency for /api/v1 requests that match a rule."""

import random
import re
import threading
from dataclasses import dataclass, field
from http import HTTPStatus

# Error codes given to injected errors when the rule names none. Statuses
# that the mock returns itself get the mock's own code (413, 416, 422), and
# the statuses that Python 3.13 renamed in `http.HTTPStatus` get a fixed
# name, so that the code is the same on every Python version.
DEFAULT_ERROR_CODES = {
    413: "PAYLOAD_TOO_LARGE",
    414: "URI_TOO_LONG",
    416: "RANGE_NOT_SATISFIABLE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMIT_EXCEEDED",
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}
# Statuses whose injected responses carry a Retry-After header.
RETRY_AFTER_STATUSES = (429, 503)
DEFAULT_RETRY_AFTER_SECONDS = 1


def default_error_code(status):
    """Return the error code of an injected status, such as NOT_FOUND for 404."""
    if status in DEFAULT_ERROR_CODES:
        return DEFAULT_ERROR_CODES[status]
    try:
        return HTTPStatus(status).name
    except ValueError:
        # A status without a registered name, such as 432.
        return f"HTTP_{status}"


def compile_path_pattern(pattern):
    """Compile a path pattern: `*` matches within one segment, `**` across segments.

    A `**` that fills a whole segment, as in `/api/v1/**/list`, also matches
    no segment at all, so that pattern matches `/api/v1/list` too.
    """
    parts = re.split(r"(\*\*|\*)", pattern)
    regex = []
    for index, part in enumerate(parts):
        if part == "*":
            regex.append("[^/]*")
        elif part != "**":
            regex.append(re.escape(part))
        elif parts[index - 1].endswith("/") and parts[index + 1].startswith("/"):
            regex.append("(?:.*/)?")
            parts[index + 1] = parts[index + 1][1:]
        else:
            regex.append(".*")
    return re.compile("".join(regex) + r"\Z")


@dataclass
class Fault:
    """One injection rule and how often it has fired.

    `times` is the number of firings left (None: unlimited); the fault is
    removed when it reaches zero.
    """

    fault_id: str
    path: str
    method: str | None = None
    status: int | None = None
    error_code: str | None = None
    error: str | None = None
    latency_ms: int = 0
    times: int | None = None
    probability: float = 1.0
    retry_after: int | None = None
    hits: int = 0
    pattern: re.Pattern = field(init=False, repr=False)

    def __post_init__(self):
        self.pattern = compile_path_pattern(self.path)
        if self.status in RETRY_AFTER_STATUSES and self.retry_after is None:
            self.retry_after = DEFAULT_RETRY_AFTER_SECONDS

    def matches(self, method, path):
        if self.method is not None and self.method != method:
            return False
        return self.pattern.match(path) is not None

    def to_dict(self):
        return {
            "fault_id": self.fault_id,
            "path": self.path,
            "method": self.method,
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
        """Return copies of the active faults, safe to read while requests fire them."""
        with self._lock:
            return [Fault(**fault.to_dict()) for fault in self._faults.values()]

    def remove(self, fault_id):
        """Remove one fault; return False when no fault has that id."""
        with self._lock:
            return self._faults.pop(fault_id, None) is not None

    def clear(self):
        """Remove every fault and re-seed the draws; return the number removed.

        Fault ids start again at `fault_1`.
        """
        with self._lock:
            count = len(self._faults)
            self._faults.clear()
            self._next_number = 1
            self._rng = random.Random(self._store.seed)
        return count

    def match(self, method, path) -> Fault | None:
        """Return a copy of the fault that fires for this request, counting the hit.

        A fault whose probability draw fails does not fire, and the draw
        does not count against its `times`.
        """
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
                return Fault(**fault.to_dict())
        return None
