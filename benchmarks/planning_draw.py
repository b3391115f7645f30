"""Benchmark: a 5 % random draw from a 1,000,000-enterprise directory with 2,000 officers.

    .venv/bin/python benchmarks/planning_draw.py
    .venv/bin/python benchmarks/planning_draw.py --enterprises 200000 --officers 500 --runs 3

What it does (no database; the pure protocol of anjian/planning/draw.py that the services run):

1. generates a directory of N enterprises (ids, risk strata A–E, integer weights, 5,000 grids,
   credit codes and names), M officers (one or two responsible grids each) and 20 conflict pairs
   per officer; 5 % of the enterprises are excluded as inspected recently and 5 % of the officers
   as uncertified (the exclusions are applied and recorded in the snapshots);
2. builds the canonical snapshots and hashes them (what ``commit_draw`` freezes), then loads them
   into arrays (``draw.load``);
3. times the draw itself — 5 % of N (risk-weighted over the whole directory, plus a purely random
   control stratum of a tenth), each with a team of two officers, conflicts and same-grid officers
   excluded (``draw.run_draw``) — and, in the same run, interleaved, a plain
   ``numpy.random.Generator.choice(n, size, replace=False, p=weights)`` of the same size;
4. times ``draw.verify`` of the whole published file (hashes, seed, recomputation).

Reports medians; the ratio draw / numpy is the issue's goal (≤ 2×). Writes the ``draw`` section
of docs/benchmarks/planning.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._planning_common import OUTPUT, load_average, machine, write  # noqa: E402


def build_inputs(n: int, m: int, seed: int) -> dict[str, Any]:
    import numpy as np

    from anjian.planning import draw as D

    rng = np.random.default_rng(seed)
    strata = np.array(["A", "B", "C", "D", "E"])
    grade = rng.choice(5, size=n, p=[0.005, 0.03, 0.05, 0.2, 0.715])
    weights = np.array([100, 50, 30, 20, 10])[grade] + rng.integers(0, 10, size=n)
    ids = np.arange(1, n + 1, dtype=np.int64) * 3 + 1000
    grids = rng.integers(1, 5001, size=n)
    recently_inspected = rng.random(n) < 0.05
    keep = ~recently_inspected
    started = time.perf_counter()
    rows = [
        (int(i), str(s), int(w), int(g), f"91320000MA{int(i):08d}", f"演示单位{int(i)}", "320102")
        for i, s, w, g in zip(
            ids[keep].tolist(),
            strata[grade[keep]].tolist(),
            weights[keep].tolist(),
            grids[keep].tolist(),
            strict=True,
        )
    ]
    excluded = [(int(i), "近90日内已检查") for i in ids[recently_inspected].tolist()]
    directory = D.directory_snapshot(rows, excluded=excluded, filters={"benchmark": True})
    officer_ids = np.arange(1, m + 1) + 10_000_000
    uncertified = rng.random(m) < 0.05
    officers = [
        (
            int(o),
            f"执法人员{q}",
            1,
            f"JS-{q}",
            [int(g) for g in rng.choice(5000, rng.integers(1, 3)) + 1],
        )
        for q, o in enumerate(officer_ids.tolist())
        if not uncertified[q]
    ]
    eligible_ids = ids[keep]
    conflict_targets = eligible_ids[rng.integers(len(eligible_ids), size=(m, 20))]
    conflicts = [
        (int(officer_ids[q]), int(e))
        for q in range(m)
        if not uncertified[q]
        for e in conflict_targets[q].tolist()
    ]
    pool = D.pool_snapshot(
        officers,
        conflicts=conflicts,
        excluded=[
            (int(o), "执法证无效或在任务期内失效") for o in officer_ids[uncertified].tolist()
        ],
    )
    snapshot_seconds = time.perf_counter() - started
    draw_size = n // 20
    control = draw_size // 10
    parameters = D.parameters_document(
        [
            {"name": "risk", "select": "*", "count": draw_size - control, "weighting": "weighted"},
            {"name": "control", "select": "*", "count": control, "weighting": "uniform"},
        ],
        team_size=2,
        exclude_same_grid=True,
    )
    started = time.perf_counter()
    source = D.seed_source("上证综合指数收盘价（基准测试）", dt.date(2026, 12, 1))
    commit = D.commit_notice(
        draw_number="BENCH",
        directory=directory,
        pool=pool,
        parameters=parameters,
        source=source,
        committed_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
    )
    hash_seconds = time.perf_counter() - started
    started = time.perf_counter()
    data = D.load(directory, pool)
    load_seconds = time.perf_counter() - started
    return {
        "directory": directory,
        "pool": pool,
        "parameters": parameters,
        "commit": commit,
        "data": data,
        "eligible_weights": weights[keep].astype(float),
        "draw_size": draw_size,
        "eligible": int(keep.sum()),
        "officers_eligible": len(officers),
        "conflicts": len(pool["conflicts"]["officer"]),
        "snapshot_seconds": snapshot_seconds,
        "hash_seconds": hash_seconds,
        "load_seconds": load_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--officers", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true", help=f"print, do not write {OUTPUT}")
    args = parser.parse_args()

    import numpy as np

    from anjian.planning import draw as D

    load_start = load_average()
    inputs = build_inputs(args.enterprises, args.officers, args.seed)
    seed = D.derive_seed(D.sha256_hex(inputs["commit"]), "3312.45")
    p = inputs["eligible_weights"] / inputs["eligible_weights"].sum()
    rng = np.random.default_rng(args.seed)
    ours: list[float] = []
    plain: list[float] = []
    result = None
    for _ in range(args.runs):
        started = time.perf_counter()
        result = D.run_draw(inputs["data"], None, inputs["parameters"], seed)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        rng.choice(inputs["eligible"], size=inputs["draw_size"], replace=False, p=p)
        plain.append(time.perf_counter() - started)
    assert result is not None
    assert len(result) == inputs["draw_size"]
    document = result.document()
    file = D.draw_file(
        metadata={"number": "BENCH"},
        directory=inputs["directory"],
        pool=inputs["pool"],
        parameters=inputs["parameters"],
        commit=inputs["commit"],
        seed_value="3312.45",
        result=document,
    )
    started = time.perf_counter()
    verdict = D.verify(file)
    verify_seconds = time.perf_counter() - started
    assert verdict.confirmed, verdict.message
    ours_median, plain_median = statistics.median(ours), statistics.median(plain)
    report = {
        "what": (
            f"5% draw ({inputs['draw_size']}) from {args.enterprises} enterprises "
            f"({inputs['eligible']} eligible after excluding the recently inspected), "
            f"{args.officers} officers ({inputs['officers_eligible']} certified), "
            f"{inputs['conflicts']} conflict pairs, same-grid officers excluded, teams of two"
        ),
        "goal": "draw ≤ 2× a plain numpy weighted sample of the same size, same run",
        "draw_seconds_median": round(ours_median, 4),
        "numpy_choice_seconds_median": round(plain_median, 4),
        "ratio": round(ours_median / plain_median, 3),
        "goal_met": ours_median / plain_median <= 2.0,
        "draw_seconds_runs": [round(x, 4) for x in ours],
        "numpy_choice_seconds_runs": [round(x, 4) for x in plain],
        "hmac_blocks": result.stream_blocks,
        "snapshot_build_seconds": round(inputs["snapshot_seconds"], 3),
        "snapshot_hash_seconds": round(inputs["hash_seconds"], 3),
        "snapshot_load_seconds": round(inputs["load_seconds"], 3),
        "verify_whole_file_seconds": round(verify_seconds, 3),
        "machine": machine(),
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "date": dt.date.today().isoformat(),
    }
    print(
        f"draw {ours_median * 1000:.1f} ms (median of {args.runs}), numpy choice "
        f"{plain_median * 1000:.1f} ms, ratio {report['ratio']}; HMAC blocks {result.stream_blocks}; "
        f"snapshot build {inputs['snapshot_seconds']:.1f} s, hash {inputs['hash_seconds']:.1f} s, "
        f"load {inputs['load_seconds']:.1f} s; verify {verify_seconds:.1f} s; load average "
        f"{load_start} → {report['load_average_end']}"
    )
    if not args.no_write:
        write("draw", report)
        print(f"written to {OUTPUT}")


if __name__ == "__main__":
    main()
