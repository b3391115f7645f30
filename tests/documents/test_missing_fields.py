"""A missing required field blocks issuing and is named; nothing is ever printed blank."""

from __future__ import annotations

import pytest

from anjian.documents.catalogue import catalogue
from anjian.documents.content import lookup
from anjian.documents.layouts import build_content
from anjian.documents.samples import sample_context

TYPES = [t for t in catalogue().types]


def _remove(context: dict, path: str) -> None:
    parts = path.split(".")
    node = context
    for part in parts[:-1]:
        node = node[part]
    node.pop(parts[-1])


@pytest.mark.parametrize("document_type", TYPES, ids=[t.id for t in TYPES])
def test_removing_any_required_field_names_it(document_type):
    for field in document_type.required:
        context = sample_context(document_type.id)
        if lookup(context, field.path) is None:
            continue
        _remove(context, field.path)
        content, missing = build_content(document_type, context, number="x")
        assert (field.path, field.label) in missing, field.path
        assert f"【未填写：{field.label}】" in content.plain_text() or missing


def test_a_blank_string_counts_as_missing():
    context = sample_context("rectification_order")
    context["party"]["name"] = "   "
    _, missing = build_content(catalogue().type("rectification_order"), context, number="x")
    assert ("party.name", "被检查单位") in missing


def test_the_agency_settings_the_remedies_need_are_named_when_absent():
    context = sample_context("penalty_decision_unit")
    del context["issuer"]["court"]
    del context["issuer"]["payment_account"]
    content, missing = build_content(catalogue().type("penalty_decision_unit"), context, number="x")
    labels = [label for _, label in missing]
    assert "管辖人民法院（本机关文书设置）" in labels
    assert "罚款缴款账号（本机关文书设置）" in labels
    assert "【未填写：管辖人民法院（本机关文书设置）】" in content.plain_text()
