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
        entries.append(Entry(parts["msgid"], msgstr, flags, parts.get("msgid_plural")))
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

    stale = [
        e.msgid for e in messages() if e.plural is None and compiled.gettext(e.msgid) != e.msgstr[0]
    ]

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
    "cases": ("/cases/", ["Cases", "Keywords", "Apply for case filing", "Case deadlines"]),
}
# Text that still comes from Python untranslated: the case statuses (labels of
# anjian.cases.models.CaseStatus, not yet marked with gettext_lazy).
NOT_YET_TRANSLATED = {"cases": {"法制审核", "集体讨论", "执行"}}


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(MAIN_PAGES))
def test_switching_to_english_shows_the_main_pages_in_english(page, cast: Cast):
    url, expected = MAIN_PAGES[page]
    client = _english_client(cast.xuanwu)

    response = client.get(url)  # type: ignore[attr-defined]

    html = response.content.decode()
    segments = _text(html)
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert [text for text in expected if not any(text in s for s in segments)] == []
    msgids = {e.msgid for e in messages()} - NOT_YET_TRANSLATED.get(page, set())
    assert [text for text in segments if text in msgids] == []


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
