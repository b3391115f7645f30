"""How upper apps (inspections, cases) hand their records to the document engine.

The documents app sits below inspections and cases (ARCHITECTURE.md) and never imports them. An
upper app registers, in its ``AppConfig.ready()``, the kinds of record it makes documents from
(``register_subject``): which document types apply and a function that loads the record for a user
(through its own scoped selector: outside the user's jurisdiction it raises ``Http404``) and returns
a ``Source``: the issuing agency, the region, the context, the case file it belongs to. The pages
and API of this app then offer "generate" for those records without knowing their models.

A builder runs with Chinese active whatever the user's page language: the choice labels it puts in
the context (`get_..._display()`) are marked for translation, and official documents are Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import translation

from anjian.core.i18n import SOURCE_LANGUAGE


@dataclass(frozen=True)
class Source:
    """What a document is made from: the record's agency and region, and the context."""

    agency: Any  # registry.Agency
    region: Any  # registry.Region
    context: Mapping[str, Any]
    case_key: str = ""
    title: str = ""


SourceBuilder = Callable[[Any, str, str], Source]  # (user, subject_id, type_id) → Source


@dataclass(frozen=True)
class SubjectKind:
    subject_type: str  # "inspections.inspection"
    label: str  # "现场检查"
    document_types: tuple[str, ...]
    build: SourceBuilder
    url: Callable[[str], str] | None = None  # the record's page, for links back
    extra: dict[str, Any] = field(default_factory=dict)


_SUBJECTS: dict[str, SubjectKind] = {}


def _in_chinese(build: SourceBuilder) -> SourceBuilder:
    def build_in_chinese(user: Any, subject_id: str, type_id: str) -> Source:
        with translation.override(SOURCE_LANGUAGE):
            return build(user, subject_id, type_id)

    return build_in_chinese


def register_subject(
    *,
    subject_type: str,
    label: str,
    document_types: tuple[str, ...] | list[str],
    build: SourceBuilder,
    url: Callable[[str], str] | None = None,
) -> None:
    from anjian.documents.catalogue import catalogue

    known = catalogue().by_id()
    unknown = [t for t in document_types if t not in known]
    if unknown:
        raise ValueError(f"{subject_type}: unknown document types {unknown}")
    _SUBJECTS[subject_type] = SubjectKind(
        subject_type=subject_type,
        label=label,
        document_types=tuple(document_types),
        build=_in_chinese(build),
        url=url,
    )


def unregister_subject(subject_type: str) -> None:
    _SUBJECTS.pop(subject_type, None)


def subject_kind(subject_type: str) -> SubjectKind:
    try:
        return _SUBJECTS[subject_type]
    except KeyError:
        raise Http404 from None


def subject_kinds() -> dict[str, SubjectKind]:
    return dict(_SUBJECTS)
