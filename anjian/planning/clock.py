"""Today and now for planning services, with an override for demos and tests.

A draw's seed must be committed BEFORE the public value is known and drawn AFTER; the demo command
(``anjian seed_planning``) replays that timeline in one run, and tests walk it, by setting the clock
for a block: ``with clock.at(moment): ...``. Production code never sets it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_OVERRIDE: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "planning_clock", default=None
)


def now() -> dt.datetime:
    return _OVERRIDE.get() or timezone.now()


def today() -> dt.date:
    moment = _OVERRIDE.get()
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("an aware datetime is required")
    token = _OVERRIDE.set(moment)
    try:
        yield
    finally:
        _OVERRIDE.reset(token)
