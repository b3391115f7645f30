"""A documented sample context for every document type (synthetic people and companies).

Used by the visual regression tests (tests/documents/reference/), the gallery in docs/documents/,
the benchmark and the how-to. A context builder in an upper app (anjian/<app>/documents.py)
produces the same keys from real records; these samples are the reference for what each key holds.
The issuer block (agency name and the agency's document settings) is added by the service from the
database; here it is fixed.
"""

from __future__ import annotations

import copy
from typing import Any

SAMPLE_ISSUER: dict[str, Any] = {
    "agency_name": "南京市玄武区应急管理局",
    "short_name": "苏宁玄",
    "review_body": "南京市玄武区人民政府",
    "court": "南京市玄武区人民法院",
    "payment_bank": "中国工商银行南京玄武支行",
    "payment_account": "4301 0000 0000 0000 001",
    "address": "南京市玄武区示例路1号",
    "phone": "025-00000000",
}

UNIT = {
    "kind": "unit",
    "name": "南京示例化工有限公司",
    "uscc": "91320102000000001X",
    "address": "南京市玄武区示例大道88号",
    "postcode": "210000",
    "legal_representative": "王某某",
    "position": "总经理",
    "phone": "025-11111111",
}

PERSON = {
    "kind": "individual",
    "name": "李某某",
    "gender": "男",
    "age": "45",
    "id_number": "320102198001010000",
    "employer": "南京示例化工有限公司",
    "position": "车间主任",
    "address": "南京市玄武区示例小区3幢2单元101室",
    "phone": "13800000000",
}

OFFICERS = [
    {"name": "张执法", "certificate": "JS-320102-0001"},
    {"name": "赵执法", "certificate": "JS-320102-0002"},
]

VIOLATED = [{"label": "《中华人民共和国安全生产法》（2021）第二十八条第一款"}]
PENALTY_BASIS = [{"label": "《中华人民共和国安全生产法》（2021）第九十七条第（三）项"}]
FACTS = (
    "2026年3月2日，本机关执法人员对你单位进行现场检查，发现你单位未按照规定对从业人员进行安全生产教育和培训："
    "危险化学品储罐区作业人员周某、吴某未经安全生产教育和培训即上岗作业。"
)
CASE_TITLE = "南京示例化工有限公司未按规定对从业人员进行安全生产教育和培训案"
DECISION_NUMBER = "（苏宁玄）应急罚〔2026〕12号"

SAMPLES: dict[str, dict[str, Any]] = {
    "inspection_scheme": {
        "party": UNIT,
        "planned_on": "2026-03-02",
        "method": "双随机抽查",
        "officers": OFFICERS,
        "items": [
            {"title": "安全生产教育和培训", "basis": "《中华人民共和国安全生产法》第二十八条"},
            {
                "title": "危险化学品储存场所安全管理",
                "basis": "《危险化学品安全管理条例》第二十四条",
            },
            {"title": "事故隐患排查治理", "basis": "《中华人民共和国安全生产法》第四十一条"},
        ],
        "scope_note": "重点检查储罐区、装卸区和特种作业人员持证情况。",
        "prepared_by": "张执法",
        "prepared_on": "2026-02-26",
        "approval": {"opinion": "同意按本方案实施检查。", "name": "钱局长", "date": "2026-02-27"},
    },
    "inspection_record": {
        "party": UNIT,
        "place": "南京示例化工有限公司储罐区、装卸区",
        "started_at": "2026-03-02T09:30:00+08:00",
        "ended_at": "2026-03-02T11:00:00+08:00",
        "officers": OFFICERS,
        "recorder": "赵执法",
        "summary": "检查组依据现场检查方案对该单位安全生产教育培训、危险化学品储存和隐患排查治理情况进行了检查，查阅了培训档案和隐患排查记录。",
        "findings": [
            {
                "description": "储罐区作业人员周某、吴某未经安全生产教育和培训上岗作业",
                "location": "储罐区",
                "hazard_level": "一般事故隐患",
                "measure": "责令限期整改",
            },
            {
                "description": "2号储罐液位计损坏未修复",
                "location": "储罐区2号储罐",
                "hazard_level": "一般事故隐患",
                "measure": "责令限期整改",
            },
        ],
        "representative": {"name": "王某某", "title": "总经理"},
        "acknowledgement": "signed",
    },
    "onsite_measure_decision": {
        "party": UNIT,
        "inspected_on": "2026-03-02",
        "problems": [{"description": "装卸区静电接地装置失效，装卸作业仍在进行"}],
        "basis": "《中华人民共和国安全生产法》（2021）第六十五条第一款第（三）项",
        "measures": [{"kind": "停止使用相关设施、设备", "target": "装卸区1号、2号装卸鹤管"}],
        "decided_on": "2026-03-02",
        "officers": OFFICERS,
    },
    "rectification_order": {
        "party": UNIT,
        "inspected_on": "2026-03-02",
        "findings": [
            {
                "description": "储罐区作业人员周某、吴某未经安全生产教育和培训上岗作业",
                "location": "储罐区",
                "provision": "《安全生产法》第二十八条第一款",
                "deadline": "2026-03-16",
            },
            {
                "description": "2号储罐液位计损坏未修复",
                "location": "储罐区2号储罐",
                "provision": "《安全生产法》第三十六条第二款",
                "deadline": "2026-03-09",
            },
        ],
        "deadline": "2026-03-16",
        "issued_on": "2026-03-02",
        "officers": OFFICERS,
    },
    "reinspection_opinion": {
        "party": UNIT,
        "order_title": "责令限期整改指令书",
        "order_number": "（苏宁玄）应急责改〔2026〕3号",
        "order_issued_on": "2026-03-02",
        "reinspected_on": "2026-03-17",
        "findings": [
            {
                "description": "储罐区作业人员周某、吴某未经安全生产教育和培训上岗作业",
                "outcome": "已整改",
                "note": "已完成三级安全教育并考核合格",
            },
            {
                "description": "2号储罐液位计损坏未修复",
                "outcome": "已整改",
                "note": "液位计已更换并校验",
            },
        ],
        "opinion": "经复查，你单位已按要求完成整改，整改结果符合要求。",
        "officers": OFFICERS,
    },
    "case_filing_approval": {
        "case_title": CASE_TITLE,
        "case_source": "现场检查发现",
        "received_on": "2026-03-02",
        "party": UNIT,
        "summary": "2026年3月2日现场检查发现该单位危险化学品储罐区作业人员周某、吴某未经安全生产教育和培训上岗作业，涉嫌违反《中华人民共和国安全生产法》第二十八条第一款的规定。",
        "proposal": {
            "opinion": "建议立案调查。",
            "names": ["张执法", "赵执法"],
            "date": "2026-03-03",
        },
        "approval": {
            "opinion": "同意立案，由张执法、赵执法承办。",
            "name": "钱局长",
            "date": "2026-03-03",
        },
    },
    "inquiry_notice": {
        "recipient": "南京示例化工有限公司",
        "case_title": "你单位涉嫌未按规定对从业人员进行安全生产教育和培训一案",
        "appointment_at": "2026-03-05T09:00:00+08:00",
        "place": "南京市玄武区应急管理局执法大队询问室",
        "materials": [
            "营业执照副本复印件（加盖公章）",
            "法定代表人身份证明和授权委托书",
            "从业人员安全生产教育培训档案",
        ],
        "contact": {"name": "张执法", "phone": "025-00000001"},
        "issued_on": "2026-03-03",
    },
    "inquiry_record": {
        "case_title": CASE_TITLE,
        "started_at": "2026-03-05T09:10:00+08:00",
        "ended_at": "2026-03-05T10:05:00+08:00",
        "place": "南京市玄武区应急管理局执法大队询问室",
        "interviewee": {
            "name": "王某某",
            "gender": "男",
            "age": "52",
            "id_number": "320102197401010000",
            "employer": "南京示例化工有限公司",
            "position": "总经理",
            "phone": "13900000000",
        },
        "interviewers": OFFICERS,
        "recorder": "赵执法",
        "qa": [
            {"q": "你是否听清楚了？是否申请回避？", "a": "听清楚了，不申请回避。"},
            {
                "q": "储罐区作业人员周某、吴某是否经过安全生产教育和培训？",
                "a": "他们是今年2月新招的员工，因为生产任务紧，还没有安排培训就上岗了。",
            },
            {"q": "你还有什么要补充的吗？", "a": "没有了，我们会马上组织培训。"},
        ],
    },
    "survey_record": {
        "case_title": CASE_TITLE,
        "started_at": "2026-03-02T10:00:00+08:00",
        "ended_at": "2026-03-02T10:40:00+08:00",
        "place": "南京示例化工有限公司储罐区",
        "weather": "晴",
        "surveyors": OFFICERS,
        "present": {"name": "王某某", "employer": "南京示例化工有限公司总经理"},
        "witness": {"name": "孙某某", "employer": "示例街道安全生产办公室"},
        "recorder": "赵执法",
        "observations": "储罐区位于厂区东北侧，共有储罐4座。现场有作业人员2名（周某、吴某）正在进行倒罐作业。\n经查阅该单位培训档案，未见上述2人的安全生产教育培训记录。现场拍摄照片6张。",
    },
    "preservation_notice": {
        "party": UNIT,
        "suspected_violation": "未按照规定对从业人员进行安全生产教育和培训",
        "items": [
            {
                "name": "从业人员安全生产教育培训档案",
                "spec": "2025—2026年度",
                "quantity": "1",
                "unit": "册",
                "note": "原件",
            },
            {"name": "储罐区交接班记录", "spec": "2026年2月", "quantity": "1", "unit": "本"},
        ],
        "storage_place": "南京市玄武区应急管理局证据保存室",
        "period_from": "2026-03-02",
        "period_to": "2026-03-11",
        "decided_on": "2026-03-02",
        "officers": OFFICERS,
    },
    "preservation_decision": {
        "party": UNIT,
        "notice_number": "（苏宁玄）应急先保通〔2026〕2号",
        "preserved_on": "2026-03-02",
        "items": [
            {
                "name": "从业人员安全生产教育培训档案",
                "spec": "2025—2026年度",
                "quantity": "1",
                "unit": "册",
                "handling": "复制后退还",
            },
            {
                "name": "储罐区交接班记录",
                "spec": "2026年2月",
                "quantity": "1",
                "unit": "本",
                "handling": "复制后退还",
            },
        ],
        "decided_on": "2026-03-10",
    },
    "penalty_notice": {
        "party": UNIT,
        "facts": FACTS,
        "violated": VIOLATED,
        "penalty_basis": PENALTY_BASIS,
        "proposed_penalty": "责令限期改正，罚款人民币贰万元整（¥20,000.00）",
        "statement_days": 3,
        "contact": {"name": "张执法", "phone": "025-00000001", "address": "南京市玄武区示例路1号"},
        "issued_on": "2026-03-20",
    },
    "statement_record": {
        "case_title": CASE_TITLE,
        "started_at": "2026-03-23T14:00:00+08:00",
        "ended_at": "2026-03-23T14:40:00+08:00",
        "place": "南京市玄武区应急管理局执法大队",
        "speaker": {
            "name": "王某某",
            "gender": "男",
            "employer": "南京示例化工有限公司",
            "position": "总经理",
            "phone": "13900000000",
        },
        "officers": OFFICERS,
        "recorder": "赵执法",
        "statement": "我公司对检查发现的问题没有异议。涉事两名员工已于3月10日完成培训并考核合格。我公司系初次违法，请求从轻处罚。",
    },
    "hearing_notice": {
        "party": UNIT,
        "facts": FACTS,
        "violated": VIOLATED,
        "penalty_basis": PENALTY_BASIS,
        "proposed_penalty": "责令限期改正，罚款人民币陆万元整（¥60,000.00）",
        "contact": {"name": "张执法", "phone": "025-00000001", "address": "南京市玄武区示例路1号"},
        "issued_on": "2026-03-20",
    },
    "hearing_meeting_notice": {
        "party": UNIT,
        "case_title": "涉嫌未按规定对从业人员进行安全生产教育和培训",
        "requested_on": "2026-03-24",
        "hearing_at": "2026-04-03T09:30:00+08:00",
        "place": "南京市玄武区应急管理局第一会议室",
        "is_public": True,
        "presiding": {"name": "孙法制", "position": "法制科科长"},
        "members": ["周审核"],
        "clerk": "吴记录",
        "issued_on": "2026-03-25",
    },
    "hearing_record": {
        "case_title": CASE_TITLE,
        "started_at": "2026-04-03T09:30:00+08:00",
        "ended_at": "2026-04-03T11:00:00+08:00",
        "place": "南京市玄武区应急管理局第一会议室",
        "presiding": {"name": "孙法制"},
        "members": ["周审核"],
        "clerk": "吴记录",
        "party": UNIT,
        "agents": ["郑律师（江苏示例律师事务所）"],
        "investigators": ["张执法", "赵执法"],
        "proceedings": [
            {
                "speaker": "主持人",
                "text": "宣布听证纪律，核对当事人身份，告知当事人权利义务。当事人不申请回避。",
            },
            {
                "speaker": "调查人员张执法",
                "text": "陈述违法事实、证据、处罚依据和拟作出的行政处罚。",
            },
            {
                "speaker": "委托代理人郑律师",
                "text": "对违法事实无异议；当事人系初次违法且已及时改正，请求从轻处罚。",
            },
            {"speaker": "主持人", "text": "双方最后陈述完毕，听证结束。"},
        ],
    },
    "case_handling_approval": {
        "case_title": CASE_TITLE,
        "party": UNIT,
        "facts": FACTS,
        "violated": VIOLATED,
        "penalty_basis": PENALTY_BASIS,
        "discretion": "当事人系初次违法，积极配合调查并已改正，依据裁量基准在一般档次内从轻处罚。",
        "statement_summary": "当事人在陈述申辩中对违法事实无异议，请求从轻处罚。",
        "proposal": {
            "opinion": "建议给予责令限期改正、罚款人民币贰万元整的行政处罚。",
            "names": ["张执法", "赵执法"],
            "date": "2026-03-26",
        },
        "review": {
            "opinion": "事实清楚，证据确凿，程序合法，适用依据正确，同意承办人意见。",
            "name": "孙法制",
            "date": "2026-03-27",
        },
        "approval": {"opinion": "同意。", "name": "钱局长", "date": "2026-03-28"},
    },
    "collective_discussion_record": {
        "case_title": CASE_TITLE,
        "started_at": "2026-03-28T15:00:00+08:00",
        "ended_at": "2026-03-28T15:45:00+08:00",
        "place": "南京市玄武区应急管理局第二会议室",
        "host": "钱局长",
        "reporter": "张执法",
        "recorder": "吴记录",
        "attendees": ["钱局长", "冯副局长", "陈副局长", "孙法制"],
        "discussion": [
            {"speaker": "张执法", "opinion": "汇报案件调查情况和处罚建议。"},
            {"speaker": "孙法制", "opinion": "法制审核认为事实清楚、证据确凿，同意罚款贰万元。"},
            {"speaker": "冯副局长", "opinion": "同意。"},
        ],
        "conclusion": "经集体讨论，决定对当事人给予责令限期改正、罚款人民币贰万元整的行政处罚。",
    },
    "penalty_decision_unit": {
        "party": UNIT,
        "facts": FACTS,
        "evidence": ["现场检查记录", "询问笔录", "勘验笔录及现场照片", "从业人员培训档案"],
        "statement_summary": "本机关于2026年3月20日向你单位送达了行政处罚告知书，你单位在法定期限内进行了陈述和申辩，本机关已进行复核。",
        "discretion": "鉴于你单位系初次违法，积极配合调查并已改正，依据裁量基准在一般档次内从轻处罚。",
        "violated": VIOLATED,
        "penalty_basis": PENALTY_BASIS,
        "penalties": [{"kind": "责令限期改正"}, {"kind": "罚款", "amount": "20000"}],
        "decided_on": "2026-03-30",
    },
    "penalty_decision_individual": {
        "party": PERSON,
        "facts": "2026年3月2日，你作为储罐区车间主任，违章指挥未经安全生产教育和培训的作业人员周某、吴某进行倒罐作业。",
        "evidence": ["现场检查记录", "询问笔录", "证人证言"],
        "violated": [{"label": "《中华人民共和国安全生产法》（2021）第二十五条第一款第（七）项"}],
        "penalty_basis": [{"label": "《安全生产违法行为行政处罚办法》第四十五条第（一）项"}],
        "penalties": [{"kind": "警告"}, {"kind": "罚款", "amount": "5000"}],
        "decided_on": "2026-03-30",
    },
    "summary_penalty_decision": {
        "party": PERSON,
        "acted_at": "2026-03-02T10:20:00+08:00",
        "place": "南京示例化工有限公司储罐区",
        "facts": "未按规定佩戴劳动防护用品进入储罐区作业",
        "violated": [{"label": "《中华人民共和国安全生产法》（2021）第五十七条"}],
        "penalty_basis": [{"label": "《中华人民共和国安全生产法》（2021）第一百零七条"}],
        "penalties": [{"kind": "罚款", "amount": "200"}],
        "payment": "bank",
        "decided_on": "2026-03-02",
        "officers": OFFICERS,
    },
    "delivery_receipt": {
        "documents": [{"title": "行政处罚决定书", "number": DECISION_NUMBER}],
        "recipient": "南京示例化工有限公司",
        "delivered_at": "2026-03-31T10:00:00+08:00",
        "place": "南京市玄武区示例大道88号",
        "method": "直接送达",
        "received_by": "王某某",
        "deliverers": ["张执法", "赵执法"],
    },
    "payment_reminder": {
        "party": UNIT,
        "decision_number": DECISION_NUMBER,
        "decided_on": "2026-03-30",
        "delivered_on": "2026-03-31",
        "fine_amount": "20000",
        "surcharge_amount": "3600",
        "surcharge_as_of": "2026-04-21",
        "issued_on": "2026-04-21",
    },
    "surcharge_decision": {
        "party": UNIT,
        "decision_number": DECISION_NUMBER,
        "decided_on": "2026-03-30",
        "delivered_on": "2026-03-31",
        "fine_amount": "20000",
        "surcharge_from": "2026-04-16",
        "surcharge_as_of": "2026-04-21",
        "surcharge_amount": "3600",
        "issued_on": "2026-04-21",
    },
    "case_transfer": {
        "receiver": "南京市公安局玄武分局",
        "party": UNIT,
        "case_title": "重大责任事故",
        "reason": "当事人在被责令整改后仍组织未经培训人员冒险作业，导致一人重伤，涉嫌构成重大责任事故罪",
        "basis": [
            {"label": "《行政执法机关移送涉嫌犯罪案件的规定》第三条"},
            {"label": "《中华人民共和国行政处罚法》第二十七条第一款"},
        ],
        "attachments": [
            {"title": "涉嫌犯罪案件调查报告", "pages": "6"},
            {"title": "现场检查记录、询问笔录等证据材料复印件", "pages": "38"},
        ],
        "issued_on": "2026-04-10",
    },
    "closure_approval": {
        "case_title": CASE_TITLE,
        "party": UNIT,
        "filed_on": "2026-03-03",
        "decision_number": DECISION_NUMBER,
        "decision_summary": "责令限期改正，罚款人民币贰万元整。",
        "execution_summary": "当事人已于2026年4月10日缴纳罚款贰万元及加处罚款，违法行为已改正。",
        "proposal": {
            "opinion": "处罚决定已执行完毕，建议结案。",
            "names": ["张执法", "赵执法"],
            "date": "2026-04-12",
        },
        "approval": {"opinion": "同意结案。", "name": "钱局长", "date": "2026-04-13"},
    },
    "case_file_cover": {
        "case_title": CASE_TITLE,
        "cause": "未按规定对从业人员进行安全生产教育和培训",
        "party_name": "南京示例化工有限公司",
        "filed_on": "2026-03-03",
        "closed_on": "2026-04-13",
        "result": "责令限期改正，罚款人民币贰万元整",
        "handlers": ["张执法", "赵执法"],
        "document_count": 6,
        "page_count": 9,
        "retention": "永久",
        "archived_on": "2026-04-20",
        "archive_number": "2026-XW-0012",
    },
    "case_file_index": {
        "entries": [
            {
                "title": "行政处罚决定书",
                "number": DECISION_NUMBER,
                "date": "2026-03-30",
                "pages": "3-4",
            },
            {
                "title": "立案审批表",
                "number": "（苏宁玄）应急立〔2026〕5号",
                "date": "2026-03-03",
                "pages": "5",
            },
            {"title": "询问笔录", "number": "", "date": "2026-03-05", "pages": "6-7"},
            {
                "title": "行政处罚告知书",
                "number": "（苏宁玄）应急罚告〔2026〕7号",
                "date": "2026-03-20",
                "pages": "8",
            },
            {
                "title": "文书送达回执",
                "number": "（苏宁玄）应急回〔2026〕21号",
                "date": "2026-03-31",
                "pages": "9",
            },
            {
                "title": "结案审批表",
                "number": "（苏宁玄）应急结〔2026〕4号",
                "date": "2026-04-13",
                "pages": "10",
            },
        ],
    },
}


def sample_context(type_id: str, *, with_issuer: bool = True) -> dict[str, Any]:
    context = copy.deepcopy(SAMPLES[type_id])
    if with_issuer:
        context["issuer"] = dict(SAMPLE_ISSUER)
    return context
