"""The violation codes a delegation of penalty power may name, as the legal catalog holds them.

The catalog lives in ``anjian.law``, a layer above the registry, so the registry cannot import it.
The law app hands it down at start-up (``LawConfig.ready`` calls :func:`register`); the registry's
delegation services then accept only codes that name violation types of the catalog (each with its
penalty provision), which are the codes ``check_penalty_power`` compares a case's violations with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

# The form of a violation code (anjian.law.core.catalog.ViolationType.code): a delegation names a
# whole code or a shorter one at a boundary (an article "WSL2021-097", an item "WSL2021-097-03").
CODE_PATTERN = re.compile(r"^[A-Z]+[0-9]{4}-[0-9]{3}(-[0-9]{2}){0,2}[a-z]?$")

_lookup: Callable[[], Mapping[str, str]] | None = None


def register(lookup: Callable[[], Mapping[str, str]]) -> None:
    """Install the catalog: ``lookup()`` returns every violation code with its Chinese title."""
    global _lookup
    _lookup = lookup


def violation_titles() -> Mapping[str, str]:
    """Every violation code of the catalog with its title (empty when no catalog is installed)."""
    return _lookup() if _lookup is not None else {}


def unknown_codes(codes: list[str]) -> list[str]:
    """The codes that name no violation type of the catalog (in the order given).

    A code is known when it has the form of a violation code and equals a catalog code or is the
    start of one at a code boundary, the same prefix match ``Delegation.covers`` applies.
    """
    known = violation_titles()
    unknown = []
    for code in codes:
        if not CODE_PATTERN.match(code) or (
            _lookup is not None and not any(k == code or k.startswith(code) for k in known)
        ):
            unknown.append(code)
    return unknown
