"""Tests for the Jiangsu administrative-division reference data (pure Python, no Django)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from anjian.registry.regions_data import (
    REGIONS_CSV,
    RegionRow,
    load_jiangsu_regions,
    validate_regions,
)

# Verified against the MCA 2024 list (see anjian/registry/data/REGIONS-SOURCE.md).
EXPECTED_COUNTY_COUNT = 95

EXPECTED_CITIES = {
    "320100": "南京市",
    "320200": "无锡市",
    "320300": "徐州市",
    "320400": "常州市",
    "320500": "苏州市",
    "320600": "南通市",
    "320700": "连云港市",
    "320800": "淮安市",
    "320900": "盐城市",
    "321000": "扬州市",
    "321100": "镇江市",
    "321200": "泰州市",
    "321300": "宿迁市",
}

KNOWN_COUNTIES = [
    ("320102", "玄武区", "320100"),
    ("320104", "秦淮区", "320100"),
    ("320106", "鼓楼区", "320100"),
    ("320117", "溧水区", "320100"),
    ("320118", "高淳区", "320100"),
    ("320213", "梁溪区", "320200"),
    ("320302", "鼓楼区", "320300"),
    ("320312", "铜山区", "320300"),
    ("320413", "金坛区", "320400"),
    ("320508", "姑苏区", "320500"),
    ("320509", "吴江区", "320500"),
    ("320613", "崇川区", "320600"),
    ("320614", "海门区", "320600"),
    ("320685", "海安市", "320600"),
    ("320706", "海州区", "320700"),
    ("320707", "赣榆区", "320700"),
    ("320803", "淮安区", "320800"),
    ("320812", "清江浦区", "320800"),
    ("320813", "洪泽区", "320800"),
    ("320904", "大丰区", "320900"),
    ("321012", "江都区", "321000"),
    ("321112", "丹徒区", "321100"),
    ("321204", "姜堰区", "321200"),
    ("321311", "宿豫区", "321300"),
]

# Codes abolished by mergers/upgrades; they must not reappear.
ABOLISHED_CODES = [
    "320103",  # 南京 白下区 (merged into 秦淮区 2013)
    "320107",  # 南京 下关区 (merged into 鼓楼区 2013)
    "320124",  # 溧水县 (became 溧水区 320117)
    "320125",  # 高淳县 (became 高淳区 320118)
    "320202",  # 无锡 崇安区 (merged into 梁溪区 2015)
    "320304",  # 徐州 九里区 (abolished 2010)
    "320611",  # 南通 港闸区 (merged into 崇川区 2020)
    "320602",  # 南通 old 崇川区 code
    "320684",  # 海门市 (became 海门区 320614)
    "320705",  # 连云港 新浦区 (abolished 2014)
    "320802",  # 淮安 清河区 (abolished 2016)
    "320811",  # 淮安 清浦区 (abolished 2016)
]


@pytest.fixture(scope="module")
def regions() -> list[RegionRow]:
    return load_jiangsu_regions()


@pytest.fixture(scope="module")
def by_code(regions: list[RegionRow]) -> dict[str, RegionRow]:
    return {r.code: r for r in regions}


def test_csv_is_bundled_next_to_module() -> None:
    assert REGIONS_CSV.is_file()
    assert REGIONS_CSV.name == "regions_jiangsu.csv"


def test_province_row(regions: list[RegionRow]) -> None:
    provinces = [r for r in regions if r.level == "province"]
    assert provinces == [RegionRow("320000", "江苏省", "province", None)]


def test_exactly_13_cities(regions: list[RegionRow]) -> None:
    cities = {r.code: r for r in regions if r.level == "city"}
    assert len(cities) == 13
    assert {code: r.name for code, r in cities.items()} == EXPECTED_CITIES
    assert all(r.parent_code == "320000" for r in cities.values())


@pytest.mark.parametrize(("code", "name", "parent"), KNOWN_COUNTIES)
def test_known_county_codes(
    by_code: dict[str, RegionRow], code: str, name: str, parent: str
) -> None:
    assert by_code[code] == RegionRow(code, name, "county", parent)


def test_total_county_count(regions: list[RegionRow]) -> None:
    assert sum(1 for r in regions if r.level == "county") == EXPECTED_COUNTY_COUNT
    assert len(regions) == 1 + 13 + EXPECTED_COUNTY_COUNT


def test_county_kind_breakdown(regions: list[RegionRow]) -> None:
    counties = [r for r in regions if r.level == "county"]
    districts = [r for r in counties if r.name.endswith("区")]
    cities = [r for r in counties if r.name.endswith("市")]
    xian = [r for r in counties if r.name.endswith("县")]
    assert (len(districts), len(cities), len(xian)) == (55, 21, 19)


def test_each_city_has_at_least_three_counties(regions: list[RegionRow]) -> None:
    per_city = Counter(r.parent_code for r in regions if r.level == "county")
    assert set(per_city) == set(EXPECTED_CITIES)
    assert all(n >= 3 for n in per_city.values()), per_city


def test_no_placeholder_or_abolished_codes(by_code: dict[str, RegionRow]) -> None:
    assert all(r.name != "市辖区" for r in by_code.values())
    assert not any(code.endswith("01") and code != "320000" for code in by_code)
    for code in ABOLISHED_CODES:
        assert code not in by_code, code


def test_same_name_allowed_under_different_cities(by_code: dict[str, RegionRow]) -> None:
    # 鼓楼区 exists in both 南京 and 徐州; uniqueness is per parent only.
    assert by_code["320106"].name == by_code["320302"].name == "鼓楼区"


# --- validation failures -------------------------------------------------------------

HEADER = "code,name,level,parent_code\n"
GOOD_PREFIX = "320000,江苏省,province,\n320100,南京市,city,320000\n"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "regions.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_minimal_valid_file(tmp_path: Path) -> None:
    rows = load_jiangsu_regions(_write(tmp_path, GOOD_PREFIX + "320102,玄武区,county,320100\n"))
    assert [r.code for r in rows] == ["320000", "320100", "320102"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GOOD_PREFIX + "32010,玄武区,county,320100\n", "not 6 digits"),
        (GOOD_PREFIX + "32010X,玄武区,county,320100\n", "not 6 digits"),
        (GOOD_PREFIX + "320102,玄武区,county,320900\n", "does not exist"),
        (GOOD_PREFIX + "320210,某市,city,320000\n", "must end in '00'"),
        (
            GOOD_PREFIX + "320200,无锡市,city,320000\n320205,锡山区,county,320100\n",
            "first 4 digits",
        ),
        (
            GOOD_PREFIX + "320102,玄武区,county,320100\n320104,玄武区,county,320100\n",
            "not unique",
        ),
        (GOOD_PREFIX + "320102,玄武区,county,320100\n320102,秦淮区,county,320100\n", "duplicate"),
        (GOOD_PREFIX + "320102,玄武区,district,320100\n", "unknown level"),
        (GOOD_PREFIX + "320102,玄武区,county,\n", "requires a parent_code"),
        (GOOD_PREFIX + "320102,玄武区,county\n", "expected 4 columns"),
    ],
)
def test_invalid_files_raise_value_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_jiangsu_regions(_write(tmp_path, body))


def test_bad_header_raises(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("id,name,level,parent\n320000,江苏省,province,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unexpected header"):
        load_jiangsu_regions(path)


def test_validate_regions_accepts_loaded_data(regions: list[RegionRow]) -> None:
    validate_regions(regions)  # must not raise
