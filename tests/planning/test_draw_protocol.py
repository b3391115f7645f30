"""The draw protocol (anjian/planning/draw.py) without the database: determinism, the published
algorithm, exclusions, and verification of published files (confirm or refute with a reason)."""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter

import pytest

from anjian.planning import draw as D

COMMITTED_AT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def make_directory(n=60, seed=1):
    rng = random.Random(seed)
    rows = [
        (
            1000 + 7 * i,
            rng.choice("ABCDE"),
            rng.randint(1, 30),
            rng.choice([None, 1, 2, 3]),
            f"91320102MA{i:08d}",
            f"单位{i}",
            "320102",
        )
        for i in range(n)
    ]
    return D.directory_snapshot(rows, excluded=[(9999, "近90日内已检查")])


def make_pool(m=8, conflicts=(), grids=None):
    grids = grids or {}
    rows = [(500 + q, f"执法人员{q}", 3, f"JS-{q}", grids.get(500 + q, [])) for q in range(m)]
    return D.pool_snapshot(
        rows, conflicts=conflicts, excluded=[(599, "执法证无效或在任务期内失效")]
    )


def make_parameters(**kwargs):
    strata = kwargs.pop(
        "strata",
        [
            {"name": "A", "select": ["A"], "count": 2, "weighting": "weighted"},
            {"name": "E", "select": ["E"], "count": 3, "weighting": "weighted"},
            {"name": "control", "select": "*", "count": 2, "weighting": "uniform"},
        ],
    )
    return D.parameters_document(strata, **kwargs)


def published_file(directory=None, pool=None, parameters=None, seed_value="3312.45"):
    directory = directory or make_directory()
    pool = pool or make_pool()
    parameters = parameters or make_parameters()
    source = D.seed_source("上证综合指数 2026-12-01 收盘价", dt.date(2026, 12, 1))
    commit = D.commit_notice(
        draw_number="苏宁玄随抽〔2026〕1号",
        directory=directory,
        pool=pool,
        parameters=parameters,
        source=source,
        committed_at=COMMITTED_AT,
    )
    seed = D.derive_seed(D.sha256_hex(commit), seed_value)
    result = D.run_draw(directory, pool, parameters, seed).document()
    return D.draw_file(
        metadata={"number": "苏宁玄随抽〔2026〕1号"},
        directory=directory,
        pool=pool,
        parameters=parameters,
        commit=commit,
        seed_value=seed_value,
        result=result,
    )


def test_the_same_published_material_gives_the_same_draw():
    directory, pool, parameters = make_directory(), make_pool(), make_parameters()
    seed = D.derive_seed("ab" * 32, "3312.45")
    first = D.run_draw(directory, pool, parameters, seed)
    second = D.run_draw(copy.deepcopy(directory), copy.deepcopy(pool), parameters, seed)
    assert first.document() == second.document()
    assert len(first) == 7
    assert Counter(first.strata) == {"A": 2, "E": 3, "control": 2}


def test_another_seed_gives_another_draw():
    directory, pool, parameters = make_directory(), make_pool(), make_parameters()
    one = D.run_draw(directory, pool, parameters, D.derive_seed("ab" * 32, "3312.45"))
    two = D.run_draw(directory, pool, parameters, D.derive_seed("ab" * 32, "3312.46"))
    assert one.enterprises != two.enterprises


def test_stream_is_standard_hmac_sha256():
    seed = bytes(range(32))
    stream = D.Stream(seed)
    assert stream.blocks("E|A", 5, 1) == D.hmac_block(seed, "E|A", 5)


@pytest.mark.parametrize("trial", range(12))
def test_vectorised_draw_equals_the_reference_loop(trial):
    rng = random.Random(trial)
    n = rng.randint(10, 300)
    rows = [
        (
            3 * i + 1,
            rng.choice("ABCDE"),
            rng.randint(1, 20),
            rng.choice([None, 1, 2, 3]),
            "",
            "",
            "",
        )
        for i in range(n)
    ]
    directory = D.directory_snapshot(rows)
    m = rng.randint(2, 25)
    pool = D.pool_snapshot(
        [(100 + q, "", 1, "", rng.sample([1, 2, 3, 4], rng.randint(0, 2))) for q in range(m)],
        conflicts=[(100 + rng.randrange(m), rows[rng.randrange(n)][0]) for _ in range(30)],
    )
    counts = Counter(r[1] for r in rows)
    strata = [
        {
            "name": s,
            "select": [s],
            "count": counts[s] // 3,
            "weighting": rng.choice(["uniform", "weighted"]),
        }
        for s in sorted(counts)
    ]
    strata.append({"name": "control", "select": "*", "count": 3, "weighting": "uniform"})
    parameters = D.parameters_document(
        strata, team_size=rng.choice([1, 2, 3]), exclude_same_grid=rng.random() < 0.5
    )
    seed = bytes(rng.randrange(256) for _ in range(32))
    try:
        fast = D.run_draw(directory, pool, parameters, seed)
    except D.DrawError:
        with pytest.raises(D.DrawError):
            D.reference_draw(directory, pool, parameters, seed)
        return
    slow = D.reference_draw(directory, pool, parameters, seed)
    assert fast.enterprises == slow.enterprises
    assert fast.strata == slow.strata
    assert fast.teams == slow.teams


def test_conflicts_of_interest_never_join_the_team():
    directory = make_directory(n=40)
    ids = directory["columns"]["id"]
    # Officer 500 declared a relation with every enterprise; 501 a former employer with half.
    conflicts = [(500, e) for e in ids] + [(501, e) for e in ids[::2]]
    pool = make_pool(m=6, conflicts=conflicts)
    parameters = make_parameters(strata=[{"name": "all", "select": "*", "count": 40}])
    result = D.run_draw(directory, pool, parameters, D.derive_seed("cd" * 32, "1"))
    barred = set(conflicts)
    for enterprise, team in zip(result.enterprises, result.teams, strict=True):
        assert len(set(team)) == 2
        assert all((officer, enterprise) not in barred for officer in team)


def test_same_grid_officers_are_excluded_when_asked():
    rows = [(i, "E", 1, 7, "", "", "") for i in range(1, 21)]
    directory = D.directory_snapshot(rows)
    pool = make_pool(m=5, grids={500: [7], 501: [7]})
    parameters = make_parameters(
        strata=[{"name": "all", "select": "*", "count": 20}], exclude_same_grid=True
    )
    result = D.run_draw(directory, pool, parameters, D.derive_seed("ef" * 32, "9"))
    assert all(500 not in team and 501 not in team for team in result.teams)


def test_officer_load_is_balanced():
    directory = make_directory(n=200)
    pool = make_pool(m=10)
    parameters = make_parameters(strata=[{"name": "all", "select": "*", "count": 100}])
    result = D.run_draw(directory, pool, parameters, D.derive_seed("01" * 32, "x"))
    load = Counter(o for team in result.teams for o in team)
    assert set(load.values()) == {20}  # 100 teams of 2 over 10 officers: 20 each


def test_weighted_stratum_prefers_heavier_enterprises():
    rows = [(1, "E", 50, None, "", "", "")] + [(i, "E", 1, None, "", "", "") for i in range(2, 52)]
    directory = D.directory_snapshot(rows)
    parameters = make_parameters(
        strata=[{"name": "E", "select": ["E"], "count": 1, "weighting": "weighted"}]
    )
    hits = sum(
        D.run_draw(directory, make_pool(), parameters, D.derive_seed(f"{k:064x}", "v")).enterprises[
            0
        ]
        == 1
        for k in range(200)
    )
    assert 70 < hits < 130  # probability 50/100


def test_stratum_larger_than_the_directory_is_refused():
    parameters = make_parameters(strata=[{"name": "A", "select": ["A"], "count": 999}])
    with pytest.raises(D.DrawError) as error:
        D.run_draw(make_directory(), make_pool(), parameters, bytes(32))
    assert error.value.code == "stratum_too_small"


def test_verify_confirms_an_untouched_file():
    verdict = D.verify(published_file())
    assert verdict.confirmed
    assert verdict.code == "confirmed"
    assert "7 条抽取结果完全一致" in verdict.message


def test_verify_refutes_a_tampered_result_with_the_first_difference():
    data = published_file()
    original = data["result"]["draws"][2][1]
    data["result"]["draws"][2][1] = 1000 if original != 1000 else 1007
    verdict = D.verify(data)
    assert not verdict.confirmed
    assert verdict.code == "result_differs"
    assert verdict.message.startswith("第 3 条抽取结果不符")


def test_verify_refutes_a_swapped_team():
    data = published_file()
    data["result"]["draws"][0][3] = list(reversed(data["result"]["draws"][0][3]))
    verdict = D.verify(data)
    assert verdict.code == "result_differs"


def test_verify_refutes_a_tampered_directory_snapshot():
    data = published_file()
    data["directory"]["columns"]["weight"][0] += 1
    verdict = D.verify(data)
    assert not verdict.confirmed
    assert verdict.code == "directory_changed"
    assert "名录库快照与抽取前公示的哈希不符" in verdict.message


def test_verify_refutes_a_snapshot_rehashed_after_the_published_commitment():
    data = published_file()
    published = data["commit_sha256"]
    data["pool"]["columns"]["name"][0] = "另一名执法人员"
    data["commit"]["pool_sha256"] = D.sha256_hex(data["pool"])
    data["commit_sha256"] = D.sha256_hex(data["commit"])
    assert D.verify(data).code != "confirmed"
    verdict = D.verify(data, published_commit_sha256=published)
    assert verdict.code == "commit_not_published"


def test_verify_refutes_a_wrong_seed_value():
    data = published_file()
    data["seed_value"] = "3312.46"
    assert D.verify(data).code == "result_differs"
    assert D.verify(data, published_seed_value="3312.45").code == "seed_value_differs"


def test_verify_refutes_a_file_without_a_committed_seed():
    data = published_file()
    data["commit"] = None
    verdict = D.verify(data)
    assert not verdict.confirmed
    assert verdict.code == "no_commitment"


def test_verify_refutes_a_commitment_made_after_the_seed_was_public():
    directory, pool, parameters = make_directory(), make_pool(), make_parameters()
    source = D.seed_source("上证综合指数 2026-11-19 收盘价", dt.date(2026, 11, 19))
    commit = D.commit_notice(
        draw_number="X",
        directory=directory,
        pool=pool,
        parameters=parameters,
        source=source,
        committed_at=COMMITTED_AT,
    )
    seed = D.derive_seed(D.sha256_hex(commit), "1")
    data = D.draw_file(
        metadata={"number": "X"},
        directory=directory,
        pool=pool,
        parameters=parameters,
        commit=commit,
        seed_value="1",
        result=D.run_draw(directory, pool, parameters, seed).document(),
    )
    assert D.verify(data).code == "seed_known_at_commit"


def test_verify_refutes_a_changed_seed_source():
    data = published_file()
    data["commit"]["seed_source"]["description"] = "另一个数"
    assert D.verify(data).code == "commit_changed"
    data["commit_sha256"] = D.sha256_hex(data["commit"])
    assert D.verify(data).code == "seed_source_changed"


@pytest.mark.parametrize("data", [None, [], {"format": "other"}, "text"])
def test_verify_calls_non_draw_files_unreadable(data):
    with pytest.raises(D.Unreadable):
        D.verify(data)
