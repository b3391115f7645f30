"""English UI: the templates' Chinese msgids all have an English translation in
anjian/locale/en/LC_MESSAGES/django.po, the compiled catalogue (django.mo, built by ./dev.sh setup)
matches it, and switching the language to English shows English on the main pages.

After adding or changing UI text: `anjian makemessages -l en ...` (docs/howto/translate-the-ui.md),
translate every new msgid, then `anjian compilemessages`.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from anjian.core.context_processors import NAVIGATION
from tests.conftest import Cast, client_for

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "anjian" / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")
HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Entry:
    msgid: str
    msgstr: list[str]
    flags: set[str] = field(default_factory=set)
    plural: str | None = None
    context: str | None = None  # msgctxt (pgettext)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header included, obsolete `#~` entries skipped)."""
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags: set[str] = set()
        parts: dict[str, str] = {}
        key = ""
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                parts[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                parts[key] = ast.literal_eval(value)
        if "msgid" not in parts:
            continue
        msgstr = [parts[k] for k in sorted(parts) if k.startswith("msgstr")]
        entries.append(
            Entry(parts["msgid"], msgstr, flags, parts.get("msgid_plural"), parts.get("msgctxt"))
        )
    return entries


def messages() -> list[Entry]:
    return [entry for entry in read_po(CATALOGUE) if entry.msgid]


def test_the_catalogue_header_is_not_fuzzy():
    header = read_po(CATALOGUE)[0]

    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]


def test_every_msgid_has_an_english_translation():
    untranslated = [e.msgid for e in messages() if not all(s.strip() for s in e.msgstr)]
    fuzzy = [e.msgid for e in messages() if "fuzzy" in e.flags]

    assert (untranslated, fuzzy) == ([], [])


def test_translations_are_english_and_keep_the_placeholders():
    chinese = [e.msgid for e in messages() if any(HAN.search(s) for s in e.msgstr)]
    placeholders = [
        e.msgid
        for e in messages()
        for s in e.msgstr
        if sorted(PLACEHOLDER.findall(s)) != sorted(PLACEHOLDER.findall(e.msgid))
    ]

    assert (chinese, placeholders) == ([], [])


def test_the_compiled_catalogue_matches_the_po_file():
    assert COMPILED.exists(), "django.mo is missing: run ./dev.sh setup or anjian compilemessages"
    with COMPILED.open("rb") as file:
        compiled = gettext.GNUTranslations(file)

    def compiled_text(entry: Entry) -> str:
        if entry.context is None:
            return compiled.gettext(entry.msgid)
        return compiled.pgettext(entry.context, entry.msgid)

    stale = [e.msgid for e in messages() if e.plural is None and compiled_text(e) != e.msgstr[0]]

    assert stale == [], "django.mo is older than django.po: run anjian compilemessages"


TEMPLATE_STRING = re.compile(r"""\{%\s*translate\s+(?:"([^"]+)"|'([^']+)')""")


def test_every_translated_template_string_is_in_the_catalogue():
    """A new `{% translate "…" %}` without a makemessages run fails here, not in front of a user."""
    msgids = {e.msgid for e in messages()}
    missing = sorted(
        {
            f"{path.relative_to(ROOT)}: {double or single}"
            for path in (ROOT / "anjian").rglob("*.html")
            for double, single in TEMPLATE_STRING.findall(path.read_text(encoding="utf-8"))
            # The translate tag escapes "%" as "%%" in the msgid (python-format).
            if (double or single).replace("%", "%%") not in msgids
        }
    )

    assert missing == []


def test_every_navigation_entry_has_an_english_label():
    with translation.override("en"):
        untranslated = [
            e["label"] for e in NAVIGATION if HAN.search(translation.gettext(e["label"]))
        ]

    assert NAVIGATION
    assert untranslated == []


# --- the pages in English ----------------------------------------------------------------------


class _Text(HTMLParser):
    """The text a reader sees: text nodes, and the labels in alt, title, placeholder, aria-label."""

    def __init__(self) -> None:
        super().__init__()
        self.segments: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"alt", "title", "placeholder", "aria-label"} and value:
                self.segments.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.segments.append(data.strip())


def _text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.segments


def _english_client(user: object) -> object:
    client = client_for(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


MAIN_PAGES = {
    "home": ("/", ["Dashboard", "Enterprises", "Cases", "Today's tasks", "Sign out"]),
    "enterprise list": (
        "/registry/enterprises/",
        ["Enterprises", "Keywords (name or USCC)", "Risk grade", "Register an enterprise"],
    ),
    "inspections": (
        "/inspections/",
        ["Today's tasks", "Inspection tasks", "Rectification orders awaiting re-inspection"],
    ),
    "inspection records": (
        "/inspections/records/",
        ["Inspection record", "Inspected from", "I took part", "Export to Excel"],
    ),
    "rectification orders": (
        "/inspections/orders/",
        ["Rectification orders", "Issued from", "Re-inspection concluded on"],
    ),
    "cases": ("/cases/", ["Cases", "Keywords", "Apply for case filing", "Case deadlines"]),
    "planning": ("/planning/", ["Annual plans"]),
    "documents": ("/documents/", ["Enforcement documents", "Document type"]),
    "case detail": ("/cases/{case}/", ["Pending case-filing approval", "Add a party"]),
    "inspection": (
        "/inspections/records/{inspection}/",
        ["Inspection record", "Rectification order"],
    ),
}

# Where the pages' own words are: headings, table headers, buttons, labels, legends, terms, status
# tags, navigation, and the labels in attributes. Text between them is mostly user data (names,
# addresses, facts), which stays as entered; `_data_texts` lists the fixture's data.
_LABEL_TAGS = {"h1", "h2", "h3", "h4", "th", "button", "label", "legend", "summary", "dt", "nav"}
_LABEL_ATTRIBUTES = {"title", "placeholder", "aria-label"}


class _Labels(HTMLParser):
    """The interface's own words: text directly inside a label element (for <label>, only before
    its first child element: `<label><input>{{ name }}</label>` names a choice, which is data),
    text of a status tag (`class="tag"`), and label attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.segments: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, a child element was opened)
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "option", "select", "textarea"}:
            self._skip += 1
        for name, value in attrs:
            if name in _LABEL_ATTRIBUTES and value:
                self.segments.append(value.strip())
        if self._stack:
            self._stack[-1] = (self._stack[-1][0], True)
        if tag in {"input", "br", "img", "meta", "link", "hr"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        self._stack.append(("tag" if "tag" in classes else tag, False))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "option", "select", "textarea"}:
            self._skip -= 1
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] in {tag, "tag"}:
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._skip or not data.strip() or not self._stack:
            return
        tag, has_child = self._stack[-1]
        if tag == "label" and has_child:
            return
        if tag in _LABEL_TAGS | {"tag"} or any(t == "nav" for t, _ in self._stack):
            self.segments.append(data.strip())


def _labels(html: str) -> list[str]:
    parser = _Labels()
    parser.feed(html)
    return parser.segments


def _official_document_names() -> set[str]:
    """The names of the official documents, which are Chinese whatever the page language."""
    from anjian.documents.catalogue import catalogue

    return {t.name_zh for t in catalogue().by_id().values()}


def _data_texts() -> list[str]:
    """User data the fixture put on the pages (names, titles, numbers), longest first."""
    from anjian.cases.models import Case, CaseViolation
    from anjian.inspections.models import Inspection, RectificationOrder
    from anjian.registry.models import Agency, Enterprise, Officer, Region

    texts = [
        *_official_document_names(),
        *Case.objects.values_list("reference", flat=True),
        *Case.objects.values_list("title", flat=True),
        *Inspection.objects.values_list("number", flat=True),
        *RectificationOrder.objects.values_list("number", flat=True),
        *Enterprise.objects.values_list("name", flat=True),
        *Agency.objects.values_list("name", flat=True),
        *Region.objects.values_list("name", flat=True),
        *Officer.objects.values_list("name", flat=True),
        *CaseViolation.objects.values_list("title", flat=True),
    ]
    return sorted({t for t in texts if t}, key=len, reverse=True)


@pytest.fixture
def case_and_inspection(cast: Cast, settings: Any, tmp_path: Path) -> dict[str, int]:
    """A proposed case and a submitted inspection with a rectification order, in 玄武区."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from anjian.core.permissions import Role
    from anjian.inspections import services as inspection_services
    from tests.cases import conftest as cases
    from tests.conftest import make_officer
    from tests.inspections.conftest import filled

    cases.declare_missing_years()
    agency = cast.agencies["xuanwu"]
    team = cases.Team(
        lead=cast.xuanwu,
        second=make_officer("xw_inspector2", agency, [Role.INSPECTOR]),
        head=make_officer("xw_juzhang", agency, [Role.BUREAU_HEAD]),
        legal=make_officer("xw_fazhi", agency, [Role.LEGAL_REVIEWER]),
        chair=make_officer("xw_chair", agency, [Role.SECTION_HEAD]),
        agency=agency,
        enterprise=cast.enterprises["xuanwu"],
    )
    case = cases.propose(team, on=cases.days_ago(1))
    item_list = inspection_services.publish_packaged_item_list(actor=None)
    inspection = inspection_services.start_inspection(
        actor=cast.xuanwu,
        enterprise=cast.enterprises["xuanwu"],
        agency=agency,
        kind="planned",
        officers=[cast.xuanwu.officer, team.second.officer],
    )
    inspection_services.save_draft(actor=cast.xuanwu, inspection=inspection, data=filled(item_list))
    inspection_services.submit_inspection(actor=cast.xuanwu, inspection=inspection)
    return {"case": case.pk, "inspection": inspection.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(MAIN_PAGES))
def test_switching_to_english_shows_the_main_pages_in_english(
    page, cast: Cast, case_and_inspection: dict[str, int]
):
    url, expected = MAIN_PAGES[page]
    client = _english_client(cast.xuanwu)

    response = client.get(url.format(**case_and_inspection))  # type: ignore[attr-defined]

    html = response.content.decode()
    segments = _text(html)
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert [text for text in expected if not any(text in s for s in segments)] == []
    msgids = {e.msgid for e in messages()} - _official_document_names()
    assert [text for text in segments if text in msgids] == []
    data = _data_texts()
    chinese = []
    for label in _labels(html):
        for text in data:
            label = label.replace(text, "")
        if HAN.search(label):
            chinese.append(label)
    assert chinese == []


@pytest.mark.django_db
def test_the_pages_stay_chinese_by_default(cast: Cast):
    response = client_for(cast.xuanwu).get("/")

    segments = _text(response.content.decode())
    assert '<html lang="zh-hans">' in response.content.decode()
    assert {"工作台", "生产经营单位", "退出"} <= set(segments)


@pytest.mark.django_db
def test_a_refusal_page_speaks_the_chosen_language(cast: Cast):
    # The 玄武区 archivist may view enterprises, not register one: a refused permission (403).
    english = _english_client(cast.xuanwu_viewer).get(  # type: ignore[attr-defined]
        "/registry/enterprises/new/"
    )
    chinese = client_for(cast.xuanwu_viewer).get("/registry/enterprises/new/")

    english_text, chinese_text = _text(english.content.decode()), _text(chinese.content.decode())
    assert (english.status_code, chinese.status_code) == (403, 403)
    assert english_text.index("Not allowed") < english_text.index(
        "You are not allowed to do this (registry.change_enterprise)."
    )
    assert "您没有执行此操作的权限（registry.change_enterprise）。" in chinese_text
    assert chinese_text.index("您没有执行此操作的权限（registry.change_enterprise）。") < (
        chinese_text.index("You are not allowed to do this (registry.change_enterprise).")
    )
