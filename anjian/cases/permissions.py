"""Named actions of the penalty procedure and the roles that hold them.

Which action is possible in which state, and under which legal conditions, is the transitions table
(anjian/cases/transitions.py); this table only says who may act. Jurisdiction is checked separately
(the scope, one choke point).
"""

from __future__ import annotations

from anjian.core.permissions import Role

ALL_ROLES = [r.value for r in Role]
OFFICERS = [Role.INSPECTOR.value, Role.SECTION_HEAD.value, Role.BUREAU_HEAD.value]
HEADS = [Role.SECTION_HEAD.value, Role.BUREAU_HEAD.value]

PERMISSIONS: dict[str, list[str]] = {
    "cases.view": ALL_ROLES,
    # 立案申请 and the acts of the handling officers (investigation, notice, delivery, execution).
    "cases.propose": OFFICERS,
    "cases.handle": OFFICERS,
    # 立案审批 (行政处罚法第五十四条); returning a case for further investigation.
    "cases.approve_filing": HEADS,
    "cases.review": [*HEADS, Role.LEGAL_REVIEWER.value],
    # 法制审核 (第五十八条) by the legal reviewers.
    "cases.legal_review": [Role.LEGAL_REVIEWER.value],
    # 行政机关负责人: collective discussion (第五十七条第二款), the decision (第五十七条第一款), and
    # the approvals the law gives the head (deferral 第六十六条, extension, closure, termination,
    # transfer, application to the court, proposal of closure to the government).
    "cases.collective_discussion": [Role.BUREAU_HEAD.value],
    "cases.decide": [Role.BUREAU_HEAD.value],
    "cases.approve": [Role.BUREAU_HEAD.value],
    "cases.archive": [Role.ARCHIVIST.value, Role.BUREAU_HEAD.value],
    # Review of recorded departures from the default path (flags).
    "cases.resolve_flags": [Role.LEGAL_REVIEWER.value, Role.BUREAU_HEAD.value],
}
