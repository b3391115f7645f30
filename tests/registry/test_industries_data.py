"""Tests for the GB/T 4754-2017 industry reference data (pure Python, no Django)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from anjian.registry.industries_data import (
    INDUSTRIES_CSV,
    IndustryRow,
    load_industries,
    validate_industries,
)

# Counts as delivered (see anjian/registry/data/INDUSTRIES-SOURCE.md). The standard as
# amended by No. 1 (2019) has 1,382 classes; the public copies this file was built and
# checked against have 1,381, and the missing class could not be identified.
EXPECTED_COUNTS = {"section": 20, "division": 97, "group": 473, "class": 1381}

EXPECTED_SECTIONS = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}

# Division code ranges per section, as stated in the standard ("本门类包括 01～05 大类" ...).
SECTION_DIVISION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}

# All 97 division names, in code order (01..97).
ALL_DIVISION_NAMES = [
    "农业",
    "林业",
    "畜牧业",
    "渔业",
    "农、林、牧、渔专业及辅助性活动",
    "煤炭开采和洗选业",
    "石油和天然气开采业",
    "黑色金属矿采选业",
    "有色金属矿采选业",
    "非金属矿采选业",
    "开采专业及辅助性活动",
    "其他采矿业",
    "农副食品加工业",
    "食品制造业",
    "酒、饮料和精制茶制造业",
    "烟草制品业",
    "纺织业",
    "纺织服装、服饰业",
    "皮革、毛皮、羽毛及其制品和制鞋业",
    "木材加工和木、竹、藤、棕、草制品业",
    "家具制造业",
    "造纸和纸制品业",
    "印刷和记录媒介复制业",
    "文教、工美、体育和娱乐用品制造业",
    "石油、煤炭及其他燃料加工业",
    "化学原料和化学制品制造业",
    "医药制造业",
    "化学纤维制造业",
    "橡胶和塑料制品业",
    "非金属矿物制品业",
    "黑色金属冶炼和压延加工业",
    "有色金属冶炼和压延加工业",
    "金属制品业",
    "通用设备制造业",
    "专用设备制造业",
    "汽车制造业",
    "铁路、船舶、航空航天和其他运输设备制造业",
    "电气机械和器材制造业",
    "计算机、通信和其他电子设备制造业",
    "仪器仪表制造业",
    "其他制造业",
    "废弃资源综合利用业",
    "金属制品、机械和设备修理业",
    "电力、热力生产和供应业",
    "燃气生产和供应业",
    "水的生产和供应业",
    "房屋建筑业",
    "土木工程建筑业",
    "建筑安装业",
    "建筑装饰、装修和其他建筑业",
    "批发业",
    "零售业",
    "铁路运输业",
    "道路运输业",
    "水上运输业",
    "航空运输业",
    "管道运输业",
    "多式联运和运输代理业",
    "装卸搬运和仓储业",
    "邮政业",
    "住宿业",
    "餐饮业",
    "电信、广播电视和卫星传输服务",
    "互联网和相关服务",
    "软件和信息技术服务业",
    "货币金融服务",
    "资本市场服务",
    "保险业",
    "其他金融业",
    "房地产业",
    "租赁业",
    "商务服务业",
    "研究和试验发展",
    "专业技术服务业",
    "科技推广和应用服务业",
    "水利管理业",
    "生态保护和环境治理业",
    "公共设施管理业",
    "土地管理业",
    "居民服务业",
    "机动车、电子产品和日用产品修理业",
    "其他服务业",
    "教育",
    "卫生",
    "社会工作",
    "新闻和出版业",
    "广播、电视、电影和录音制作业",
    "文化艺术业",
    "体育",
    "娱乐业",
    "中国共产党机关",
    "国家机构",
    "人民政协、民主党派",
    "社会保障",
    "群众团体、社会团体和其他成员组织",
    "基层群众自治组织及其他组织",
    "国际组织",
]

# Divisions that matter most for work-safety enforcement (exact official names).
SAFETY_DIVISIONS = [
    ("06", "煤炭开采和洗选业", "B"),
    ("07", "石油和天然气开采业", "B"),
    ("08", "黑色金属矿采选业", "B"),
    ("09", "有色金属矿采选业", "B"),
    ("10", "非金属矿采选业", "B"),
    ("25", "石油、煤炭及其他燃料加工业", "C"),
    ("26", "化学原料和化学制品制造业", "C"),
    ("31", "黑色金属冶炼和压延加工业", "C"),
    ("32", "有色金属冶炼和压延加工业", "C"),
    ("44", "电力、热力生产和供应业", "D"),
    ("45", "燃气生产和供应业", "D"),
    ("47", "房屋建筑业", "E"),
    ("48", "土木工程建筑业", "E"),
    ("54", "道路运输业", "G"),
    ("59", "装卸搬运和仓储业", "G"),
]

KNOWN_GROUPS_AND_CLASSES = [
    ("061", "烟煤和无烟煤开采洗选", "group", "06"),
    ("0610", "烟煤和无烟煤开采洗选", "class", "061"),
    ("0810", "铁矿采选", "class", "081"),
    ("0722", "海洋天然气及可燃冰开采", "class", "072"),
    ("261", "基础化学原料制造", "group", "26"),
    ("2671", "炸药及火工产品制造", "class", "267"),
    ("2672", "焰火、鞭炮产品制造", "class", "267"),
    ("4411", "火力发电", "class", "441"),
    ("4710", "住宅房屋建筑", "class", "471"),
    ("5435", "危险货物道路运输", "class", "543"),
    ("594", "危险品仓储", "group", "59"),
    ("5942", "危险化学品仓储", "class", "594"),
    ("7215", "农村集体经济组织管理", "class", "721"),
    ("9291", "消防管理机构", "class", "929"),
    ("9700", "国际组织", "class", "970"),
]


@pytest.fixture(scope="module")
def industries() -> list[IndustryRow]:
    return load_industries()


@pytest.fixture(scope="module")
def by_code(industries: list[IndustryRow]) -> dict[str, IndustryRow]:
    return {r.code: r for r in industries}


def test_csv_is_bundled_next_to_module() -> None:
    assert INDUSTRIES_CSV.is_file()
    assert INDUSTRIES_CSV.name == "industries_gbt4754_2017.csv"


def test_counts_per_level(industries: list[IndustryRow]) -> None:
    assert Counter(r.level for r in industries) == EXPECTED_COUNTS
    assert len(industries) == sum(EXPECTED_COUNTS.values())


def test_twenty_sections_with_official_names(industries: list[IndustryRow]) -> None:
    sections = [r for r in industries if r.level == "section"]
    assert {r.code: r.name for r in sections} == EXPECTED_SECTIONS
    assert all(r.parent_code is None for r in sections)


def test_ninety_seven_divisions_numbered_01_to_97(industries: list[IndustryRow]) -> None:
    divisions = [r.code for r in industries if r.level == "division"]
    assert divisions == [f"{n:02d}" for n in range(1, 98)]


def test_all_division_names(industries: list[IndustryRow]) -> None:
    divisions = {r.code: r.name for r in industries if r.level == "division"}
    assert divisions == {f"{n:02d}": name for n, name in enumerate(ALL_DIVISION_NAMES, start=1)}


def test_divisions_sit_in_the_right_section(industries: list[IndustryRow]) -> None:
    for row in industries:
        if row.level == "division":
            low, high = SECTION_DIVISION_RANGES[row.parent_code or ""]
            assert low <= int(row.code) <= high, row


@pytest.mark.parametrize(("code", "name", "section"), SAFETY_DIVISIONS)
def test_safety_relevant_division_names(
    by_code: dict[str, IndustryRow], code: str, name: str, section: str
) -> None:
    assert by_code[code] == IndustryRow(code, name, "division", section)


@pytest.mark.parametrize(("code", "name", "level", "parent"), KNOWN_GROUPS_AND_CLASSES)
def test_known_groups_and_classes(
    by_code: dict[str, IndustryRow], code: str, name: str, level: str, parent: str
) -> None:
    assert by_code[code] == IndustryRow(code, name, level, parent)


def test_every_group_has_a_class_and_single_class_groups_end_in_zero(
    industries: list[IndustryRow],
) -> None:
    classes_per_group: dict[str, list[IndustryRow]] = {}
    for row in industries:
        if row.level == "class":
            classes_per_group.setdefault(row.parent_code or "", []).append(row)
    groups = {r.code: r for r in industries if r.level == "group"}
    assert set(classes_per_group) == set(groups)
    for code, classes in classes_per_group.items():
        if len(classes) == 1:
            # The standard repeats the group as a single class "<group>0" of the same name.
            assert classes[0].code == code + "0", code
            assert classes[0].name == groups[code].name, code
        else:
            assert all(not c.code.endswith("0") for c in classes), code


def test_names_are_clean(industries: list[IndustryRow]) -> None:
    for row in industries:
        assert row.name == row.name.strip(), row
        # The standard uses full-width brackets only.
        assert "(" not in row.name, row
        assert ")" not in row.name, row


def test_validate_industries_accepts_loaded_data(industries: list[IndustryRow]) -> None:
    validate_industries(industries)  # must not raise


# --- validation failures -------------------------------------------------------------

HEADER = "code,name,level,parent_code\n"
GOOD = (
    "B,采矿业,section,\n"
    "06,煤炭开采和洗选业,division,B\n"
    "061,烟煤和无烟煤开采洗选,group,06\n"
    "0610,烟煤和无烟煤开采洗选,class,061\n"
)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "industries.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_minimal_valid_file(tmp_path: Path) -> None:
    rows = load_industries(_write(tmp_path, GOOD))
    assert [r.code for r in rows] == ["B", "06", "061", "0610"]
    assert rows[1] == IndustryRow("06", "煤炭开采和洗选业", "division", "B")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GOOD + "0610,重复,class,061\n", "duplicate"),
        (GOOD + "0611,某类,class,062\n", "does not exist"),
        (GOOD + "0620,某类,class,06\n", "must be a group"),
        (GOOD + "07,某大类,division,06\n", "must be a section"),
        (GOOD + "062,某中类,group,\n", "requires a parent_code"),
        (GOOD.replace("0610,", "610,"), "must be 4 digits"),
        (GOOD.replace("061,", "06X,").replace(",061\n", ",06X\n"), "must be 3 digits"),
        (GOOD.replace("B,", "b,").replace(",B\n", ",b\n"), "one letter A-T"),
        (GOOD.replace("B,", "Z,").replace(",B\n", ",Z\n"), "one letter A-T"),
        (GOOD + "0710,某类,class,061\n", "does not start with parent code"),
        (GOOD.replace(",group,", ",subgroup,"), "unknown level"),
        (GOOD.replace("采矿业,section,", "采矿业,section,A"), "must not have a parent_code"),
        (GOOD + "C,制造业,section,\n", "has no children"),
        (GOOD + "0611,,class,061\n", "name is empty"),
        (GOOD + "0611,某类,class\n", "expected 4 columns"),
    ],
)
def test_invalid_files_raise_value_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_industries(_write(tmp_path, body))


def test_bad_header_raises(tmp_path: Path) -> None:
    path = tmp_path / "industries.csv"
    path.write_text("id,name,level,parent\nB,采矿业,section,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unexpected header"):
        load_industries(path)


def test_empty_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "industries.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="file is empty"):
        load_industries(path)
