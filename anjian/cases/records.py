"""The written records of a case as data: for each kind, its fields, and how a submission is checked.

A record (``CaseRecord``) is the content of one 笔录 or 通知 of the procedure (询问笔录, 勘验笔录,
陈述申辩笔录, 听证笔录, 集体讨论记录, 询问通知书, 听证会通知书). The same table drives the API
(``GET /api/v1/cases/record-kinds``), the tablet form (one input per field) and the check below, so
a field added here is asked, validated, stored and printed without other changes to the form.

Field types and what a submission may give for them (the API takes the JSON form; the page sends
text):

- ``text`` / ``textarea``: a string (trimmed; ``limit`` characters at most);
- ``datetime``: ISO 8601 (``2026-03-05T09:10`` or with an offset; a time without a zone is local);
- ``date``: ``YYYY-MM-DD``;
- ``lines``: a list of strings, or text with one item per line;
- ``qa``: a list of ``{"q", "a"}``, or text whose lines begin with ``问：`` and ``答：``;
- ``speeches``: a list of ``{"speaker", "text"}``, or text with one ``发言人：内容`` per line;
- ``officers``: a list of officer ids, each one of the case's handling officers (stored as a
  snapshot of name and enforcement certificate number on the record's date);
- ``bool``: true/false (a page checkbox sends ``on``).

Nothing is saved unless every field is valid: :func:`clean` collects every problem and raises one
``DomainError`` (``invalid_record``, 422) whose ``details`` name each field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from anjian.cases.models import Case, RecordKind
from anjian.core.errors import DomainError


@dataclass(frozen=True)
class RecordField:
    name: str
    label: str
    type: str = "text"
    required: bool = True
    limit: int = 200
    minimum: int = 0  # lists: at least this many items
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class RecordSpec:
    kind: str
    label: str
    document_type: str
    time_field: str  # the field that dates the record (``held_at``)
    fields: tuple[RecordField, ...]
    basis: str = ""

    def field(self, name: str) -> RecordField:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)


F = RecordField
APL = "《中华人民共和国行政处罚法》"
GENDERS = ("男", "女")
TWO = "行政处罚法第四十二条：执法人员不得少于两人"


def _span(start_label: str, end_label: str) -> tuple[RecordField, RecordField]:
    return (F("started_at", start_label, "datetime"), F("ended_at", end_label, "datetime"))


SPECS: dict[str, RecordSpec] = {
    RecordKind.INQUIRY_NOTICE: RecordSpec(
        kind=RecordKind.INQUIRY_NOTICE,
        label="询问通知书",
        document_type="inquiry_notice",
        time_field="appointment_at",
        basis=f"{APL}第五十五条",
        fields=(
            F("recipient", "被通知人", limit=200),
            F("appointment_at", "询问时间", "datetime"),
            F("place", "询问地点", limit=300),
            F("materials", "需携带的材料", "lines", limit=2000, minimum=1, help="每行一项"),
            F("contact_name", "联系人", limit=50),
            F("contact_phone", "联系电话", limit=40),
            F("issued_on", "发出日期", "date"),
        ),
    ),
    RecordKind.INQUIRY: RecordSpec(
        kind=RecordKind.INQUIRY,
        label="询问笔录",
        document_type="inquiry_record",
        time_field="started_at",
        basis=f"{APL}第四十二条、第五十五条",
        fields=(
            *_span("询问开始时间", "询问结束时间"),
            F("place", "询问地点", limit=300),
            F("interviewee_name", "被询问人", limit=50),
            F("interviewee_gender", "性别", choices=GENDERS, limit=2),
            F("interviewee_age", "年龄", required=False, limit=3),
            F("interviewee_id_number", "身份证号", limit=40),
            F("interviewee_employer", "工作单位", required=False),
            F("interviewee_position", "职务", required=False, limit=50),
            F("interviewee_phone", "联系电话", required=False, limit=40),
            F("interviewee_address", "住址", required=False, limit=300),
            F("officer_ids", "询问人", "officers", minimum=2, help=TWO),
            F("recorder", "记录人", limit=50),
            F("qa", "询问内容", "qa", limit=20000, minimum=1, help="每行以“问：”或“答：”开头"),
        ),
    ),
    RecordKind.SURVEY: RecordSpec(
        kind=RecordKind.SURVEY,
        label="勘验笔录",
        document_type="survey_record",
        time_field="started_at",
        basis=f"{APL}第四十二条、第四十六条、第五十五条",
        fields=(
            *_span("勘验开始时间", "勘验结束时间"),
            F("place", "勘验场所", limit=300),
            F("weather", "天气情况", limit=50),
            F("officer_ids", "勘验人", "officers", minimum=2, help=TWO),
            F("present_name", "当事人（到场人）", limit=50),
            F("present_employer", "工作单位及职务", required=False),
            F("witness_name", "被邀请人（见证人）", required=False, limit=50),
            F("witness_employer", "见证人工作单位", required=False),
            F("recorder", "记录人", limit=50),
            F("observations", "勘验情况", "textarea", limit=20000),
        ),
    ),
    RecordKind.STATEMENT: RecordSpec(
        kind=RecordKind.STATEMENT,
        label="当事人陈述申辩笔录",
        document_type="statement_record",
        time_field="started_at",
        basis=f"{APL}第七条、第四十五条",
        fields=(
            *_span("开始时间", "结束时间"),
            F("place", "地点", limit=300),
            F("speaker_name", "陈述申辩人", limit=50),
            F("speaker_gender", "性别", required=False, choices=GENDERS, limit=2),
            F("speaker_employer", "工作单位", required=False),
            F("speaker_position", "职务", required=False, limit=50),
            F("speaker_phone", "联系电话", required=False, limit=40),
            F("officer_ids", "承办人", "officers", minimum=2, help=TWO),
            F("recorder", "记录人", limit=50),
            F("statement", "陈述申辩内容", "textarea", limit=20000),
        ),
    ),
    RecordKind.HEARING_NOTICE: RecordSpec(
        kind=RecordKind.HEARING_NOTICE,
        label="听证会通知书",
        document_type="hearing_meeting_notice",
        time_field="hearing_at",
        basis=f"{APL}第六十四条第（二）项、第（三）项",
        fields=(
            F("hearing_at", "听证时间", "datetime"),
            F("place", "听证地点", limit=300),
            F("presiding_name", "听证主持人", limit=50),
            F("presiding_position", "主持人职务", required=False, limit=50),
            F("members", "听证员", "lines", required=False, limit=500, help="每行一人"),
            F("clerk", "记录员", limit=50),
            F("is_public", "公开举行", "bool", required=False),
            F("issued_on", "发出日期", "date"),
        ),
    ),
    RecordKind.HEARING: RecordSpec(
        kind=RecordKind.HEARING,
        label="听证笔录",
        document_type="hearing_record",
        time_field="started_at",
        basis=f"{APL}第六十四条第（八）项",
        fields=(
            *_span("听证开始时间", "听证结束时间"),
            F("place", "听证地点", limit=300),
            F("presiding_name", "听证主持人", limit=50),
            F("members", "听证员", "lines", required=False, limit=500, help="每行一人"),
            F("clerk", "记录员", limit=50),
            F("agents", "委托代理人", "lines", required=False, limit=500, help="每行一人"),
            F("investigators", "案件调查人员", "lines", limit=500, minimum=1, help="每行一人"),
            F(
                "proceedings",
                "听证记录",
                "speeches",
                limit=50000,
                minimum=1,
                help="每行一段：发言人：内容",
            ),
        ),
    ),
    RecordKind.COLLECTIVE_DISCUSSION: RecordSpec(
        kind=RecordKind.COLLECTIVE_DISCUSSION,
        label="行政处罚集体讨论记录",
        document_type="collective_discussion_record",
        time_field="started_at",
        basis=f"{APL}第五十七条第二款",
        fields=(
            *_span("讨论开始时间", "讨论结束时间"),
            F("place", "地点", limit=300),
            F("host", "主持人", limit=50),
            F("reporter", "汇报人", limit=50),
            F("recorder", "记录人", limit=50),
            F("attendees", "出席人员", "lines", limit=1000, minimum=1, help="每行一人"),
            F("absent", "缺席人员及原因", required=False, limit=300),
            F(
                "discussion",
                "讨论记录",
                "speeches",
                limit=50000,
                minimum=1,
                help="每行一段：发言人：意见",
            ),
            F("conclusion", "结论性意见", "textarea", limit=5000),
        ),
    ),
}

#: The document type of each kind, and the kind of each document type.
DOCUMENT_TYPES: dict[str, str] = {kind: spec.document_type for kind, spec in SPECS.items()}


def spec_for(kind: str) -> RecordSpec:
    try:
        return SPECS[kind]
    except KeyError:
        raise DomainError(
            "unknown_record_kind",
            f"未知的笔录种类“{str(kind)[:40]}”。可选：{'、'.join(s.label for s in SPECS.values())}。",
            f"Unknown record kind {str(kind)[:40]!r}; known: {', '.join(SPECS)}.",
            details=[{"field": "kind", "message": "笔录种类无效。"}],
            status=422,
        ) from None


def spec_dicts() -> list[dict[str, Any]]:
    """The table as JSON (the API's ``record-kinds``)."""
    return [
        {
            "kind": spec.kind,
            "label": spec.label,
            "document_type": spec.document_type,
            "basis": spec.basis,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "type": f.type,
                    "required": f.required,
                    "limit": f.limit,
                    "minimum": f.minimum,
                    "choices": list(f.choices),
                    "help": f.help,
                }
                for f in spec.fields
            ],
        }
        for spec in SPECS.values()
    ]


# ------------------------------------------------------------------------------------ checking


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: RecordField, message: str) -> None:
        self.items.append({"field": field.name, "label": field.label, "message": message})


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str | list | tuple | dict) and len(raw) == 0)


def _as_text(raw: Any) -> str | None:
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    return None


def _lines(raw: Any) -> list[str] | None:
    if isinstance(raw, str):
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if isinstance(raw, list | tuple) and all(isinstance(x, str) for x in raw):
        return [x.strip() for x in raw if x.strip()]
    return None


SPEAKER = re.compile(r"^\s*([^：:]{1,40})[：:]\s*(.+)$")
QA = re.compile(r"^\s*(问|答)[：:]\s*(.*)$")


def _qa(raw: Any) -> list[dict[str, str]] | str:
    """A list of {q, a}, or an error message."""
    if isinstance(raw, list):
        pairs = []
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("q"), str):
                return "每一项须有问（q）和答（a）。"
            answer = item.get("a", "")
            if not isinstance(answer, str) or not item["q"].strip():
                return "每一项须有问（q）和答（a）。"
            pairs.append({"q": item["q"].strip(), "a": answer.strip()})
        return pairs
    if not isinstance(raw, str):
        return "格式无效。"
    pairs = []
    for number, line in enumerate((x for x in raw.splitlines() if x.strip()), 1):
        match = QA.match(line)
        if match is None:
            if not pairs:
                return f"第{number}行须以“问：”开头。"
            side = "a" if pairs[-1]["a"] or pairs[-1]["q"] else "q"
            pairs[-1][side] += "\n" + line.strip()
            continue
        if match.group(1) == "问":
            pairs.append({"q": match.group(2).strip(), "a": ""})
        elif not pairs:
            return f"第{number}行：“答：”之前须有“问：”。"
        else:
            pairs[-1]["a"] = (pairs[-1]["a"] + "\n" + match.group(2)).strip()
    if any(not p["q"] for p in pairs):
        return "每一问须写明问题。"
    return pairs


def _speeches(raw: Any) -> list[dict[str, str]] | str:
    if isinstance(raw, list):
        entries = []
        for item in raw:
            if not isinstance(item, dict):
                return "每一项须有发言人（speaker）和内容（text）。"
            speaker, words = item.get("speaker"), item.get("text")
            if not isinstance(speaker, str) or not isinstance(words, str):
                return "每一项须有发言人（speaker）和内容（text）。"
            if not speaker.strip() or not words.strip():
                return "每一项须有发言人（speaker）和内容（text）。"
            entries.append({"speaker": speaker.strip(), "text": words.strip()})
        return entries
    if not isinstance(raw, str):
        return "格式无效。"
    entries = []
    for number, line in enumerate((x for x in raw.splitlines() if x.strip()), 1):
        match = SPEAKER.match(line)
        if match is None:
            if not entries:
                return f"第{number}行须写成“发言人：内容”。"
            entries[-1]["text"] += "\n" + line.strip()
            continue
        entries.append({"speaker": match.group(1).strip(), "text": match.group(2).strip()})
    return entries


def _datetime(raw: Any) -> dt.datetime | None:
    if isinstance(raw, dt.datetime):
        moment = raw
    elif isinstance(raw, str):
        try:
            moment = parse_datetime(raw.strip())  # type: ignore[assignment]
        except ValueError:
            return None
        if moment is None:
            return None
    else:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return None
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        return None
    try:
        return parse_date(raw.strip())
    except ValueError:
        return None


def _bool(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in {"on", "true", "1", "yes", "是"}:
        return True
    if isinstance(raw, str) and raw.strip().lower() in {"", "off", "false", "0", "no", "否"}:
        return False
    return None


def _officers(case: Case, raw: Any, on: dt.date) -> list[dict[str, Any]] | str:
    if isinstance(raw, str):
        raw = [x for x in re.split(r"[,，\s]+", raw) if x]
    if not isinstance(raw, list | tuple):
        return "请选择本案承办人。"
    try:
        wanted = [int(x) for x in raw]
    except (TypeError, ValueError):
        return "请选择本案承办人。"
    assigned = {
        a.officer_id: a.officer
        for a in case.case_officers.select_related("officer").filter(officer_id__in=wanted)
    }
    if len(set(wanted)) != len(wanted) or set(wanted) - set(assigned):
        return "只能选择本案的承办人，且不能重复。"
    team = []
    for officer_id in wanted:
        officer = assigned[officer_id]
        certificate = officer.valid_certificate(on)
        team.append(
            {
                "id": officer.pk,
                "name": officer.name,
                "certificate": certificate.number if certificate else "",
            }
        )
    return team


def clean(case: Case, kind: str, data: Any) -> tuple[dt.datetime, str, dict[str, Any]]:
    """Check a submission against the kind's fields. Returns (held_at, place, content)."""
    spec = spec_for(kind)
    if not isinstance(data, dict):
        raise DomainError(
            "invalid_record",
            "笔录内容须为字段与取值的对象。",
            "The record content must be an object of fields.",
            status=422,
        )
    problems = _Problems()
    content: dict[str, Any] = {}
    now = timezone.now()
    moments: dict[str, dt.datetime] = {}
    for field in spec.fields:
        raw = data.get(field.name)
        if _is_blank(raw) or (isinstance(raw, str) and not raw.strip()):
            if field.type == "bool":
                content[field.name] = field.name == "is_public"  # hearings are public by default
            elif field.required:
                problems.add(field, f"请填写{field.label}。")
            continue
        if field.type in {"text", "textarea"}:
            text = _as_text(raw)
            if text is None:
                problems.add(field, f"{field.label}须为文字。")
            elif len(text) > field.limit:
                problems.add(field, f"{field.label}不能超过{field.limit}字。")
            elif field.choices and text not in field.choices:
                problems.add(field, f"{field.label}须为：{'、'.join(field.choices)}。")
            elif text:
                content[field.name] = text
            elif field.required:
                problems.add(field, f"请填写{field.label}。")
        elif field.type == "datetime":
            moment = _datetime(raw)
            if moment is None:
                problems.add(field, f"{field.label}格式无效（如 2026-03-05T09:30）。")
            elif field.name in {"started_at", "ended_at"} and moment > now + dt.timedelta(
                minutes=5
            ):
                problems.add(field, f"{field.label}不能晚于现在。")
            else:
                moments[field.name] = moment
                content[field.name] = timezone.localtime(moment).isoformat()
        elif field.type == "date":
            day = _date(raw)
            if day is None:
                problems.add(field, f"{field.label}格式无效（如 2026-03-05）。")
            elif day > timezone.localdate(now):
                problems.add(field, f"{field.label}不能晚于今天。")
            else:
                content[field.name] = day.isoformat()
        elif field.type == "lines":
            lines = _lines(raw)
            if lines is None:
                problems.add(field, f"{field.label}须为每行一项的文字。")
            elif sum(len(x) for x in lines) > field.limit:
                problems.add(field, f"{field.label}不能超过{field.limit}字。")
            elif len(lines) < field.minimum:
                problems.add(field, f"请填写{field.label}。")
            elif lines:
                content[field.name] = lines
        elif field.type in {"qa", "speeches"}:
            parsed = _qa(raw) if field.type == "qa" else _speeches(raw)
            if isinstance(parsed, str):
                problems.add(field, f"{field.label}：{parsed}")
            elif sum(len(v) for item in parsed for v in item.values()) > field.limit:
                problems.add(field, f"{field.label}不能超过{field.limit}字。")
            elif len(parsed) < field.minimum:
                problems.add(field, f"请填写{field.label}。")
            else:
                content[field.name] = parsed
        elif field.type == "bool":
            flag = _bool(raw)
            if flag is None:
                problems.add(field, f"{field.label}须为是或否。")
            else:
                content[field.name] = flag
        elif field.type == "officers":
            held = moments.get(spec.time_field)
            on = timezone.localdate(held) if held else timezone.localdate(now)
            team = _officers(case, raw, on)
            if isinstance(team, str):
                problems.add(field, team)
            elif len(team) < field.minimum:
                problems.add(field, f"{field.label}不得少于{field.minimum}人（{field.help}）。")
            else:
                content[field.name] = team
    unknown = sorted(set(data) - {f.name for f in spec.fields})
    if unknown:
        problems.items.append(
            {
                "field": unknown[0],
                "label": unknown[0],
                "message": f"“{spec.label}”没有字段：{'、'.join(unknown)[:200]}。",
            }
        )
    start, end = moments.get("started_at"), moments.get("ended_at")
    if start and end and end < start:
        problems.add(spec.field("ended_at"), "结束时间不能早于开始时间。")
    if problems.items:
        raise DomainError(
            "invalid_record",
            f"{spec.label}有误：" + "；".join(p["message"] for p in problems.items),
            f"The {spec.kind} record is invalid: " + ", ".join(p["field"] for p in problems.items),
            details=problems.items,
            status=422,
        )
    held_at = moments[spec.time_field]
    return held_at, str(content.get("place", "")), content


def initial(case: Case, kind: str, user: Any = None) -> dict[str, Any]:
    """What the blank form proposes, from the case (the officer checks and completes it)."""
    spec = spec_for(kind)
    officers = list(case.case_officers.select_related("officer").order_by("-is_lead", "id"))
    names = [a.officer.name for a in officers]
    values: dict[str, Any] = {"officer_ids": [a.officer_id for a in officers]}
    enterprise = case.enterprise
    if kind == RecordKind.INQUIRY_NOTICE:
        values.update(recipient=case.party_name, contact_name=names[0] if names else "")
        values["issued_on"] = timezone.localdate().isoformat()
    elif kind in {RecordKind.INQUIRY, RecordKind.STATEMENT}:
        prefix = "interviewee" if kind == RecordKind.INQUIRY else "speaker"
        if enterprise is not None:
            values[f"{prefix}_name"] = enterprise.legal_representative
            values[f"{prefix}_employer"] = enterprise.name
        values["recorder"] = names[-1] if names else ""
    elif kind == RecordKind.SURVEY:
        values["place"] = enterprise.address if enterprise is not None else ""
        values["recorder"] = names[-1] if names else ""
        if enterprise is not None:
            values["present_name"] = enterprise.legal_representative
            values["present_employer"] = enterprise.name
    elif kind in {RecordKind.HEARING_NOTICE, RecordKind.HEARING}:
        values["place"] = case.hearing_place
        values["presiding_name"] = case.hearing_chair.name if case.hearing_chair else ""
        if kind == RecordKind.HEARING_NOTICE:
            values["issued_on"] = (case.hearing_notice_on or timezone.localdate()).isoformat()
            values["is_public"] = True
        else:
            values["investigators"] = names
    elif kind == RecordKind.COLLECTIVE_DISCUSSION:
        values["reporter"] = names[0] if names else ""
    return {f.name: values[f.name] for f in spec.fields if f.name in values}


def as_form_text(field: RecordField, stored: Any) -> str:
    """A stored value as the text the tablet form shows (the inverse of the checks above)."""
    if stored is None:
        return ""
    if field.type == "lines":
        return "\n".join(stored) if isinstance(stored, list) else str(stored)
    if field.type == "qa" and isinstance(stored, list):
        return "\n".join(f"问：{p['q']}\n答：{p['a']}" for p in stored)
    if field.type == "speeches" and isinstance(stored, list):
        return "\n".join(f"{e['speaker']}：{e['text']}" for e in stored)
    if field.type == "datetime" and isinstance(stored, str):
        moment = _datetime(stored)
        return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else stored
    if field.type == "officers" and isinstance(stored, list):
        return ",".join(str(o["id"] if isinstance(o, dict) else o) for o in stored)
    if field.type == "bool":
        return "on" if stored else ""
    return str(stored)
