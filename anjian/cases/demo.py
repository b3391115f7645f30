"""Demo cases for the demo county (after ``anjian seed`` and ``anjian seed_inspections``).

Every case is made through ``services.create_case`` / ``services.perform`` with lawful, past dates,
so each carries its events, audit entries, evidence and deadlines exactly as real work would.
Dates stay within the last four weeks (the demo officers' certificates are at least 30 days old).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from anjian.accounts.models import User
from anjian.cases import services
from anjian.cases.guards import elements_for
from anjian.cases.models import Case, RecordKind
from anjian.core.errors import DomainError
from anjian.documents import services as document_services
from anjian.documents.models import AgencyProfile
from anjian.inspections.models import CaseProposal
from anjian.registry.models import Enterprise, EnterpriseStatus, Officer

#: The demo person's citizen identity number: fictional, with a valid check digit (born 1975-03-15).
DEMO_PERSON_ID_NUMBER = "320102197503150030"
#: Marks the demo's case against a person, so a rerun of ``seed_cases`` makes it only once.
DEMO_PERSON_CASE_SOURCE = "演示：主要负责人个人案件"
PERSON_CASE_NOTE = "对单位主要负责人（个人）的处罚已决定并送达：行政处罚决定书（个人）"


@dataclass
class DemoResult:
    created: list[tuple[str, str, str]] = field(default_factory=list)  # reference, status, note
    skipped: bool = False


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DomainError(
            "demo_missing_user",
            f"缺少演示账号 {username}：请先运行 anjian seed。",
            f"Demo user {username} is missing: run `anjian seed` first.",
        )
    return user


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class Builder:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.xuanwu = _user("xuanwu")
        self.xuanwu2 = _user("xuanwu2")
        self.juzhang = _user("juzhang")
        self.fazhi = _user("fazhi")
        self.officer = Officer.objects.select_related("agency__region").get(user=self.xuanwu)
        self.officer2 = Officer.objects.get(user=self.xuanwu2)
        self.agency = self.officer.agency
        self.enterprises = list(
            Enterprise.objects.filter(
                supervising_agency=self.agency,
                status=EnterpriseStatus.OPERATING,
                county_code=self.agency.region.code,
            ).order_by("id")[:20]
        )
        if len(self.enterprises) < 6:
            raise DomainError(
                "demo_too_few_enterprises",
                f"{self.agency.name}监管的在营单位不足6家，无法生成案件演示数据。",
                "Too few enterprises in the demo county.",
            )
        self.next_enterprise = 0

    def day(self, n: int) -> dt.date:
        return self.today - dt.timedelta(days=n)

    def enterprise(self) -> Enterprise:
        enterprise = self.enterprises[self.next_enterprise % len(self.enterprises)]
        self.next_enterprise += 1
        return enterprise

    def act(self, case: Case, action: str, actor: User, **payload: Any) -> Case:
        return services.perform(
            case=case, action=action, actor=actor, version=case.version, payload=payload
        )

    def propose(
        self, *, on: dt.date, code: str, facts: str, amount_hint: str = "", **extra: Any
    ) -> Case:
        enterprise = self.enterprise()
        payload: dict[str, Any] = {
            "parties": [{"kind": "unit", "role": "unit", "enterprise_id": enterprise.pk}],
            "violations": [
                {
                    "party": 0,
                    "violation_code": code,
                    "act_date": on - dt.timedelta(days=3),
                    "facts": facts,
                }
            ],
            "officer_ids": [self.officer.pk, self.officer2.pk],
            "source_kind": "inspection_finding",
            "discovered_on": on,
            "on": on,
        }
        payload.update(extra)
        return services.create_case(actor=self.xuanwu, agency=self.agency, payload=payload)

    def prove(self, case: Case, *, on: dt.date, skip_last: bool = False) -> Case:
        for violation in case.violations.all():
            elements = list(enumerate(elements_for(violation.violation_code)))
            if skip_last:
                elements = elements[:-1]
            case = self.act(
                case,
                "add_evidence",
                self.xuanwu,
                kind="inspection_record",
                title=f"现场检查笔录（{violation.title}）",
                description="检查发现的情况，经被检查单位负责人签字确认。",
                collected_at=_at(on),
                place=case.party_name,
                source="现场检查",
                method="site_inspection",
                collector_ids=[self.officer.pk, self.officer2.pk],
                proofs=[{"violation_id": violation.pk, "element_index": i} for i, _ in elements],
            )
            case = self.act(
                case,
                "add_evidence",
                self.xuanwu,
                kind="party_statement",
                title="询问笔录（单位安全负责人）",
                collected_at=_at(on, 15),
                place="区应急管理局询问室",
                source="当事人陈述",
                method="interview",
                collector_ids=[self.officer.pk, self.officer2.pk],
                proofs=[
                    {"violation_id": violation.pk, "element_index": i} for i, _ in elements[:1]
                ],
            )
        return case

    def under_review(self, *, filed: int, code: str, facts: str) -> Case:
        case = self.propose(on=self.day(filed), code=code, facts=facts)
        case = self.act(case, "approve_filing", self.juzhang, on=self.day(filed))
        case = self.prove(case, on=self.day(filed - 1))
        return self.act(
            case,
            "submit_investigation",
            self.xuanwu,
            on=self.day(filed - 2),
            summary="调查终结，事实清楚。",
        )

    def penalty(self, case: Case, *, on: int, amount: str, reason: str = "") -> Case:
        violation = case.violations.get()
        return self.act(
            case,
            "propose_penalty",
            self.xuanwu,
            on=self.day(on),
            penalties=[
                {"violation_id": violation.pk, "kind": "fine", "amount": amount, "reason": reason}
            ],
        )

    def reviewed(
        self,
        case: Case,
        *,
        requested: int,
        reviewed: int,
        opinion: str,
        discussed: int | None = None,
        conclusion: str = "",
    ) -> Case:
        """The reviews the proposal needs, as the case says (its procedure triggers): legal review
        (法制审核, 行政处罚法第五十八条) requested on day ``requested`` and passed on ``reviewed``
        with ``opinion``; with a ``conclusion``, collective discussion (集体讨论, 第五十七条第二款)
        requested on ``reviewed`` and held on ``discussed``."""
        if case.legal_review_required:
            case = self.act(case, "request_legal_review", self.xuanwu, on=self.day(requested))
            case = self.act(
                case, "pass_legal_review", self.fazhi, on=self.day(reviewed), opinion=opinion
            )
        if conclusion and case.collective_discussion_required:
            case = self.act(
                case, "request_collective_discussion", self.xuanwu, on=self.day(reviewed)
            )
            case = self.act(
                case,
                "record_collective_discussion",
                self.juzhang,
                on=self.day(discussed if discussed is not None else reviewed),
                participants=["局长", "副局长甲", "副局长乙"],
                conclusion=conclusion,
            )
        return case

    def decided(
        self, *, filed: int, notice: int, decide: int, code: str, facts: str, amount: str
    ) -> Case:
        case = self.under_review(filed=filed, code=code, facts=facts)
        case = self.penalty(case, on=filed - 3, amount=amount)
        case = self.act(case, "serve_notice", self.xuanwu, on=self.day(notice), method="直接送达")
        case = self.act(case, "end_notice_period", self.xuanwu, on=self.day(decide))
        violation = case.violations.get()
        return self.act(
            case,
            "decide",
            self.juzhang,
            on=self.day(decide),
            order_due_dates=[
                {"violation_id": violation.pk, "due_on": self.day(decide) + dt.timedelta(days=15)}
            ],
        )

    def against_principal_person(self, *, filed: int) -> Case:
        """A case against a person: the principal person (主要负责人) of a unit who did not perform
        the duties of 安全生产法第二十一条 (WSL2021-094, 第九十四条第一款: 二万元以上五万元以下),
        walked to a decision and delivered, so the 行政处罚决定书（个人） comes from its records.
        30,000 yuan (the discretion standard's ordinary tier) is a 较大数额 for a person: legal review, collective discussion and the right
        to a hearing (not asked for) all apply, as the discretion standard says."""
        enterprise = self.enterprise()
        on = self.day(filed)
        person = enterprise.legal_representative or "演示主要负责人"
        case = services.create_case(
            actor=self.xuanwu,
            agency=self.agency,
            payload={
                "parties": [
                    {
                        "kind": "person",
                        "role": "principal_person",
                        "name": person,
                        "gender": "male",
                        "id_number": DEMO_PERSON_ID_NUMBER,
                        "employer": enterprise.name,
                        "job_title": "总经理（主要负责人）",
                        "phone": "025-84000002",
                        "address": "南京市玄武区演示小区1幢101室（演示地址）",
                    }
                ],
                "violations": [
                    {
                        "party": 0,
                        "violation_code": "WSL2021-094",
                        "act_date": on - dt.timedelta(days=3),
                        "facts": (
                            f"{person}作为{enterprise.name}的主要负责人，未组织制定并实施本单位"
                            "安全生产教育和培训计划，未组织开展2025年度从业人员安全生产教育和培训"
                            "（安全生产法第二十一条第（三）项）。"
                        ),
                    }
                ],
                "officer_ids": [self.officer.pk, self.officer2.pk],
                "source_kind": "inspection_finding",
                "source_reference": DEMO_PERSON_CASE_SOURCE,
                "discovered_on": on,
                "on": on,
            },
        )
        case = self.act(case, "approve_filing", self.juzhang, on=on)
        case = self.prove(case, on=self.day(filed - 1))
        case = self.act(
            case,
            "submit_investigation",
            self.xuanwu,
            on=self.day(filed - 2),
            summary="调查终结，事实清楚。",
        )
        case = self.penalty(case, on=filed - 3, amount="30000")
        case = self.reviewed(
            case,
            requested=filed - 3,
            reviewed=filed - 4,
            opinion="事实清楚，证据确凿，适用依据正确，处罚适当。",
            discussed=filed - 5,
            conclusion="同意对当事人处以罚款人民币叁万元的行政处罚。",
        )
        case = self.act(
            case, "serve_notice", self.xuanwu, on=self.day(filed - 5), method="直接送达"
        )
        decide = self.day(filed - 14)
        case = self.act(case, "end_notice_period", self.xuanwu, on=decide)
        violation = case.violations.get()
        case = self.act(
            case,
            "decide",
            self.juzhang,
            on=decide,
            order_due_dates=[
                {"violation_id": violation.pk, "due_on": decide + dt.timedelta(days=15)}
            ],
        )
        return self.act(case, "deliver", self.xuanwu, on=decide, method="direct", recipient=person)

    # ---------------------------------------------------------------- written records (笔录)

    def record(self, case: Case, kind: str, **content: Any) -> Any:
        record = services.add_record(actor=self.xuanwu, case=case, kind=kind, content=content)
        case.version = record.case.version  # the record is an event of the case
        return record

    def team(self) -> list[int]:
        return [self.officer.pk, self.officer2.pk]

    def investigation_records(self, case: Case, *, on: int) -> Case:
        """询问通知书, 询问笔录, 勘验笔录 and a preservation with its handling decision."""
        enterprise = case.enterprise
        assert enterprise is not None
        day = self.day(on)
        self.record(
            case,
            RecordKind.INQUIRY_NOTICE,
            recipient=enterprise.name,
            appointment_at=_at(day + dt.timedelta(days=2), 9),
            place=f"{self.agency.name}执法大队询问室",
            materials=[
                "营业执照副本复印件（加盖公章）",
                "法定代表人身份证明",
                "安全生产教育培训档案",
            ],
            contact_name=self.officer.name,
            contact_phone="025-84000001",
            issued_on=day,
        )
        self.record(
            case,
            RecordKind.SURVEY,
            started_at=_at(day, 10),
            ended_at=_at(day, 11),
            place=enterprise.address or enterprise.name,
            weather="晴",
            officer_ids=self.team(),
            present_name=enterprise.legal_representative or "单位负责人",
            present_employer=f"{enterprise.name}负责人",
            recorder=self.officer2.name,
            observations="现场查看了该单位培训档案柜及生产车间。\n未见2025年度从业人员安全生产教育培训的考核记录。现场拍摄照片4张。",
        )
        self.record(
            case,
            RecordKind.INQUIRY,
            started_at=_at(day + dt.timedelta(days=2), 9),
            ended_at=_at(day + dt.timedelta(days=2), 10),
            place=f"{self.agency.name}执法大队询问室",
            interviewee_name=enterprise.legal_representative or "单位负责人",
            interviewee_gender="男",
            interviewee_id_number="320102197401010011",
            interviewee_employer=enterprise.name,
            interviewee_position="法定代表人",
            officer_ids=self.team(),
            recorder=self.officer2.name,
            qa=[
                {"q": "你是否听清楚了？是否申请回避？", "a": "听清楚了，不申请回避。"},
                {
                    "q": "你单位是否如实记录了从业人员的安全生产教育和培训情况？",
                    "a": "去年组织过培训，但没有记录培训时间、内容和考核结果。",
                },
                {"q": "你还有什么要补充的吗？", "a": "没有了，我们马上整改。"},
            ],
        )
        evidence_id = case.evidence_links.order_by("id").values_list("evidence_id", flat=True)[0]
        case = self.act(
            case,
            "preserve_evidence",
            self.xuanwu,
            evidence_ids=[evidence_id],
            items="从业人员安全生产教育培训档案｜2025年度｜1｜册\n灭火器3具",
            place=f"{self.agency.name}证据保存室",
            approved_by_id=Officer.objects.get(user=self.juzhang).pk,
            approved_on=day,
            started_on=day,
        )
        preservation = case.events.get(sequence=case.version).payload["preservation"]
        return self.act(
            case,
            "decide_preservation",
            self.xuanwu,
            preservation_id=preservation,
            decision="record_and_return",
            decided_on=self.day(on - 3),
            note="复制、拍照后退还",
        )

    def statement_record(self, case: Case, *, on: int) -> Any:
        enterprise = case.enterprise
        return self.record(
            case,
            RecordKind.STATEMENT,
            started_at=_at(self.day(on), 15),
            ended_at=_at(self.day(on), 16),
            place=f"{self.agency.name}执法大队",
            speaker_name=(enterprise.legal_representative if enterprise else "") or "单位负责人",
            speaker_gender="男",
            speaker_employer=case.party_name,
            speaker_position="法定代表人",
            officer_ids=self.team(),
            recorder=self.officer2.name,
            statement="对检查发现的问题没有异议，已组织登记建档并委托检测评估。本单位系初次违法，请求从轻处罚。",
        )

    def hearing_path(self, *, filed: int) -> Case:
        """60,000 yuan: notice with the hearing right, hearing held, collective discussion."""
        case = self.under_review(
            filed=filed, code="WSL2021-101-01", facts="对重大危险源未进行定期检测、评估、监控。"
        )
        violation = case.violations.get()
        case = self.act(
            case,
            "propose_penalty",
            self.xuanwu,
            on=self.day(filed - 3),
            penalties=[
                {
                    "violation_id": violation.pk,
                    "kind": "fine",
                    "amount": "60000",
                    "reason": "涉及重大危险源，情节较重",
                }
            ],
        )
        case = self.reviewed(
            case,
            requested=filed - 4,
            reviewed=filed - 4,
            opinion="事实清楚，证据确凿，适用依据正确。",
        )
        case = self.act(
            case, "serve_notice", self.xuanwu, on=self.day(filed - 5), method="直接送达"
        )
        case = self.act(case, "request_hearing", self.xuanwu, on=self.day(filed - 6))
        chair = Officer.objects.get(user=self.fazhi)
        hearing_day = self.day(filed - 16)
        case = self.act(
            case,
            "schedule_hearing",
            self.xuanwu,
            notice_on=self.day(filed - 7),
            hearing_date=hearing_day,
            chair_id=chair.pk,
            place=f"{self.agency.name}第一会议室",
        )
        self.record(
            case,
            RecordKind.HEARING_NOTICE,
            hearing_at=_at(hearing_day, 9),
            place=case.hearing_place,
            presiding_name=chair.name,
            presiding_position="法制审核人员",
            clerk=self.officer2.name,
            is_public=True,
            issued_on=self.day(filed - 7),
        )
        case = self.act(
            case,
            "record_hearing",
            self.xuanwu,
            held_on=hearing_day,
            attended=True,
            record="当事人到场，对事实无异议，请求从轻处罚。",
            report="建议维持拟作出的处罚。",
        )
        self.record(
            case,
            RecordKind.HEARING,
            started_at=_at(hearing_day, 9),
            ended_at=_at(hearing_day, 11),
            place=case.hearing_place,
            presiding_name=chair.name,
            clerk=self.officer2.name,
            agents=["委托代理人（律师）"],
            investigators=[self.officer.name, self.officer2.name],
            proceedings=[
                {"speaker": "主持人", "text": "宣布听证纪律，核对当事人身份，告知权利义务。"},
                {
                    "speaker": f"调查人员{self.officer.name}",
                    "text": "陈述违法事实、证据和处罚建议。",
                },
                {"speaker": "委托代理人", "text": "对事实无异议，当事人已改正，请求从轻处罚。"},
                {"speaker": "主持人", "text": "双方最后陈述完毕，听证结束。"},
            ],
        )
        # Reviewed again after the hearing (行政处罚法第五十八条、第六十五条), then discussed.
        case = self.reviewed(
            case,
            requested=filed - 17,
            reviewed=filed - 17,
            opinion="听证后复核：事实清楚，证据确凿，处罚适当。",
            discussed=filed - 18,
            conclusion="同意给予罚款人民币陆万元的行政处罚。",
        )
        self.record(
            case,
            RecordKind.COLLECTIVE_DISCUSSION,
            started_at=_at(self.day(filed - 18), 15),
            ended_at=_at(self.day(filed - 18), 16),
            place=f"{self.agency.name}第二会议室",
            host="局长",
            reporter=self.officer.name,
            recorder=self.officer2.name,
            attendees=["局长", "副局长甲", "副局长乙", chair.name],
            discussion=[
                {"speaker": self.officer.name, "text": "汇报案件调查、听证情况和处罚建议。"},
                {"speaker": chair.name, "text": "法制审核认为事实清楚、证据确凿，同意。"},
                {"speaker": "副局长甲", "text": "同意。"},
            ],
            conclusion="经集体讨论，决定对当事人给予罚款人民币陆万元的行政处罚。",
        )
        return services.perform(
            case=case,
            action="decide",
            actor=self.juzhang,
            version=case.version,
            reason="经听证、法制审核和集体讨论，同意承办人意见。",
            payload={
                "on": self.day(filed - 19),
                "order_due_dates": [
                    {
                        "violation_id": violation.pk,
                        "due_on": self.day(filed - 19) + dt.timedelta(days=30),
                    }
                ],
            },
        )


def _has_person_case(agency: Any) -> bool:
    return Case.objects.filter(agency=agency, source_reference=DEMO_PERSON_CASE_SOURCE).exists()


def seed_cases(*, today: dt.date | None = None, force: bool = False) -> DemoResult:
    today = today or timezone.localdate()
    result = DemoResult()
    b = Builder(today)

    def note(case: Case, text: str) -> None:
        result.created.append((case.reference, case.get_status_display(), text))

    if Case.objects.filter(agency=b.agency).exists() and not force:
        # A demo made before the case against a person existed gets that case once; otherwise
        # a rerun changes nothing.
        if _has_person_case(b.agency):
            result.skipped = True
        else:
            case = b.against_principal_person(filed=24)
            note(case, PERSON_CASE_NOTE)
        return result

    # The agency's document settings (remedies bodies, payment account, address): without them a
    # decision cannot be issued. Demo values; an administrator sets the real ones (/documents/settings/).
    if not AgencyProfile.objects.filter(agency=b.agency).exists():
        document_services.save_profile(
            actor=b.juzhang,
            agency=b.agency,
            data={
                "review_body": f"{b.agency.region.name}人民政府",
                "court": f"{b.agency.region.name}人民法院",
                "payment_bank": "演示银行（非真实账户）",
                "payment_account": "0000 0000 0000 0000",
                "address": f"{b.agency.region.name}演示路1号",
                "phone": "025-84000000",
            },
        )

    # 1. An inspection's case proposal taken over, awaiting the filing approval (juzhang).
    proposal = (
        CaseProposal.objects.filter(agency=b.agency, status="proposed").order_by("id").first()
    )
    if proposal is not None:
        case = services.create_case(
            actor=b.xuanwu,
            agency=b.agency,
            payload={
                "source_proposal_id": proposal.pk,
                "officer_ids": [b.officer.pk, b.officer2.pk],
                "on": today,
            },
        )
        note(case, "接办现场检查的立案建议，待局负责人 juzhang 立案审批")
    else:
        case = b.propose(
            on=today, code="WSL2021-099-01", facts="危险化学品储罐区未设置明显的安全警示标志。"
        )
        note(case, "待局负责人 juzhang 立案审批")

    # 2. Investigation with one element still unproved: the notice is blocked and the page says why.
    case = b.propose(
        on=b.day(10), code="WSL2021-097-05a", facts="未如实记录安全生产教育和培训情况。"
    )
    case = b.act(case, "approve_filing", b.juzhang, on=b.day(10))
    case = b.prove(case, on=b.day(9), skip_last=True)
    note(case, "调查中：尚有一个构成要件缺少证据")

    b.investigation_records(case, on=9)
    note(case, "询问通知书、询问笔录、勘验笔录、先行登记保存及其处理决定（可生成相应文书）")

    # 3. READY TO WALK: investigation finished, every element proved. Next: propose the penalty,
    #    serve the notice, decide, deliver, record the payment and the correction, close.
    case = b.under_review(
        filed=12, code="WSL2021-097-01a", facts="该单位从业人员120人，未设置安全生产管理机构。"
    )
    note(case, "演示主线：证据齐全，可依次提出处罚建议、告知、决定、送达、缴款、结案")

    # 4. Notified with the right to a hearing (fine above the 50,000-yuan line; legal review done).
    case = b.under_review(
        filed=14, code="WSL2021-101-01", facts="对重大危险源未登记建档、未进行定期检测评估。"
    )
    violation = case.violations.get()
    case = b.act(
        case,
        "propose_penalty",
        b.xuanwu,
        on=b.day(11),
        penalties=[
            {
                "violation_id": violation.pk,
                "kind": "fine",
                "amount": "60000",
                "reason": "涉及重大危险源，情节较重",
            }
        ],
    )
    case = b.reviewed(case, requested=10, reviewed=10, opinion="事实清楚，证据确凿，适用依据正确。")
    case = b.act(case, "serve_notice", b.xuanwu, on=b.day(1), method="直接送达")
    b.statement_record(case, on=1)
    note(case, "已告知：当事人可在五个工作日内要求听证；已记录陈述申辩笔录")

    # 5. Executing, fine overdue (red in the deadline list).
    case = b.decided(
        filed=28,
        notice=25,
        decide=19,
        code="WSL2021-099-03",
        facts="未对安全设备进行经常性维护、保养。",
        amount="10000",
    )
    case = b.act(
        case, "deliver", b.xuanwu, on=b.day(19), method="direct", recipient="单位法定代表人"
    )
    note(case, "执行中：罚款逾期未缴（期限已过，红色）")

    # 6. Executing, paid and corrected: only closure approval is left.
    case = b.decided(
        filed=27,
        notice=24,
        decide=18,
        code="WSL2021-099-02",
        facts="安全设备的安装不符合国家标准。",
        amount="8000",
    )
    case = b.act(
        case, "deliver", b.xuanwu, on=b.day(18), method="direct", recipient="单位法定代表人"
    )
    case = b.act(
        case,
        "record_payment",
        b.xuanwu,
        paid_on=b.day(10),
        amount="8000",
        receipt_number="苏非税3201020001",
    )
    order = case.orders.get()
    case = b.act(
        case,
        "record_order_outcome",
        b.xuanwu,
        order_id=order.pk,
        outcome="corrected",
        on=b.day(4),
        note="复查已整改",
    )
    case = b.act(case, "request_closure", b.xuanwu, on=b.day(3))
    note(case, "结案审批：待局负责人 juzhang 审批")

    # 7. On-the-spot fine (行政处罚法第五十一条), paid on the spot... and closed and archived.
    enterprise = b.enterprise()
    from anjian.evidence import services as evidence_services

    evidence = evidence_services.register_evidence(
        actor=b.xuanwu,
        agency=b.agency,
        enterprise=enterprise,
        kind="inspection_record",
        title="现场检查笔录（当场处罚）",
        collected_at=_at(b.day(6)),
        place=enterprise.name,
        source="现场检查",
        method="site_inspection",
        collectors=[b.officer, b.officer2],
    )
    code = "WSL2021-099-01"
    case = services.create_case(
        actor=b.xuanwu,
        agency=b.agency,
        action="decide_on_the_spot",
        payload={
            "parties": [{"kind": "unit", "role": "unit", "enterprise_id": enterprise.pk}],
            "violations": [
                {
                    "party": 0,
                    "violation_code": code,
                    "act_date": b.day(6),
                    "facts": "配电室未设置安全警示标志。",
                    "circumstances": ["first_offence"],
                }
            ],
            "officer_ids": [b.officer.pk, b.officer2.pk],
            "discovered_on": b.day(6),
            "on": b.day(6),
            "penalties": [{"violation": 0, "kind": "fine", "amount": "2000"}],
            "proofs": [
                {"violation": 0, "element_index": i, "evidence_id": evidence.pk}
                for i, _ in enumerate(elements_for(code))
            ],
            "delivery_recipient": "单位安全负责人",
        },
    )
    case = b.act(
        case,
        "record_payment",
        b.xuanwu,
        paid_on=b.day(5),
        amount="2000",
        receipt_number="苏非税3201020002",
    )
    case = b.act(
        case,
        "record_order_outcome",
        b.xuanwu,
        order_id=case.orders.get().pk,
        outcome="corrected",
        on=b.day(5),
    )
    case = b.act(case, "request_closure", b.xuanwu, on=b.day(5))
    case = b.act(case, "approve_closure", b.juzhang, on=b.day(4))
    case = b.act(case, "archive", b.juzhang, on=b.day(3))
    note(case, "当场处罚（简易程序），已结案归档")

    # 8. A hearing held and the collective discussion recorded (听证会通知书, 听证笔录, 集体讨论记录).
    case = b.hearing_path(filed=26)
    note(case, "听证、听证后法制审核、集体讨论后已决定：听证会通知书、听证笔录、集体讨论记录")

    # 9. Transferred to the agency with jurisdiction (案件移送书).
    case = b.propose(
        on=b.day(8), code="WSL2021-099-01", facts="在建工程施工现场未设置安全警示标志。"
    )
    case = b.act(case, "approve_filing", b.juzhang, on=b.day(8))
    case = b.prove(case, on=b.day(8))
    case = services.perform(
        case=case,
        action="transfer_to_agency",
        actor=b.juzhang,
        version=case.version,
        reason="该工地属住房和城乡建设部门监管的建设工程施工现场，依法移送有管辖权的机关。",
        payload={"on": b.day(7), "to": "南京市玄武区住房和城乡建设局"},
    )
    note(case, "已移送有管辖权的机关（案件移送书）")

    # 10. Against a person: the principal person of a unit, decided and delivered (行政处罚决定书（个人）).
    case = b.against_principal_person(filed=24)
    note(case, PERSON_CASE_NOTE)
    return result
