"""Chinese text of labels marked for translation, whatever language the user chose.

Model choice labels are marked with `gettext_lazy` (Chinese msgids), so pages show them in the
active language. Data is Chinese whatever the page language: official documents, exports, the
import's accepted labels and text stored in records use `chinese(...)` / `chinese_labels(...)`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import Choices
from django.utils import translation

SOURCE_LANGUAGE = "zh-hans"


def chinese(text: Any) -> str:
    """The Chinese (source) text of a lazily translated label, e.g. `chinese(Status.OPEN.label)`."""
    with translation.override(SOURCE_LANGUAGE):
        return str(text)


@cache
def chinese_labels(choices: type[Choices]) -> dict[Any, str]:
    """value → Chinese label of a choices class, independent of the active language."""
    with translation.override(SOURCE_LANGUAGE):
        return {value: str(label) for value, label in choices.choices}
