"""The control API under /_mock: reset, state, keys, outbox, journal, faults."""

from .views import blueprint

__all__ = ["blueprint"]
