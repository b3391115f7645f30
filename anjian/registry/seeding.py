"""The demo province: a deterministic, realistic Jiangsu built on the real region reference data.

``anjian seed`` calls :func:`seed_demo_province`. Everything it invents is fictional and marked so
(synthetic townships and zones carry ``is_synthetic=True``; delegation instrument numbers start with
"【演示】"); the province, its 13 cities and 95 counties are the real divisions loaded by migration.

Writes: regions, agencies, delegations, officers, certificates and grids go through the registry
services one by one (each records its own audit entry). Enterprises and their tags go through a
bulk path (PostgreSQL ``COPY``, or ``bulk_create`` elsewhere) in batches, generated as a stream, so
that a million rows take constant memory; the run records ONE summary audit entry
(``registry.seed``) for them. The whole run is one transaction: it lands completely or not at all.

Deterministic: the same ``seed``, size and date give the same province (same credit codes, names,
tags and assignments). Dates (certificate validity, blacklist periods) are relative to ``today`` so
that "expired" means expired on the day of the demo.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from anjian.accounts import services as account_services
from anjian.accounts.models import User
from anjian.audit import services as audit
from anjian.core.errors import DomainError
from anjian.core.permissions import Role
from anjian.registry import services
from anjian.registry.models import (
    Agency,
    AgencyKind,
    CertificateStatus,
    DelegationKind,
    Enterprise,
    EnterpriseStatus,
    EnterpriseTag,
    Industry,
    JurisdictionClaim,
    KeyTag,
    Officer,
    Region,
    RegionLevel,
    RiskGrade,
)
from anjian.registry.validation import uscc_with_check_digit

PROVINCE_CODE = "320000"
DEFAULT_SEED = 2026
DEFAULT_ENTERPRISES = 5_000
DEFAULT_DEMO_PASSWORD = "anjian-demo-2026"
BATCH_SIZE = 5_000
CERTIFICATE_ISSUER = "江苏省人民政府"
SYNTHETIC_SOURCE = "演示数据（虚构）"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# ---------------------------------------------------------------------------------------------
# Word pools (all invented combinations; any likeness to a real township or company is chance)

CITY_SHORT = {
    "320100": "宁",
    "320200": "锡",
    "320300": "徐",
    "320400": "常",
    "320500": "苏",
    "320600": "通",
    "320700": "连",
    "320800": "淮",
    "320900": "盐",
    "321000": "扬",
    "321100": "镇",
    "321200": "泰",
    "321300": "宿",
}
# Share of the province's enterprises in each city (roughly by economic size).
CITY_WEIGHT = {
    "320100": 12.0,
    "320200": 11.0,
    "320300": 7.0,
    "320400": 8.0,
    "320500": 21.0,
    "320600": 9.0,
    "320700": 3.5,
    "320800": 4.0,
    "320900": 6.0,
    "321000": 5.0,
    "321100": 4.0,
    "321200": 5.0,
    "321300": 4.5,
}

STREET_WORDS = _words(
    "城东 城西 城南 城北 新华 人民 东风 湖滨 长江 运河 青山 龙泉 白塔 金桥 双桥 红旗 朝阳 文昌 "
    "凤凰 翠屏 玉带 梅园 桃园 柳营 望江 紫薇 锦绣 丰乐 和平 建设 永安 迎春 春晖 秀水"
)
TOWN_WORDS = _words(
    "新集 古城 马庄 白马 横山 石桥 李庄 陈集 王营 沙河 大桥 黄墩 杨庄 三河 花园 双沟 官庄 "
    "高塘 铁佛 洋河 柳堡 庙头 蒋坝 许家 邵伯 曹甸 界首 八滩 北陈 丁庄 钱桥 安丰 富安 东岗 "
    "仁和 万福 顺河 兴隆 红星 卫东 义和 孙园 周桥 吕集 宋营 芦沟 汤湖 瓦窑"
)

ZONES = (
    # (county code, zone name, chemical park)
    ("320115", "江宁经济技术开发区", False),
    ("320116", "南京江北新材料科技园", True),
    ("320583", "昆山经济技术开发区", False),
    ("320582", "扬子江国际化学工业园", True),
    ("320411", "常州滨江经济开发区", True),
    ("320703", "连云港石化产业基地", True),
    ("321283", "泰兴经济开发区", True),
    ("320312", "徐州高新技术产业开发区", False),
)

SURNAMES = _words(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
    "彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 "
    "石 廖 贾 夏 韦 方 白 邹 孟 熊 秦 邱 江 尹 薛 段 雷 侯 龙 史 陶 贺 顾 毛 郝 龚 邵 万 钱 严 戴"
)
GIVEN_CHARS = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 建 文 玉 兰 红 斌 "
    "宇 浩 凯 健 俊 帆 旭 宁 婷 雪 琳 晨 鹏 辉 波 峰 鑫 博 飞 志 海 亮 国 庆 春 梅 林 云 丹 萍 "
    "燕 颖 倩 慧 欣 悦 佳 怡 晶 晓 翔 宏 成 荣 新 永 振 东 剑 毅 莉 蓉 德 福 立 忠 卫 荣 晖 睿"
)
TRADE_CHARS = _words(
    "华 泰 恒 信 达 鑫 盛 宏 金 瑞 通 和 嘉 德 博 永 立 天 安 新 康 源 丰 隆 兴 昌 富 佳 汇 明 "
    "晟 宇 辰 锦 润 益 诚 远 森 邦 科 创 威 星 弘 海 正 元 力 美 联 众 捷 顺 祥 旺 宝 得 凯 腾"
)
ROADS = _words(
    "人民路 解放路 中山路 建设路 长江路 淮海路 工业路 创业大道 科技路 新港大道 经一路 纬二路 "
    "振兴路 发展大道 友谊路 青年路 环城路 滨河路 园区大道 开发大道 通江路 黄河路 珠江路 华山路"
)

# Industry profiles: division -> (share of ordinary enterprises, name words, ln median employees,
# revenue per employee in 万元).
PROFILES: dict[str, tuple[float, tuple[str, ...], float, float]] = {
    "01": (0.5, ("农业科技", "农业发展", "种植"), 2.3, 15),
    "03": (0.4, ("牧业", "养殖"), 2.3, 20),
    "13": (2.5, ("粮油", "饲料", "食品", "米业"), 3.0, 80),
    "14": (1.5, ("食品", "食品科技", "乳业"), 3.0, 60),
    "15": (0.8, ("酒业", "饮料"), 3.0, 60),
    "17": (4.0, ("纺织", "织造", "印染", "纺织科技"), 3.4, 40),
    "18": (3.0, ("服饰", "制衣", "服装"), 3.5, 25),
    "19": (0.8, ("鞋业", "皮革制品"), 3.5, 25),
    "20": (1.2, ("木业", "木制品"), 2.8, 40),
    "21": (1.2, ("家具", "家居"), 3.0, 35),
    "22": (1.2, ("纸业", "包装材料", "纸制品"), 3.0, 60),
    "23": (0.8, ("印务", "彩印"), 2.6, 35),
    "24": (0.8, ("文体用品", "工艺品"), 3.0, 30),
    "25": (0.3, ("石化", "能源"), 4.2, 400),
    "26": (3.0, ("化工", "化学", "新材料", "精细化工", "化学品"), 3.4, 150),
    "27": (0.8, ("制药", "药业", "生物医药"), 4.0, 120),
    "28": (0.4, ("化纤", "化学纤维"), 3.8, 150),
    "29": (2.5, ("塑业", "橡塑", "塑料制品", "橡胶制品"), 3.1, 50),
    "30": (2.5, ("建材", "玻璃", "陶瓷", "新型建材", "混凝土"), 3.2, 60),
    "31": (0.6, ("钢铁", "特钢", "钢业"), 4.2, 300),
    "32": (1.0, ("铝业", "铜业", "金属材料"), 3.5, 200),
    "33": (4.5, ("金属制品", "五金", "铸造", "钢结构"), 3.1, 50),
    "34": (5.0, ("机械", "机械制造", "通用设备", "阀门", "泵业"), 3.2, 50),
    "35": (3.5, ("专用设备", "重工", "智能装备", "机电"), 3.2, 60),
    "36": (2.0, ("汽车零部件", "汽配", "汽车部件"), 3.6, 80),
    "37": (0.6, ("船舶", "船业", "游艇"), 3.8, 80),
    "38": (3.5, ("电气", "电器", "电缆", "电机", "光伏"), 3.4, 80),
    "39": (3.0, ("电子", "电子科技", "光电", "半导体"), 3.8, 90),
    "40": (0.8, ("仪表", "仪器"), 3.0, 50),
    "41": (0.5, ("日用制品", "制品"), 3.0, 30),
    "42": (0.4, ("再生资源", "资源回收"), 2.6, 60),
    "43": (0.3, ("设备维修", "机械维修"), 2.5, 30),
    "44": (0.5, ("热电", "电力", "新能源"), 3.8, 200),
    "45": (0.4, ("燃气", "天然气"), 3.3, 150),
    "46": (0.4, ("水务", "自来水"), 3.5, 40),
    "47": (2.5, ("建设", "建筑", "建设工程"), 3.5, 40),
    "48": (1.5, ("路桥", "市政工程", "交通工程"), 3.5, 50),
    "49": (1.0, ("安装工程", "机电安装"), 3.0, 30),
    "50": (2.0, ("装饰工程", "装饰", "建筑装饰"), 2.6, 25),
    "51": (10.0, ("商贸", "贸易", "物资", "供应链"), 1.8, 150),
    "52": (8.0, ("商贸", "超市", "百货", "商业"), 1.6, 40),
    "54": (2.0, ("运输", "物流", "汽车运输"), 2.8, 30),
    "55": (0.4, ("航运", "船务"), 2.8, 50),
    "59": (2.0, ("仓储", "物流", "仓储物流"), 2.5, 40),
    "61": (1.5, ("酒店", "宾馆", "酒店管理"), 2.8, 15),
    "62": (4.5, ("餐饮", "餐饮管理", "饭店"), 2.3, 12),
    "70": (1.0, ("物业管理", "置业"), 3.0, 20),
    "72": (1.0, ("企业管理", "人力资源"), 2.4, 20),
    "77": (0.3, ("环保", "环境工程"), 2.8, 40),
    "78": (0.3, ("市政设施", "园林"), 2.8, 25),
    "80": (0.8, ("家政服务", "洗浴"), 2.2, 10),
    "81": (1.0, ("汽车维修", "汽修"), 2.0, 15),
    "90": (0.6, ("娱乐", "文化娱乐"), 2.3, 15),
}
# What a chemical park attracts (half of its enterprises come from here).
CHEMICAL_PARK_PROFILE = {
    "26": 6.0,
    "25": 1.0,
    "27": 1.5,
    "28": 1.0,
    "29": 1.0,
    "59": 1.0,
    "51": 1.0,
}

# Key-supervision tags by industry code prefix (longest prefix wins): tag -> probability.
TAG_RATES: dict[str, dict[str, float]] = {
    "13": {"ammonia_refrigeration": 0.05, "combustible_dust": 0.05, "confined_space": 0.15},
    "14": {"ammonia_refrigeration": 0.04, "combustible_dust": 0.02, "confined_space": 0.10},
    "15": {"ammonia_refrigeration": 0.03, "confined_space": 0.15},
    "17": {"combustible_dust": 0.02, "confined_space": 0.10},
    "20": {"combustible_dust": 0.15},
    "21": {"combustible_dust": 0.10},
    "22": {"confined_space": 0.20, "combustible_dust": 0.03},
    "24": {"combustible_dust": 0.03},
    "25": {"hazchem_production": 0.60, "confined_space": 0.20, "occupational_hazard": 0.05},
    "26": {
        "hazchem_production": 0.30,
        "hazchem_storage": 0.05,
        "confined_space": 0.20,
        "occupational_hazard": 0.05,
        "combustible_dust": 0.02,
    },
    "27": {"hazchem_production": 0.15, "confined_space": 0.10},
    "28": {"hazchem_production": 0.10, "combustible_dust": 0.03},
    "29": {"combustible_dust": 0.03, "occupational_hazard": 0.03},
    "30": {"occupational_hazard": 0.10, "combustible_dust": 0.02},
    "31": {"occupational_hazard": 0.10, "confined_space": 0.10, "combustible_dust": 0.02},
    "32": {"combustible_dust": 0.10, "occupational_hazard": 0.08},
    "33": {"combustible_dust": 0.08, "occupational_hazard": 0.08},
    "34": {"combustible_dust": 0.02, "occupational_hazard": 0.02},
    "35": {"combustible_dust": 0.02, "occupational_hazard": 0.02},
    "36": {"combustible_dust": 0.02},
    "38": {"combustible_dust": 0.02},
    "44": {"confined_space": 0.10},
    "45": {"hazchem_storage": 0.30, "confined_space": 0.10},
    "46": {"confined_space": 0.50},
    "5162": {"hazchem_operation": 0.70},
    "5166": {"hazchem_operation": 0.30},
    "5167": {"hazchem_operation": 0.50},
    "5169": {"hazchem_operation": 0.70},
    "5265": {"hazchem_operation": 0.95},
    "5930": {"ammonia_refrigeration": 0.40},
    "594": {"hazchem_storage": 0.90},
    "59": {"confined_space": 0.05},
    "77": {"confined_space": 0.40},
    "78": {"confined_space": 0.20},
}
LABOUR_INTENSIVE_DIVISIONS = frozenset({"17", "18", "19", "21", "24", "38", "39", "41"})
MAJOR_HAZARD_RATE = {"hazchem_production": 0.35, "hazchem_storage": 0.60, "hazchem_operation": 0.05}
MAJOR_HAZARD_GRADES = ((1, 0.05), (2, 0.15), (3, 0.30), (4, 0.50))
RISK_POINTS = {
    "coal_mine": 4.0,
    "non_coal_mine": 2.5,
    "hazchem_production": 2.5,
    "hazchem_storage": 2.0,
    "hazchem_operation": 1.0,
    "combustible_dust": 1.2,
    "ammonia_refrigeration": 1.2,
    "confined_space": 0.6,
    "blacklist": 1.0,
    "labour_intensive": 0.5,
    "occupational_hazard": 0.6,
}
MAJOR_HAZARD_POINTS = {1: 2.5, 2: 2.0, 3: 1.5, 4: 1.0}
# The sector's own hazard, before any tag (manufacturing, utilities and construction above trade).
SECTOR_POINTS = {
    **{f"{d:02d}": 0.6 for d in range(13, 44)},
    **{"25": 1.2, "26": 1.0, "31": 0.9, "32": 0.8, "33": 0.8},
    **{"44": 1.0, "45": 1.2, "46": 0.6, "47": 0.8, "48": 0.8, "49": 0.6, "50": 0.5},
    **{"54": 0.5, "55": 0.5, "59": 0.5, "61": 0.4, "62": 0.3, "90": 0.4},
}
BLACKLIST_REASONS = (
    "发生生产安全责任事故，被列入安全生产严重失信主体名单（演示数据）",
    "未按期整改重大事故隐患，被列入安全生产严重失信主体名单（演示数据）",
    "拒不执行安全监管指令，被列入安全生产严重失信主体名单（演示数据）",
)

COAL_COUNTIES = ("320322", "320312", "320305")  # 沛县, 铜山区, 贾汪区
NON_COAL_COUNTIES = (
    ("320312", 3.0),  # 铜山区
    ("320382", 2.0),  # 邳州市
    ("320381", 1.5),  # 新沂市
    ("320324", 1.0),  # 睢宁县
    ("320115", 1.0),  # 江宁区
    ("320116", 1.0),  # 六合区
    ("321183", 1.5),  # 句容市
    ("320282", 1.0),  # 宜兴市
    ("320481", 1.0),  # 溧阳市
    ("320722", 1.0),  # 东海县
    ("320830", 1.0),  # 盱眙县
)
NON_COAL_CLASSES = ("1011", "1011", "1012", "1019", "1019", "0810", "1020", "1092")

AUTHORIZED_VIOLATIONS = (
    "WSL2021-097",
    "WSL2021-099",
    "WSL2021-101",
    "WSL2021-102",
    "WSL2021-104",
    "WSL2021-105",
)
# The (fictional) numbers of the province's batch decisions granting townships penalty power.
PROVINCE_DECISIONS = {2021: 48, 2022: 21, 2023: 7}
ENTRUSTED_VIOLATIONS = ("WSL2021-097", "WSL2021-099", "WSL2021-102", "WSL2021-105")

ENFORCEMENT_ROLES: frozenset[str] = frozenset(
    {Role.INSPECTOR, Role.SECTION_HEAD, Role.BUREAU_HEAD, Role.LEGAL_REVIEWER}
)
POSTS: dict[str, str] = {
    Role.SECTION_HEAD: "执法科科长",
    Role.INSPECTOR: "执法人员",
    Role.LEGAL_REVIEWER: "法制审核人员",
    Role.BUREAU_HEAD: "局负责人",
    Role.ARCHIVIST: "档案管理员",
    Role.TRAINER: "培训管理员",
    Role.ADMINISTRATOR: "系统管理员",
}

# ---------------------------------------------------------------------------------------------
# Demo logins


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    roles: tuple[str, ...]
    agency_region: str  # region code, or "first-township:<county code>"
    certificate: str  # valid / expired / none
    role_label: str


DEMO_LOGINS = (
    DemoLogin(
        "sheng",
        "沈立新",
        (Role.SECTION_HEAD, Role.INSPECTOR),
        PROVINCE_CODE,
        "valid",
        "省厅执法科科长",
    ),
    DemoLogin(
        "nanjing", "南宏伟", (Role.SECTION_HEAD, Role.INSPECTOR), "320100", "valid", "市局科长"
    ),
    DemoLogin("xuanwu", "宣晓明", (Role.INSPECTOR,), "320102", "valid", "区局执法人员"),
    DemoLogin("xuanwu2", "萧文静", (Role.INSPECTOR,), "320102", "valid", "区局执法人员（第二人）"),
    DemoLogin(
        "gulou",
        "顾永强",
        (Role.SECTION_HEAD, Role.INSPECTOR),
        "320106",
        "valid",
        "另一区局科长",
    ),
    DemoLogin(
        "jiedao", "江春燕", (Role.INSPECTOR,), "first-township:320102", "valid", "街道执法人员"
    ),
    DemoLogin("expired", "易国庆", (Role.INSPECTOR,), "320102", "expired", "执法证已过期"),
    DemoLogin("fazhi", "范志华", (Role.LEGAL_REVIEWER,), "320102", "valid", "法制审核人员"),
    DemoLogin("juzhang", "金建国", (Role.BUREAU_HEAD,), "320102", "valid", "局负责人"),
    DemoLogin("dangan", "党丽娟", (Role.ARCHIVIST,), "320102", "none", "档案管理员"),
)
ADMIN_USERNAME = "admin"

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class LoginRow:
    username: str
    role: str
    agency: str
    certificate: str


@dataclass
class SeedResult:
    regions: int = 0
    agencies: int = 0
    delegations: int = 0
    officers: int = 0
    certificates: dict[str, int] = field(default_factory=dict)
    grids: int = 0
    enterprises: int = 0
    tags: int = 0
    problems: dict[str, int] = field(default_factory=dict)
    digest: str = ""
    bulk_method: str = ""
    logins: list[LoginRow] = field(default_factory=list)
    password: str = ""
    admin_created: bool = False


# ---------------------------------------------------------------------------------------------
# Structure: regions, agencies, officers, grids (through the services)


@dataclass
class Place:
    """A township, sub-district or development zone, with its agency and grids."""

    region: Region
    agency: Agency
    is_zone: bool
    is_chemical: bool
    has_power: bool  # a delegation of penalty power in force today
    grid_ids: list[int] = field(default_factory=list)
    weight: float = 1.0


@dataclass
class County:
    region: Region
    city: Region
    agency: Agency
    city_agency: Agency
    places: list[Place] = field(default_factory=list)
    weight: float = 1.0
    place_cumulative: list[float] = field(default_factory=list)


@dataclass
class Structure:
    province_agency: Agency
    counties: list[County]
    by_code: dict[str, County]
    county_cumulative: list[float]
    industries: dict[str, int]  # code -> id (divisions and classes)
    classes_by_division: dict[str, list[str]]
    division_codes: list[str]
    division_cumulative: list[float]
    chemical_codes: list[str]
    chemical_cumulative: list[float]


def _person_name(rng: random.Random) -> str:
    surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.75:
        given += rng.choice(GIVEN_CHARS)
    return surname + given


def _short_char(name: str, used: set[str]) -> str:
    for char in name:
        if char not in used and char not in "区县市镇街道":
            used.add(char)
            return char
    return ""


def _county_agency_name(county: Region, city: Region) -> str:
    # Districts carry their city's name (鼓楼区 exists in 南京 and in 徐州); counties and
    # county-level cities do not.
    if county.name.endswith("区"):
        return f"{city.name}{county.name}应急管理局"
    return f"{county.name}应急管理局"


class _Builder:
    def __init__(self, *, rng: random.Random, today: dt.date, password: str) -> None:
        self.rng = rng
        self.today = today
        self.result = SeedResult(password=password)
        self.certificate_serial = 0
        self.certified: dict[int, list[Officer]] = {}  # agency id -> officers certified today
        self.demo_user_ids: list[int] = []

    # -- regions and agencies -----------------------------------------------------------------

    def build(
        self, city_codes: Sequence[str] = (), county_codes: Sequence[str] = ()
    ) -> tuple[Agency, list[County]]:
        regions = list(Region.objects.filter(province_code=PROVINCE_CODE).order_by("code"))
        province = next((r for r in regions if r.level == RegionLevel.PROVINCE), None)
        cities = [r for r in regions if r.level == RegionLevel.CITY]
        if province is None or len(cities) != 13:
            raise DomainError(
                "seed_regions_missing",
                "缺少江苏省行政区划参考数据，请先执行 anjian migrate。",
                "The Jiangsu region reference data is missing: run `anjian migrate` first.",
            )
        counties = [r for r in regions if r.level == RegionLevel.COUNTY]
        unknown = sorted(
            (set(city_codes) - {c.code for c in cities})
            | (set(county_codes) - {c.code for c in counties})
        )
        if unknown:
            raise DomainError(
                "seed_region_unknown",
                f"不是江苏省的设区市或县级区划代码：{'、'.join(unknown)}",
                f"Not a Jiangsu city or county code: {', '.join(unknown)}",
            )
        if county_codes:
            counties = [c for c in counties if c.code in county_codes]
            city_codes = [*city_codes, *(c.city_code for c in counties)]
        if city_codes:
            cities = [c for c in cities if c.code in city_codes]
            kept = {city.code for city in cities}
            counties = [c for c in counties if c.city_code in kept]
        province_agency = services.create_agency(
            actor=None,
            name="江苏省应急管理厅",
            short_name="苏",
            kind=AgencyKind.EMERGENCY_BUREAU,
            region=province,
            parent=None,
        )
        self.result.agencies += 1
        self._staff(province_agency, self._province_roles())
        city_agencies: dict[str, Agency] = {}
        city_by_code = {c.code: c for c in cities}
        for city in cities:
            agency = services.create_agency(
                actor=None,
                name=f"{city.name}应急管理局",
                short_name="苏" + CITY_SHORT.get(city.code, city.name[0]),
                kind=AgencyKind.EMERGENCY_BUREAU,
                region=city,
                parent=province_agency,
            )
            city_agencies[city.code] = agency
            self.result.agencies += 1
            self._staff(agency, self._city_roles())
        used_in_city: dict[str, set[str]] = {}
        result: list[County] = []
        zones_by_county: dict[str, list[tuple[str, bool]]] = {}
        for county_code, zone_name, chemical in ZONES:
            zones_by_county.setdefault(county_code, []).append((zone_name, chemical))
        for county in counties:
            city = city_by_code[county.city_code]
            city_agency = city_agencies[city.code]
            used = used_in_city.setdefault(city.code, set())
            agency = services.create_agency(
                actor=None,
                name=_county_agency_name(county, city),
                short_name=city_agency.short_name + _short_char(county.name, used),
                kind=AgencyKind.EMERGENCY_BUREAU,
                region=county,
                parent=city_agency,
            )
            self.result.agencies += 1
            self._staff(agency, self._county_roles())
            entry = County(
                region=county,
                city=city,
                agency=agency,
                city_agency=city_agency,
                weight=self.rng.uniform(0.5, 1.5),
            )
            self._places(entry, zones_by_county.get(county.code, []))
            result.append(entry)
        return province_agency, result

    def _places(self, county: County, zones: list[tuple[str, bool]]) -> None:
        rng = self.rng
        is_district = county.region.name.endswith("区")
        count = rng.randint(3, 6)
        streets = count if is_district and rng.random() < 0.6 else rng.randint(1, 2)
        streets = min(streets, count)
        words_street = rng.sample(STREET_WORDS, streets)
        words_town = rng.sample(TOWN_WORDS, count - streets)
        used_short: set[str] = set()
        places: list[tuple[str, str, bool, bool]] = []  # code, name, is_zone, chemical
        for index, word in enumerate(words_street, start=1):
            places.append((f"{county.region.code}{index:03d}", f"{word}街道", False, False))
        for index, word in enumerate(words_town, start=100):
            places.append((f"{county.region.code}{index:03d}", f"{word}镇", False, False))
        for index, (name, chemical) in enumerate(zones, start=401):
            places.append((f"{county.region.code}{index:03d}", name, True, chemical))
        for code, name, is_zone, chemical in places:
            region = services.create_region(
                actor=None,
                code=code,
                name=name,
                level=RegionLevel.ZONE if is_zone else RegionLevel.TOWNSHIP,
                parent=county.region,
                is_synthetic=True,
                source=SYNTHETIC_SOURCE,
            )
            self.result.regions += 1
            county_label = _county_agency_name(county.region, county.city).removesuffix(
                "应急管理局"
            )
            if is_zone:
                agency_name = f"{name}管理委员会"
                kind = AgencyKind.ZONE_COMMITTEE
            elif name.endswith("街道"):
                agency_name = f"{county_label}{name}办事处"
                kind = AgencyKind.TOWNSHIP_GOVERNMENT
            else:
                agency_name = f"{county_label}{name}人民政府"
                kind = AgencyKind.TOWNSHIP_GOVERNMENT
            agency = services.create_agency(
                actor=None,
                name=agency_name,
                short_name=county.agency.short_name + _short_char(name, used_short),
                kind=kind,
                region=region,
                parent=county.agency,
            )
            self.result.agencies += 1
            first_township = not county.places and not is_zone
            has_power = self._delegate(county, agency, is_zone=is_zone, force=first_township)
            if is_zone:
                roles: list[tuple[str, ...]] = [
                    (Role.SECTION_HEAD, Role.INSPECTOR),
                    (Role.INSPECTOR,),
                    (Role.INSPECTOR,),
                    (Role.LEGAL_REVIEWER,),
                ]
            else:
                roles = [(Role.INSPECTOR,)] * (2 if has_power else 1)
            place = Place(
                region=region,
                agency=agency,
                is_zone=is_zone,
                is_chemical=chemical,
                has_power=has_power,
                weight=(3.0 if is_zone else rng.uniform(0.6, 1.6)),
            )
            county.places.append(place)
            if first_township:
                self._demo_staff(agency, f"first-township:{county.region.code}")
            self._staff(agency, roles)
            self._grids(county, place)

    def _delegate(self, county: County, agency: Agency, *, is_zone: bool, force: bool) -> bool:
        rng = self.rng
        draw = rng.random()
        if is_zone or force or draw < 0.45:
            year = rng.choice((2021, 2022, 2023))
            services.add_delegation(
                actor=None,
                agency=agency,
                kind=DelegationKind.AUTHORIZATION,
                scope="依据省人民政府赋权决定（行政处罚法第二十四条），以本机关名义行使安全生产领域部分"
                "行政处罚权（演示数据）",
                instrument_number=f"【演示】苏政发〔{year}〕{PROVINCE_DECISIONS[year]}号",
                valid_from=dt.date(year, rng.randint(1, 12), 1),
                valid_to=None,
                violation_codes=AUTHORIZED_VIOLATIONS,
            )
            self.result.delegations += 1
            return True
        if draw < 0.65:
            valid_from = self.today - dt.timedelta(days=rng.randint(200, 1200))
            expired = rng.random() < 0.1
            valid_to = (
                self.today - dt.timedelta(days=rng.randint(10, 150))
                if expired
                else self.today + dt.timedelta(days=rng.randint(60, 900))
            )
            services.add_delegation(
                actor=None,
                agency=agency,
                kind=DelegationKind.ENTRUSTMENT,
                scope=f"受{county.agency.name}书面委托（行政处罚法第二十条），以委托机关名义实施安全生产法"
                "第九十七条、第九十九条、第一百零二条、第一百零五条规定的行政处罚（演示数据）",
                instrument_number=f"【演示】{county.agency.short_name}应急委〔{valid_from.year}〕"
                f"{rng.randint(1, 30)}号",
                valid_from=valid_from,
                valid_to=valid_to,
                delegating_agency=county.agency,
                violation_codes=ENTRUSTED_VIOLATIONS,
            )
            self.result.delegations += 1
            return not expired
        return False

    # -- officers -------------------------------------------------------------------------------

    def _province_roles(self) -> list[tuple[str, ...]]:
        return [
            (Role.SECTION_HEAD, Role.INSPECTOR),
            (Role.SECTION_HEAD, Role.INSPECTOR),
            (Role.INSPECTOR,),
            (Role.INSPECTOR,),
            (Role.INSPECTOR,),
            (Role.LEGAL_REVIEWER,),
            (Role.BUREAU_HEAD,),
            (Role.ARCHIVIST,),
            (Role.TRAINER,),
            (Role.ADMINISTRATOR,),
        ]

    def _city_roles(self) -> list[tuple[str, ...]]:
        roles: list[tuple[str, ...]] = [
            (Role.SECTION_HEAD, Role.INSPECTOR),
            (Role.INSPECTOR,),
            (Role.INSPECTOR,),
            (Role.LEGAL_REVIEWER,),
            (Role.BUREAU_HEAD,),
            (Role.ARCHIVIST,),
        ]
        if self.rng.random() < 0.5:
            roles.append((Role.TRAINER,))
        return roles

    def _county_roles(self) -> list[tuple[str, ...]]:
        roles: list[tuple[str, ...]] = [(Role.SECTION_HEAD, Role.INSPECTOR)]
        roles += [(Role.INSPECTOR,)] * self.rng.randint(2, 4)
        roles += [(Role.LEGAL_REVIEWER,), (Role.BUREAU_HEAD,), (Role.ARCHIVIST,)]
        if self.rng.random() < 0.3:
            roles.append((Role.ADMINISTRATOR,))
        return roles

    def _staff(self, agency: Agency, roles_list: Sequence[tuple[str, ...]]) -> None:
        if agency.level in {"province", "city", "county"}:
            self._demo_staff(agency, agency.region.code)
        for number, roles in enumerate(roles_list, start=1):
            enforcement = bool(ENFORCEMENT_ROLES & set(roles))
            status = "none"
            if enforcement:
                draw = self.rng.random()
                status = (
                    "valid"
                    if draw < 0.86
                    else "expired"
                    if draw < 0.93
                    else "suspended"
                    if draw < 0.97
                    else "none"
                )
            self._officer(
                agency,
                username=f"js{agency.region.code}-{number:02d}",
                name=_person_name(self.rng),
                roles=roles,
                certificate=status,
                password=None,
            )

    def _demo_staff(self, agency: Agency, key: str) -> None:
        for login in DEMO_LOGINS:
            if login.agency_region == key:
                officer = self._officer(
                    agency,
                    username=login.username,
                    name=login.name,
                    roles=login.roles,
                    certificate=login.certificate,
                    password=None,  # set below, hashed once for every demo login
                )
                self.demo_user_ids.append(officer.user_id)

    def _officer(
        self,
        agency: Agency,
        *,
        username: str,
        name: str,
        roles: tuple[str, ...],
        certificate: str,
        password: str | None,
    ) -> Officer:
        officer = services.create_officer(
            actor=None,
            username=username,
            name=name,
            agency=agency,
            post=POSTS[roles[0]],
            roles=roles,
            password=password,
        )
        self.result.officers += 1
        if certificate != "none":
            self.certificate_serial += 1
            if certificate == "expired":
                valid_to = self.today - dt.timedelta(days=self.rng.randint(5, 400))
                valid_from = valid_to - dt.timedelta(days=5 * 365)
            else:
                valid_from = self.today - dt.timedelta(days=self.rng.randint(30, 1500))
                valid_to = max(
                    valid_from + dt.timedelta(days=5 * 365), self.today + dt.timedelta(days=30)
                )
            services.add_certificate(
                actor=None,
                officer=officer,
                number=f"JS{agency.region.code[:6]}{self.certificate_serial:06d}",
                issuer=CERTIFICATE_ISSUER,
                valid_from=valid_from,
                valid_to=valid_to,
                status=(
                    CertificateStatus.SUSPENDED
                    if certificate == "suspended"
                    else CertificateStatus.VALID
                ),
            )
            if certificate == "valid":
                self.certified.setdefault(agency.pk, []).append(officer)
        self.result.certificates[certificate] = self.result.certificates.get(certificate, 0) + 1
        return officer

    # -- grids ----------------------------------------------------------------------------------

    def _grids(self, county: County, place: Place) -> None:
        numerals = "一二三四"
        count = 2 if place.is_zone else self.rng.randint(1, 3)
        candidates = (
            self.certified.get(place.agency.pk)
            or self.certified.get(county.agency.pk)
            or self.certified.get(county.city_agency.pk)
        )
        for index in range(count):
            officer = candidates[index % len(candidates)] if candidates else None
            grid = services.create_grid(
                actor=None,
                name=f"{place.region.name}第{numerals[index]}网格",
                region=place.region,
                agency=place.agency,
                responsible_officer=officer,
                on=self.today,
            )
            place.grid_ids.append(grid.pk)
            self.result.grids += 1


# ---------------------------------------------------------------------------------------------
# Enterprises (a stream of rows, bulk-written)


ENTERPRISE_FIELDS = (
    "id",
    "uscc",
    "name",
    "legal_representative",
    "address",
    "region",
    "grid",
    "industry",
    "employees",
    "revenue",
    "status",
    "risk_grade",
    "supervising_agency",
    "province_code",
    "city_code",
    "county_code",
    "created_at",
    "updated_at",
)
TAG_FIELDS = ("enterprise", "tag", "grade", "valid_from", "valid_to", "reason")

_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def organization_code(body: str) -> str:
    """Eight characters plus the GB 11714 check character (the organisation-code part of a USCC)."""
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body, _GB11714_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def _organization_body(sequence: int, salt: int) -> str:
    """A unique 8-character body per sequence: older numeric codes, or newer "MA…" codes."""
    if sequence % 5 < 3:
        return f"{(sequence * 73_856_093 + salt) % 100_000_000:08d}"
    value = (sequence * 19_349_663 + salt) % 31**6
    chars = []
    for _ in range(6):
        value, digit = divmod(value, 31)
        chars.append(_USCC_ALPHABET[digit])
    return "MA" + "".join(reversed(chars))


@dataclass(frozen=True)
class PlannedEnterprise:
    """One generated enterprise: the row (in ``ENTERPRISE_FIELDS`` order) and its tags."""

    row: tuple[Any, ...]
    tags: list[tuple[Any, ...]]
    key: str  # the semantic content, for the run's digest


class _EnterpriseGenerator:
    def __init__(
        self,
        *,
        structure: Structure,
        total: int,
        seed: int,
        today: dt.date,
        first_id: int,
        with_problems: bool,
    ) -> None:
        self.s = structure
        self.total = total
        self.rng = random.Random(f"anjian-seed:{seed}:enterprises")
        self.salt = random.Random(f"anjian-seed:{seed}:salt").randrange(10**7)
        self.today = today
        self.first_id = first_id
        self.now = timezone.now()
        self.coal = max(2, total // 100_000)
        self.non_coal = max(4, total // 5_000)
        self.special = self.coal + self.non_coal
        self.problem_slots: dict[int, str] = {}
        if with_problems:
            kinds = ["gap"] * 5 + ["outside"] * 5 + ["claimed_twice"] * 5
            step = max(1, (total - self.special) // (len(kinds) + 1))
            for index, kind in enumerate(kinds, start=1):
                slot = self.special + index * step
                if slot < total:
                    self.problem_slots[slot] = kind
        self.claims: list[tuple[int, int, int]] = []  # enterprise id, agency ids
        non_coal_codes = [c for c, _ in NON_COAL_COUNTIES if c in structure.by_code]
        self.non_coal_counties = non_coal_codes
        self.non_coal_cumulative = _cumulative(
            [w for c, w in NON_COAL_COUNTIES if c in structure.by_code]
        )

    def __iter__(self) -> Iterator[PlannedEnterprise]:
        for sequence in range(self.total):
            yield self._one(sequence)

    # -- one enterprise ---------------------------------------------------------------------------

    def _one(self, sequence: int) -> PlannedEnterprise:
        rng = self.rng
        kind = "coal" if sequence < self.coal else "non_coal" if sequence < self.special else ""
        county, place = self._location(kind, sequence)
        industry_code = self._industry(kind, county, place)
        division = industry_code[:2]
        profile = PROFILES.get(division, (0.0, ("实业",), 2.5, 30))
        employees, revenue = self._size(kind, profile)
        draw = rng.random()
        status = (
            EnterpriseStatus.OPERATING
            if draw < 0.90
            else EnterpriseStatus.SUSPENDED
            if draw < 0.94
            else EnterpriseStatus.CLOSED
            if draw < 0.97
            else EnterpriseStatus.CANCELLED
        )
        problem = self.problem_slots.get(sequence, "")
        if problem or kind:
            status = EnterpriseStatus.OPERATING
        tags = self._tags(kind, industry_code, employees)
        risk = self._risk(tags, division, employees)
        agency: Agency | None = self._supervisor(kind, county, place, risk, employees, bool(tags))
        if status == EnterpriseStatus.CANCELLED:
            agency = None
        enterprise_id = self.first_id + sequence
        if problem == "gap":
            agency = None
        elif problem == "outside":
            agency = self._neighbour(county).agency
        elif problem == "claimed_twice" and agency is not None:
            self.claims.append((enterprise_id, agency.pk, self._neighbour(county).agency.pk))
        is_individual = (
            not kind
            and employees < 8
            and division in {"52", "62", "81", "80"}
            and rng.random() < 0.5
        )
        name = self._name(county, kind, division, profile[1], employees, is_individual)
        uscc = uscc_with_check_digit(
            ("92" if is_individual else "91")
            + county.region.code
            + organization_code(_organization_body(sequence, self.salt))
        )
        legal_representative = _person_name(rng)
        address = self._address(county, place)
        region = place.region if place is not None else county.region
        grid_id = rng.choice(place.grid_ids) if place is not None and place.grid_ids else None
        row = (
            enterprise_id,
            uscc,
            name,
            legal_representative,
            address,
            region.pk,
            grid_id,
            self.s.industries[industry_code],
            employees,
            revenue,
            status.value,
            risk.value,
            agency.pk if agency is not None else None,
            region.province_code,
            region.city_code,
            region.county_code,
            self.now,
            self.now,
        )
        key = "|".join(
            [
                uscc,
                name,
                legal_representative,
                address,
                region.code,
                industry_code,
                str(employees),
                str(revenue),
                status.value,
                risk.value,
                agency.name if agency is not None else "",
                ";".join(",".join(str(v) for v in t) for t in tags),
            ]
        )
        return PlannedEnterprise(row=row, tags=[(enterprise_id, *t) for t in tags], key=key)

    def _location(self, kind: str, sequence: int) -> tuple[County, Place | None]:
        rng, s = self.rng, self.s
        if kind == "coal" and any(c in s.by_code for c in COAL_COUNTIES):
            present = [c for c in COAL_COUNTIES if c in s.by_code]
            county = s.by_code[present[sequence % len(present)]]
        elif kind == "non_coal" and self.non_coal_counties:
            code = rng.choices(self.non_coal_counties, cum_weights=self.non_coal_cumulative)[0]
            county = s.by_code[code]
        else:
            county = rng.choices(s.counties, cum_weights=s.county_cumulative)[0]
        place: Place | None = None
        if rng.random() >= 0.04:  # a few registered at county level only, without a township
            place = rng.choices(county.places, cum_weights=county.place_cumulative)[0]
            if kind and place.is_zone:
                place = next((p for p in county.places if not p.is_zone), place)
        return county, place

    def _industry(self, kind: str, county: County, place: Place | None) -> str:
        rng, s = self.rng, self.s
        if kind == "coal":
            code = "0610"
        elif kind == "non_coal":
            code = "1030" if county.city.code == "320800" else rng.choice(NON_COAL_CLASSES)
        else:
            if place is not None and place.is_chemical and rng.random() < 0.5:
                division = rng.choices(s.chemical_codes, cum_weights=s.chemical_cumulative)[0]
            else:
                division = rng.choices(s.division_codes, cum_weights=s.division_cumulative)[0]
            classes = s.classes_by_division.get(division)
            code = rng.choice(classes) if classes else division
            special = {"52": ("5265", 0.06), "59": ("5942", 0.15), "51": ("5169", 0.08)}
            if division in special and rng.random() < special[division][1]:
                code = special[division][0]  # filling stations, chemical warehouses and traders
        return code if code in s.industries else code[:2]

    def _size(
        self, kind: str, profile: tuple[float, tuple[str, ...], float, float]
    ) -> tuple[int, Decimal]:
        rng = self.rng
        if kind == "coal":
            employees = int(math.exp(rng.gauss(math.log(1500), 0.5)))
        elif kind == "non_coal":
            employees = int(math.exp(rng.gauss(math.log(60), 0.6)))
        else:
            employees = int(math.exp(rng.gauss(profile[2], 1.15)))
        employees = max(1, min(employees, 60_000))
        per_head = math.exp(rng.gauss(math.log(profile[3] if not kind else 80), 0.6))
        return employees, Decimal(f"{min(employees * per_head, 9.9e10):.2f}")

    def _risk(self, tags: list[tuple[Any, ...]], division: str, employees: int) -> RiskGrade:
        score = sum(RISK_POINTS.get(t[0], 0.0) for t in tags)
        score += sum(MAJOR_HAZARD_POINTS[t[1]] for t in tags if t[0] == KeyTag.MAJOR_HAZARD_SOURCE)
        score += SECTOR_POINTS.get(division, 0.0)
        score += 0.5 * (employees >= 300) + 0.5 * (employees >= 1000) + self.rng.gauss(0, 0.4)
        if score >= 4.5:
            return RiskGrade.MAJOR
        if score >= 2.5:
            return RiskGrade.HIGH
        if score >= 1.0:
            return RiskGrade.MODERATE
        return RiskGrade.LOW

    def _supervisor(
        self,
        kind: str,
        county: County,
        place: Place | None,
        risk: RiskGrade,
        employees: int,
        tagged: bool,
    ) -> Agency:
        """County bureau mostly; the city bureau for coal mines and some major risks; a township
        or zone agency (only one holding penalty power today) for its small or zone enterprises."""
        rng = self.rng
        if kind == "coal" or (risk == RiskGrade.MAJOR and rng.random() < 0.6):
            return county.city_agency
        if place is None or not place.has_power:
            return county.agency
        if place.is_zone:
            return place.agency if risk != RiskGrade.HIGH or rng.random() < 0.5 else county.agency
        if employees < 30 and risk == RiskGrade.LOW and not tagged and rng.random() < 0.6:
            return place.agency
        return county.agency

    def _neighbour(self, county: County) -> County:
        siblings = [c for c in self.s.counties if c.city.pk == county.city.pk and c is not county]
        return siblings[0] if siblings else county

    def _tags(self, kind: str, industry_code: str, employees: int) -> list[tuple[Any, ...]]:
        rng = self.rng
        tags: list[str] = []
        if kind == "coal":
            tags.append(KeyTag.COAL_MINE)
            if rng.random() < 0.7:
                tags.append(KeyTag.OCCUPATIONAL_HAZARD)
        elif kind == "non_coal":
            tags.append(KeyTag.NON_COAL_MINE)
            if rng.random() < 0.5:
                tags.append(KeyTag.OCCUPATIONAL_HAZARD)
        else:
            rates: dict[str, float] = {}
            for length in (4, 3, 2):
                found = TAG_RATES.get(industry_code[:length])
                if found is not None:
                    rates = found
                    break
            tags.extend(tag for tag, rate in rates.items() if rng.random() < rate)
            division = industry_code[:2]
            is_manufacturing = "13" <= division <= "43"
            if (
                employees >= 100 and division in LABOUR_INTENSIVE_DIVISIONS and rng.random() < 0.7
            ) or (employees >= 300 and is_manufacturing and rng.random() < 0.4):
                tags.append(KeyTag.LABOUR_INTENSIVE)
        result: list[tuple[Any, ...]] = [(t, None, None, None, "") for t in dict.fromkeys(tags)]
        if any(rng.random() < MAJOR_HAZARD_RATE.get(t, 0.0) for t in tags):
            draw, grade = rng.random(), 4
            for candidate, share in MAJOR_HAZARD_GRADES:
                if draw < share:
                    grade = candidate
                    break
                draw -= share
            result.append((KeyTag.MAJOR_HAZARD_SOURCE, grade, None, None, ""))
        blacklist_rate = 0.006 if tags else 0.0015
        if rng.random() < blacklist_rate:
            start = self.today - dt.timedelta(days=rng.randint(10, 700))
            result.append(
                (
                    KeyTag.BLACKLIST,
                    None,
                    start,
                    start + dt.timedelta(days=365 * rng.choice((1, 2, 3))),
                    rng.choice(BLACKLIST_REASONS),
                )
            )
        return [(str(t), g, f, to, r) for t, g, f, to, r in result]

    def _name(
        self,
        county: County,
        kind: str,
        division: str,
        words: tuple[str, ...],
        employees: int,
        is_individual: bool,
    ) -> str:
        rng = self.rng
        trade = "".join(rng.sample(TRADE_CHARS, 3 if rng.random() < 0.15 else 2))
        county_name = county.region.name
        if is_individual:
            shop = {"52": "便利店", "62": "餐馆", "81": "汽车修理店", "80": "服务部"}[division]
            return f"{county_name}{trade}{shop}"
        city_name = county.city.name.removesuffix("市")
        if county_name.endswith("区"):
            region_word = city_name
        elif county_name.endswith("市"):
            region_word = county_name.removesuffix("市")
        else:
            region_word = county_name.removesuffix("县") if len(county_name) > 2 else county_name
        draw = rng.random()
        if draw < (0.3 if employees >= 300 else 0.08):
            region_word = "江苏"
        elif draw < 0.2 and not county_name.endswith("区"):
            region_word = city_name
        if kind == "coal":
            industry_word = "煤业"
        elif kind == "non_coal":
            industry_word = rng.choice(("矿业", "石料", "矿产"))
        else:
            industry_word = rng.choice(words)
        suffix = (
            "股份有限公司"
            if employees >= 500 and rng.random() < 0.4
            else "有限责任公司"
            if rng.random() < 0.08
            else "有限公司"
        )
        return f"{region_word}{trade}{industry_word}{suffix}"

    def _address(self, county: County, place: Place | None) -> str:
        rng = self.rng
        city = county.city.name
        county_name = county.region.name
        local = place.region.name if place is not None else ""
        return f"江苏省{city}{county_name}{local}{rng.choice(ROADS)}{rng.randint(1, 999)}号"


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    result = []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def _load_industries() -> tuple[dict[str, int], dict[str, list[str]]]:
    rows = list(
        Industry.objects.filter(level__in=["division", "class"])
        .order_by("code")
        .values_list("code", "level", "id")
    )
    if not any(level == "division" for _, level, _ in rows):
        raise DomainError(
            "seed_industries_missing",
            "行业分类表（GB/T 4754-2017）为空，请先执行 anjian migrate。",
            "The industry table (GB/T 4754-2017) is empty: run `anjian migrate` first.",
        )
    industries = {code: pk for code, _, pk in rows}
    classes: dict[str, list[str]] = {}
    for code, level, _ in rows:
        if level == "class":
            classes.setdefault(code[:2], []).append(code)
    return industries, classes


# ---------------------------------------------------------------------------------------------
# Writing


def _write_batch(method: str, batch: list[PlannedEnterprise]) -> int:
    tags = [t for planned in batch for t in planned.tags]
    if method == "copy":
        _copy(Enterprise, ENTERPRISE_FIELDS, [p.row for p in batch])
        _copy(EnterpriseTag, TAG_FIELDS, tags)
    else:
        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    **{
                        _attname(Enterprise, f): v
                        for f, v in zip(ENTERPRISE_FIELDS, p.row, strict=True)
                    }
                )
                for p in batch
            ],
            batch_size=BATCH_SIZE,
        )
        EnterpriseTag.objects.bulk_create(
            [
                EnterpriseTag(
                    **{_attname(EnterpriseTag, f): v for f, v in zip(TAG_FIELDS, t, strict=True)}
                )
                for t in tags
            ],
            batch_size=BATCH_SIZE,
        )
    return len(tags)


def _attname(model: type[Any], name: str) -> str:
    return str(model._meta.get_field(name).attname)


def _copy(model: type[Any], fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL only: stream rows with COPY (several times faster than multi-row INSERT)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [Enterprise, EnterpriseTag])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# ---------------------------------------------------------------------------------------------
# The run


def demo_usernames() -> list[str]:
    return [ADMIN_USERNAME, *(login.username for login in DEMO_LOGINS)]


def is_seeded() -> bool:
    return Agency.objects.exists()


def seed_demo_province(
    *,
    enterprises: int = DEFAULT_ENTERPRISES,
    seed: int = DEFAULT_SEED,
    password: str = DEFAULT_DEMO_PASSWORD,
    with_problems: bool = False,
    cities: Sequence[str] = (),
    counties: Sequence[str] = (),
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Build the demo province in one transaction; refuse when agencies or enterprises exist."""
    today = today or timezone.localdate()
    say = progress or (lambda message: None)
    if enterprises < 0:
        raise DomainError("seed_size", "企业数量不能为负数。", "The enterprise count is negative.")
    if Agency.objects.exists() or Enterprise.objects.exists():
        raise DomainError(
            "seed_not_empty",
            "数据库中已有执法机构或生产经营单位，不能再生成演示数据（可使用 --if-empty 跳过）。",
            "Agencies or enterprises exist already; the demo data needs an empty registry "
            "(use --if-empty to skip).",
        )
    taken = sorted(
        User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        raise DomainError(
            "seed_usernames_taken",
            f"演示账号用户名已被占用：{'、'.join(taken)}",
            f"Demo usernames are taken: {', '.join(taken)}",
        )
    industries, classes = _load_industries()
    rng = random.Random(f"anjian-seed:{seed}:structure")
    with transaction.atomic():
        builder = _Builder(rng=rng, today=today, password=password)
        say("行政区划、执法机构、执法人员、网格……")
        province_agency, built = builder.build(cities, counties)
        result = builder.result
        if not User.objects.filter(username=ADMIN_USERNAME).exists():
            admin = account_services.create_user(
                actor=None,
                username=ADMIN_USERNAME,
                full_name="系统管理员（演示）",
                password=None,
                roles=[Role.ADMINISTRATOR],
                is_staff=True,
                is_superuser=True,
            )
            builder.demo_user_ids.append(admin.pk)
            result.admin_created = True
        # One slow (Argon2) hash shared by the demo logins, which share the password anyway.
        User.objects.filter(pk__in=builder.demo_user_ids).update(password=make_password(password))
        structure = _structure(province_agency, built, industries, classes)
        first_id = (
            Enterprise.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        generator = _EnterpriseGenerator(
            structure=structure,
            total=enterprises,
            seed=seed,
            today=today,
            first_id=first_id,
            with_problems=with_problems,
        )
        method = "copy" if connection.vendor == "postgresql" else "bulk_create"
        digest = hashlib.sha256()
        batch: list[PlannedEnterprise] = []
        say(f"生产经营单位 {enterprises} 家（{method}）……")
        for planned in generator:
            digest.update(planned.key.encode("utf-8"))
            digest.update(b"\n")
            batch.append(planned)
            if len(batch) >= BATCH_SIZE:
                result.tags += _write_batch(method, batch)
                result.enterprises += len(batch)
                batch = []
                if result.enterprises % 50_000 == 0:
                    say(f"  {result.enterprises} / {enterprises}")
        if batch:
            result.tags += _write_batch(method, batch)
            result.enterprises += len(batch)
        if connection.vendor == "postgresql":
            _reset_sequences()
        say("完成，写审计汇总……")
        if generator.claims:
            JurisdictionClaim.objects.bulk_create(
                [
                    JurisdictionClaim(enterprise_id=e, agency_id=a, note="演示：重复管辖")
                    for e, first, second in generator.claims
                    for a in (first, second)
                ]
            )
        result.problems = {
            kind: sum(1 for k in generator.problem_slots.values() if k == kind)
            for kind in ("gap", "outside", "claimed_twice")
        }
        result.digest = digest.hexdigest()
        result.bulk_method = method
        result.logins = demo_logins(today)
        audit.record(
            actor=None,
            action="registry.seed",
            object_type="registry.enterprise",
            object_id="",
            after={
                "seed": seed,
                "today": today,
                "with_problems": with_problems,
                "cities": list(cities),
                "counties": list(counties),
                "regions_created": result.regions,
                "agencies": result.agencies,
                "delegations": result.delegations,
                "officers": result.officers,
                "grids": result.grids,
                "enterprises": result.enterprises,
                "enterprise_ids": [first_id, first_id + result.enterprises - 1]
                if result.enterprises
                else [],
                "tags": result.tags,
                "problems": result.problems,
                "bulk_method": method,
                "sha256": result.digest,
            },
        )
    if connection.vendor == "postgresql":
        # Planner statistics for the bulk-loaded tables: without them (autovacuum may be off or
        # behind) PostgreSQL takes "province_code = …" for a rare value and picks a full scan.
        say("ANALYZE……")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return result


def _structure(
    province_agency: Agency,
    counties: list[County],
    industries: dict[str, int],
    classes: dict[str, list[str]],
) -> Structure:
    by_city: dict[str, list[County]] = {}
    for county in counties:
        by_city.setdefault(county.city.code, []).append(county)
        county.place_cumulative = _cumulative([p.weight for p in county.places])
    weights = []
    for county in counties:
        siblings = by_city[county.city.code]
        share = CITY_WEIGHT.get(county.city.code, 1.0)
        weights.append(share * county.weight / sum(c.weight for c in siblings))
    divisions = [code for code in PROFILES if code in industries]
    if not divisions:
        divisions = sorted(code for code in industries if len(code) == 2)
    division_weights = [PROFILES[code][0] if code in PROFILES else 1.0 for code in divisions]
    chemical = [code for code in CHEMICAL_PARK_PROFILE if code in industries] or divisions
    chemical_weights = [CHEMICAL_PARK_PROFILE.get(code, 1.0) for code in chemical]
    return Structure(
        province_agency=province_agency,
        counties=counties,
        by_code={c.region.code: c for c in counties},
        county_cumulative=_cumulative(weights),
        industries=industries,
        classes_by_division=classes,
        division_codes=divisions,
        division_cumulative=_cumulative(division_weights),
        chemical_codes=chemical,
        chemical_cumulative=_cumulative(chemical_weights),
    )


def demo_logins(today: dt.date) -> list[LoginRow]:
    """The demo logins as they are in the database (printed by `anjian seed` and `seed --logins`)."""
    rows = [LoginRow(ADMIN_USERNAME, "超级用户（系统管理员）", "—", "—")]
    labels = {"valid": "有效", "expired": "已过期", "none": "无执法证"}
    officers = {
        officer.user.username: officer
        for officer in Officer.objects.select_related("agency", "user").filter(
            user__username__in=[login.username for login in DEMO_LOGINS]
        )
    }
    for login in DEMO_LOGINS:
        officer = officers.get(login.username)
        if officer is None:
            continue
        certificate = labels[login.certificate]
        if login.certificate == "valid":
            valid = officer.valid_certificate(today)
            certificate = f"有效至{valid.valid_to:%Y-%m-%d}" if valid else "无效"
        elif login.certificate == "expired":
            expired = officer.certificates.order_by("-valid_to").first()
            certificate = f"已于{expired.valid_to:%Y-%m-%d}过期" if expired else "已过期"
        rows.append(LoginRow(login.username, login.role_label, officer.agency.name, certificate))
    return rows
