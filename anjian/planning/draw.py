"""The verifiable random draw (双随机): plain Python + numpy, no Django.

Everything here is a pure function of published material, so anyone can recompute a draw:

1. Snapshots. The directory (eligible enterprises), the officer pool (certified officers, their
   grids and the conflict pairs that bar them) and the parameters are canonical JSON (keys sorted,
   no spaces, UTF-8; columns, rows in ascending id order); each is hashed with SHA-256.
2. Commitment. Before the seed exists, the commit notice is published: the three hashes, the
   seed source (a public value not yet known, e.g. "上证综指 2026-12-01 收盘价") with the date it
   becomes known, SHA-256 of that source, and the commit time. ``commit_sha256`` hashes the notice.
3. Seed. seed = SHA-256(UTF-8(commit_sha256 + "|" + seed_value)) once the value is public.
4. Stream. Block ``b`` (0, 1, 2, …) of label ``L`` is
   HMAC-SHA256(key=seed, msg=UTF-8(L + "|") + (b + 1) as a 4-byte big-endian integer) — i.e.
   PBKDF2-HMAC-SHA256(seed, salt=UTF-8(L + "|"), 1 iteration) read block by block.
   64-bit values: each block read as 4 big-endian unsigned 64-bit integers;
   32-bit values: each block read as 8 big-endian unsigned 32-bit integers.
5. Enterprises. Strata are drawn in the parameters' order. For stratum S (label "E|" + S.name),
   its members are the directory rows whose stratum is in S.select ("*": all), in id order, with
   weight = the row's weight ("weighted") or 1 ("uniform"); cum = running sums, total = the last.
   Take 64-bit values r in order; reject r ≥ 2^64 − (2^64 mod total); t = r mod total; the
   candidate is the first member with cum > t; skip it if already drawn (in any stratum), else
   draw it. Stop when S.count are drawn. This is weighted sampling without replacement.
6. Officers. For the i-th drawn enterprise (0-based, draw order) and member j of its team of
   ``team_size``: slot s = i·team_size + j, cycle c = s // M (M officers), position k = s mod M.
   The cycle's order: officers sorted by (32-bit value number q of label "O|c" for the q-th
   officer in id order, officer id). The candidate is the officer at position k of that order;
   if barred (a conflict pair with the enterprise, the enterprise's grid among the officer's
   grids when ``exclude_same_grid``, or already on this team) the next officer in the cycle's
   order (k+1, k+2, … wrapping) that is not barred.

``verify`` recomputes all of it from a published draw file and confirms it or names the first
difference. ``reference_draw`` is the same algorithm as a plain loop over the JSON (for tests and
for readers porting it to another language).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

FORMAT = "anjian.draw/1"
DIRECTORY_SCHEMA = "anjian.draw.directory/1"
POOL_SCHEMA = "anjian.draw.pool/1"
PARAMETERS_SCHEMA = "anjian.draw.parameters/1"
COMMIT_SCHEMA = "anjian.draw.commit/1"
RESULT_SCHEMA = "anjian.draw.result/1"
DIRECTORY_COLUMNS = ("id", "stratum", "weight", "grid", "uscc", "name", "region")
POOL_COLUMNS = ("id", "name", "agency", "certificate", "grids")
TWO_64 = 1 << 64


class DrawError(ValueError):
    """A draw that cannot be made or checked, with a stable code and a Chinese/English message."""

    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message = message
        self.message_en = message_en


class Unreadable(DrawError):
    """The input is not a draw file at all (exit status 2 of ``anjian draw verify``)."""


# ---------------------------------------------------------------------------------------------
# Canonical JSON and hashes


def canonical_json(data: Any) -> bytes:
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def seed_source(description: str, value_date: dt.date | str) -> dict[str, str]:
    date_text = value_date.isoformat() if isinstance(value_date, dt.date) else str(value_date)
    return {"description": description.strip(), "value_date": date_text}


def derive_seed(commit_sha256: str, seed_value: str) -> bytes:
    return hashlib.sha256(f"{commit_sha256}|{seed_value.strip()}".encode()).digest()


# ---------------------------------------------------------------------------------------------
# Snapshots (columnar canonical JSON)


def directory_snapshot(
    rows: Iterable[Sequence[Any]],
    *,
    excluded: Iterable[Sequence[Any]] = (),
    filters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Rows are (id, stratum, weight, grid or None, uscc, name, region code), in any order."""
    ordered = sorted((tuple(r) for r in rows), key=lambda r: r[0])
    columns: dict[str, list[Any]] = {name: [] for name in DIRECTORY_COLUMNS}
    previous = None
    for row in ordered:
        if row[0] == previous:
            raise DrawError(
                "directory_duplicate", f"名录库中单位 {row[0]} 重复。", f"Duplicate id {row[0]}."
            )
        previous = row[0]
        weight = row[2]
        if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
            raise DrawError(
                "directory_weight",
                f"名录库中单位 {row[0]} 的权重应为正整数。",
                f"Weight of {row[0]} must be a positive integer.",
            )
        for name, value in zip(DIRECTORY_COLUMNS, row, strict=True):
            columns[name].append(value)
    excluded_rows = sorted((int(r[0]), str(r[1])) for r in excluded)
    return {
        "schema": DIRECTORY_SCHEMA,
        "columns": columns,
        "excluded": {
            "id": [r[0] for r in excluded_rows],
            "reason": [r[1] for r in excluded_rows],
        },
        "filters": filters or {},
    }


def pool_snapshot(
    rows: Iterable[Sequence[Any]],
    *,
    conflicts: Iterable[Sequence[int]] = (),
    excluded: Iterable[Sequence[Any]] = (),
) -> dict[str, Any]:
    """Rows are (id, name, agency id, certificate number, grid ids); conflicts (officer, enterprise)."""
    ordered = sorted(
        ((int(r[0]), r[1], r[2], r[3], sorted({int(g) for g in r[4]})) for r in rows),
        key=lambda r: r[0],
    )
    columns: dict[str, list[Any]] = {name: [] for name in POOL_COLUMNS}
    for row in ordered:
        for name, value in zip(POOL_COLUMNS, row, strict=True):
            columns[name].append(value)
    pairs = sorted({(int(o), int(e)) for o, e in conflicts})
    excluded_rows = sorted((int(r[0]), str(r[1])) for r in excluded)
    return {
        "schema": POOL_SCHEMA,
        "columns": columns,
        "conflicts": {"officer": [p[0] for p in pairs], "enterprise": [p[1] for p in pairs]},
        "excluded": {
            "id": [r[0] for r in excluded_rows],
            "reason": [r[1] for r in excluded_rows],
        },
    }


def parameters_document(
    strata: Sequence[dict[str, Any]], *, team_size: int = 2, exclude_same_grid: bool = False
) -> dict[str, Any]:
    cleaned = []
    names = set()
    for stratum in strata:
        name = str(stratum["name"])
        if name in names:
            raise DrawError(
                "stratum_duplicate", f"抽取层“{name}”重复。", f"Duplicate stratum {name}."
            )
        names.add(name)
        select = stratum.get("select", "*")
        weighting = stratum.get("weighting", "uniform")
        if weighting not in {"uniform", "weighted"}:
            raise DrawError(
                "stratum_weighting",
                f"抽取层“{name}”的抽取方式应为 uniform 或 weighted。",
                f"Stratum {name}: weighting must be uniform or weighted.",
            )
        count = int(stratum["count"])
        if count < 0:
            raise DrawError(
                "stratum_count", f"抽取层“{name}”数量不能为负。", f"Stratum {name}: count < 0."
            )
        cleaned.append(
            {
                "name": name,
                "select": "*" if select == "*" else sorted({str(s) for s in select}),
                "count": count,
                "weighting": weighting,
            }
        )
    if team_size < 1:
        raise DrawError("team_size", "检查组人数至少为1。", "team_size must be at least 1.")
    return {
        "schema": PARAMETERS_SCHEMA,
        "strata": cleaned,
        "team_size": int(team_size),
        "exclude_same_grid": bool(exclude_same_grid),
    }


def commit_notice(
    *,
    draw_number: str,
    directory: dict[str, Any],
    pool: dict[str, Any],
    parameters: dict[str, Any],
    source: dict[str, str],
    committed_at: dt.datetime,
) -> dict[str, Any]:
    return {
        "schema": COMMIT_SCHEMA,
        "draw": draw_number,
        "directory_sha256": sha256_hex(directory),
        "pool_sha256": sha256_hex(pool),
        "parameters_sha256": sha256_hex(parameters),
        "seed_source": source,
        "seed_commitment_sha256": sha256_hex(source),
        "committed_at": committed_at.isoformat(timespec="seconds"),
    }


# ---------------------------------------------------------------------------------------------
# Loaded snapshots


@dataclass(frozen=True)
class DrawInput:
    """The snapshots loaded into arrays (once, at commit or when verifying)."""

    ids: np.ndarray  # int64, ascending
    stratum_code: np.ndarray  # int64 index into stratum_names
    stratum_names: tuple[str, ...]
    weights: np.ndarray  # int64 ≥ 1
    grids: np.ndarray  # int64 grid index, -1 = none
    officer_ids: np.ndarray  # int64, ascending
    officer_grid_keys: np.ndarray  # sorted grid index * M + officer position
    conflict_keys: np.ndarray  # sorted enterprise position * M + officer position
    officer_grid_matrix: np.ndarray  # (M, k) grid indexes of each officer, -2 = none


def _bad(part: str, problem: str) -> DrawError:
    return Unreadable("malformed", f"{part}格式错误：{problem}", f"Malformed {part}: {problem}")


def load(directory: dict[str, Any], pool: dict[str, Any]) -> DrawInput:
    try:
        columns = directory["columns"]
        ids = np.asarray(columns["id"], dtype=np.int64)
        weights = np.asarray(columns["weight"], dtype=np.int64)
        raw_strata = columns["stratum"]
        raw_grids = columns["grid"]
        officer_columns = pool["columns"]
        officer_ids = np.asarray(officer_columns["id"], dtype=np.int64)
        officer_grids = officer_columns["grids"]
        conflict_officers = np.asarray(pool["conflicts"]["officer"], dtype=np.int64)
        conflict_enterprises = np.asarray(pool["conflicts"]["enterprise"], dtype=np.int64)
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise _bad("快照", str(error)) from None
    n = len(ids)
    if not (len(weights) == len(raw_strata) == len(raw_grids) == n):
        raise _bad("名录库快照", "各列长度不一致")
    if n and (np.any(np.diff(ids) <= 0)):
        raise _bad("名录库快照", "单位编号须严格递增")
    if n and weights.min() < 1:
        raise _bad("名录库快照", "权重须为正整数")
    if len(officer_ids) and np.any(np.diff(officer_ids) <= 0):
        raise _bad("执法人员库快照", "人员编号须严格递增")
    if len(officer_grids) != len(officer_ids) or len(conflict_officers) != len(
        conflict_enterprises
    ):
        raise _bad("执法人员库快照", "各列长度不一致")
    names = sorted(set(raw_strata))
    code_of = {name: code for code, name in enumerate(names)}
    stratum_code = np.fromiter((code_of[s] for s in raw_strata), dtype=np.int64, count=n)
    grid_values = sorted(
        {g for g in raw_grids if g is not None} | {g for gs in officer_grids for g in gs}
    )
    grid_index = {g: i for i, g in enumerate(grid_values)}
    grids = np.fromiter(
        (-1 if g is None else grid_index[g] for g in raw_grids), dtype=np.int64, count=n
    )
    m = max(len(officer_ids), 1)
    officer_grid_keys = np.array(
        sorted({grid_index[g] * m + q for q, gs in enumerate(officer_grids) for g in gs}),
        dtype=np.int64,
    )
    width = max((len(gs) for gs in officer_grids), default=0) or 1
    officer_grid_matrix = np.full((len(officer_ids), width), -2, dtype=np.int64)
    for q, gs in enumerate(officer_grids):
        for k, g in enumerate(gs):
            officer_grid_matrix[q, k] = grid_index[g]
    conflict_keys = np.array([], dtype=np.int64)
    if len(conflict_officers):
        e_pos = np.searchsorted(ids, conflict_enterprises)
        o_pos = np.searchsorted(officer_ids, conflict_officers)
        known = (
            (e_pos < n)
            & (o_pos < len(officer_ids))
            & (ids[np.minimum(e_pos, max(n - 1, 0))] == conflict_enterprises)
            & (officer_ids[np.minimum(o_pos, max(len(officer_ids) - 1, 0))] == conflict_officers)
        )
        conflict_keys = np.unique(e_pos[known] * m + o_pos[known])
    return DrawInput(
        ids=ids,
        stratum_code=stratum_code,
        stratum_names=tuple(names),
        weights=weights,
        grids=grids,
        officer_ids=officer_ids,
        officer_grid_keys=officer_grid_keys,
        conflict_keys=conflict_keys,
        officer_grid_matrix=officer_grid_matrix,
    )


def check_feasible(data: DrawInput, parameters: dict[str, Any]) -> None:
    """Refuse parameters that cannot be met (before commit, so a commitment never fails later)."""
    per_code = np.bincount(data.stratum_code, minlength=len(data.stratum_names))
    counts = {name: int(per_code[i]) for i, name in enumerate(data.stratum_names)}
    earlier: list[tuple[set[str] | None, int]] = []
    demanded = 0
    for stratum in parameters["strata"]:
        select = None if stratum["select"] == "*" else set(stratum["select"])
        members = len(data.ids) if select is None else sum(counts.get(s, 0) for s in select)
        overlap = sum(
            count for other, count in earlier if other is None or select is None or other & select
        )
        available = max(0, members - overlap)
        if stratum["count"] > available:
            raise DrawError(
                "stratum_too_small",
                f"抽取层“{stratum['name']}”需抽取 {stratum['count']} 家，名录库中可抽 "
                f"{available} 家（已扣除前面各层可能抽走的单位）。",
                f"Stratum {stratum['name']} asks for {stratum['count']}; {available} available.",
            )
        earlier.append((select, stratum["count"]))
        demanded += stratum["count"]
    if demanded and len(data.officer_ids) < parameters["team_size"]:
        raise DrawError(
            "pool_too_small",
            f"执法人员名录库只有 {len(data.officer_ids)} 人，少于每组 {parameters['team_size']} 人。",
            "The officer pool is smaller than one team.",
        )


# ---------------------------------------------------------------------------------------------
# The stream


class Stream:
    """The HMAC-SHA256 stream: block b of label L = HMAC-SHA256(seed, UTF-8(L + "|") + uint32_be(b + 1)).

    That is exactly PBKDF2-HMAC-SHA256(password=seed, salt=UTF-8(L + "|"), iterations=1) (RFC 8018:
    with one iteration, output block i is HMAC(P, S || INT_32_BE(i))), so the standard library
    computes many blocks in one C call and any language's PBKDF2 or HMAC reproduces them.
    """

    def __init__(self, seed: bytes) -> None:
        if len(seed) != 32:
            raise ValueError("seed must be 32 bytes")
        self._seed = seed
        self._cache: dict[str, bytes] = {}
        self.blocks_used = 0

    def blocks(self, label: str, start: int, count: int) -> bytes:
        have = self._cache.get(label, b"")
        end = start + count
        if len(have) < 32 * end:
            # Grow geometrically: recomputing the prefix costs at most as much again.
            want = max(end, 2 * len(have) // 32)
            have = hashlib.pbkdf2_hmac(
                "sha256", self._seed, f"{label}|".encode(), 1, dklen=32 * want
            )
            self._cache[label] = have
        self.blocks_used += count
        return have[32 * start : 32 * end]

    def u64(self, label: str, start_block: int, blocks: int) -> np.ndarray:
        return np.frombuffer(self.blocks(label, start_block, blocks), dtype=">u8").astype(np.uint64)

    def u32(self, label: str, start_block: int, blocks: int) -> np.ndarray:
        return np.frombuffer(self.blocks(label, start_block, blocks), dtype=">u4").astype(np.int64)


def hmac_block(seed: bytes, label: str, counter: int) -> bytes:
    """Block ``counter`` (0-based) of ``label`` through the standard library's hmac."""
    return hmac.digest(seed, f"{label}|".encode() + (counter + 1).to_bytes(4, "big"), "sha256")


# ---------------------------------------------------------------------------------------------
# The draw (vectorised)


class DrawResult:
    """Who was drawn, in draw order, with each enterprise's team (arrays; lists on demand)."""

    def __init__(
        self,
        enterprises: Sequence[int] | np.ndarray,
        strata: Sequence[str],
        teams: Sequence[Sequence[int]] | np.ndarray,
        stream_blocks: int = 0,
    ) -> None:
        self._enterprises = enterprises
        self._strata = strata
        self._teams = teams
        self.stream_blocks = stream_blocks

    def __len__(self) -> int:
        return len(self._enterprises)

    @property
    def enterprises(self) -> tuple[int, ...]:
        values = self._enterprises
        return tuple(values.tolist() if isinstance(values, np.ndarray) else values)

    @property
    def strata(self) -> tuple[str, ...]:
        return tuple(self._strata)

    @property
    def teams(self) -> tuple[tuple[int, ...], ...]:
        values = self._teams
        rows = values.tolist() if isinstance(values, np.ndarray) else values
        return tuple(tuple(row) for row in rows)

    def document(self) -> dict[str, Any]:
        return {
            "schema": RESULT_SCHEMA,
            "draws": [
                [position + 1, enterprise, stratum, list(team)]
                for position, (enterprise, stratum, team) in enumerate(
                    zip(self.enterprises, self.strata, self.teams, strict=True)
                )
            ],
        }


def run_draw(
    directory: dict[str, Any] | DrawInput,
    pool: dict[str, Any] | None,
    parameters: dict[str, Any],
    seed: bytes,
) -> DrawResult:
    data = directory if isinstance(directory, DrawInput) else load(directory, pool or {})
    check_feasible(data, parameters)
    stream = Stream(seed)
    n_rows = len(data.ids)
    taken = np.zeros(n_rows, dtype=bool)
    order: list[np.ndarray] = []
    stratum_names: list[str] = []
    code_of = {name: code for code, name in enumerate(data.stratum_names)}
    for stratum in parameters["strata"]:
        count = stratum["count"]
        if count == 0:
            continue
        if stratum["select"] == "*":
            members = np.arange(n_rows, dtype=np.int64)
        else:
            codes = [code_of[s] for s in stratum["select"] if s in code_of]
            members = np.flatnonzero(np.isin(data.stratum_code, codes))
        if stratum["weighting"] == "weighted":
            cumulative = np.cumsum(data.weights[members], dtype=np.int64)
            total = int(cumulative[-1])
        else:
            cumulative = None
            total = len(members)
        remainder = TWO_64 % total
        limit = None if remainder == 0 else np.uint64(TWO_64 - remainder)
        label = f"E|{stratum['name']}"
        counter = 0
        needed = count
        drawn_here: list[np.ndarray] = []
        values_seen = 0
        yield_rate = 1.0  # share of values that gave a new enterprise, learnt batch by batch
        max_values = 1000 * count + 100_000
        while needed > 0:
            n_blocks = int(needed / yield_rate * 1.03 / 4) + 2
            values = stream.u64(label, counter, n_blocks)
            counter += n_blocks
            values_seen += len(values)
            if limit is not None:
                values = values[values < limit]
            targets = (values % np.uint64(total)).astype(np.int64)
            # Sorted queries walk the cumulative array in order (few cache misses); equal
            # candidates are then adjacent, and each one's earliest stream position is the
            # minimum stream index of its run.
            query_order = np.argsort(targets, kind="stable")
            sorted_targets = targets[query_order]
            positions = (
                sorted_targets
                if cumulative is None
                else np.searchsorted(cumulative, sorted_targets, side="right")
            )
            if len(positions):
                run_start = np.flatnonzero(np.r_[True, positions[1:] != positions[:-1]])
                first_seen = np.minimum.reduceat(query_order, run_start)
                fresh = members[positions[run_start][np.argsort(first_seen)]]
            else:
                fresh = members[:0]
            fresh = fresh[~taken[fresh]]
            chosen = fresh[:needed]
            if len(chosen) < needed:
                yield_rate = max(0.01, len(chosen) / max(1, len(values)))
            taken[chosen] = True
            drawn_here.append(chosen)
            needed -= len(chosen)
            if needed > 0 and values_seen > max_values:
                raise DrawError(
                    "draw_exhausted",
                    f"抽取层“{stratum['name']}”无法在合理次数内抽满 {count} 家，请减少抽取数。",
                    f"Stratum {stratum['name']} could not be filled; lower its count.",
                )
        chosen_all = np.concatenate(drawn_here)
        order.append(chosen_all)
        stratum_names.extend([stratum["name"]] * len(chosen_all))
    drawn = np.concatenate(order) if order else np.array([], dtype=np.int64)
    teams = _assign_officers(data, drawn, parameters, stream)
    return DrawResult(
        enterprises=data.ids[drawn],
        strata=stratum_names,
        teams=teams,
        stream_blocks=stream.blocks_used,
    )


def _assign_officers(
    data: DrawInput, drawn: np.ndarray, parameters: dict[str, Any], stream: Stream
) -> np.ndarray:
    n = len(drawn)
    team_size = parameters["team_size"]
    m = len(data.officer_ids)
    if n == 0:
        return np.empty((0, team_size), dtype=np.int64)
    slots = n * team_size
    cycles = (slots + m - 1) // m
    blocks_per_cycle = (m + 7) // 8
    keys = np.empty((cycles, m), dtype=np.int64)
    for cycle in range(cycles):
        keys[cycle] = stream.u32(f"O|{cycle}", 0, blocks_per_cycle)[:m]
    # Officer positions are already in id order, so a stable sort by key breaks ties by id.
    permutations = np.argsort(keys, axis=1, kind="stable")
    slot = np.arange(slots, dtype=np.int64)
    candidate = permutations[slot // m, slot % m]
    enterprise = np.repeat(drawn, team_size)
    barred = np.zeros(slots, dtype=bool)
    if len(data.conflict_keys):
        pair = enterprise * m + candidate
        at = np.minimum(np.searchsorted(data.conflict_keys, pair), len(data.conflict_keys) - 1)
        barred |= data.conflict_keys[at] == pair
    if parameters["exclude_same_grid"] and len(data.officer_grid_keys):
        grid = data.grids[enterprise]
        barred |= (data.officer_grid_matrix[candidate] == grid[:, None]).any(axis=1)
    team_matrix = candidate.reshape(n, team_size)
    repair = barred.reshape(n, team_size).any(axis=1)
    if team_size > 1:
        ordered = np.sort(team_matrix, axis=1)
        repair |= (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
    result = data.officer_ids[team_matrix]
    if repair.any():
        conflict_set = set(data.conflict_keys.tolist())
        grid_set = set(data.officer_grid_keys.tolist())
        same_grid = bool(parameters["exclude_same_grid"])
        for i in np.flatnonzero(repair).tolist():
            e = int(drawn[i])
            grid_e = int(data.grids[e])
            members: list[int] = []
            for j in range(team_size):
                s = i * team_size + j
                perm = permutations[s // m]
                k = s % m
                for step in range(m):
                    q = int(perm[(k + step) % m])
                    if (
                        q in members
                        or e * m + q in conflict_set
                        or (same_grid and grid_e >= 0 and grid_e * m + q in grid_set)
                    ):
                        continue
                    members.append(q)
                    break
                else:
                    eid = int(data.ids[e])
                    raise DrawError(
                        "no_eligible_officer",
                        f"单位 {eid} 回避后没有足够的执法人员组成检查组。",
                        f"Not enough eligible officers for enterprise {eid}.",
                    )
            result[i] = data.officer_ids[members]
    return result


# ---------------------------------------------------------------------------------------------
# The same algorithm as a plain loop over the JSON (slow; the specification in code)


def reference_draw(
    directory: dict[str, Any], pool: dict[str, Any], parameters: dict[str, Any], seed: bytes
) -> DrawResult:
    def values64(label: str) -> Iterator[int]:
        counter = 0
        while True:
            block = hmac_block(seed, label, counter)
            for k in range(4):
                yield int.from_bytes(block[8 * k : 8 * k + 8], "big")
            counter += 1

    columns = directory["columns"]
    ids, strata, weights, grids = (
        columns["id"],
        columns["stratum"],
        columns["weight"],
        columns["grid"],
    )
    drawn: list[int] = []  # row positions
    drawn_set: set[int] = set()
    names: list[str] = []
    for stratum in parameters["strata"]:
        if stratum["count"] == 0:
            continue
        members = [
            i for i in range(len(ids)) if stratum["select"] == "*" or strata[i] in stratum["select"]
        ]
        cumulative = []
        running = 0
        for i in members:
            running += weights[i] if stratum["weighting"] == "weighted" else 1
            cumulative.append(running)
        total = running
        limit = TWO_64 - (TWO_64 % total)
        got = 0
        for r in values64(f"E|{stratum['name']}"):
            if r >= limit:
                continue
            t = r % total
            low, high = 0, len(cumulative)
            while low < high:  # the first cumulative sum above t
                mid = (low + high) // 2
                if cumulative[mid] > t:
                    high = mid
                else:
                    low = mid + 1
            candidate = members[low]
            if candidate in drawn_set:
                continue
            drawn.append(candidate)
            drawn_set.add(candidate)
            names.append(stratum["name"])
            got += 1
            if got == stratum["count"]:
                break
    officer_ids = pool["columns"]["id"]
    officer_grids = pool["columns"]["grids"]
    m = len(officer_ids)
    conflicts = set(zip(pool["conflicts"]["officer"], pool["conflicts"]["enterprise"], strict=True))
    team_size = parameters["team_size"]
    orders: dict[int, list[int]] = {}

    def cycle_order(cycle: int) -> list[int]:
        if cycle not in orders:
            keys: list[int] = []
            counter = 0
            while len(keys) < m:
                block = hmac_block(seed, f"O|{cycle}", counter)
                keys.extend(int.from_bytes(block[4 * k : 4 * k + 4], "big") for k in range(8))
                counter += 1
            orders[cycle] = sorted(range(m), key=lambda q: (keys[q], officer_ids[q]))
        return orders[cycle]

    teams: list[tuple[int, ...]] = []
    for i, row in enumerate(drawn):
        team: list[int] = []
        for j in range(team_size):
            s = i * team_size + j
            order = cycle_order(s // m)
            k = s % m
            for step in range(m):
                q = order[(k + step) % m]
                officer = officer_ids[q]
                if officer in team or (officer, ids[row]) in conflicts:
                    continue
                if (
                    parameters["exclude_same_grid"]
                    and grids[row] is not None
                    and grids[row] in officer_grids[q]
                ):
                    continue
                team.append(officer)
                break
            else:
                raise DrawError(
                    "no_eligible_officer", "没有可用的执法人员。", "No eligible officer."
                )
        teams.append(tuple(team))
    return DrawResult(
        enterprises=tuple(ids[i] for i in drawn), strata=tuple(names), teams=tuple(teams)
    )


# ---------------------------------------------------------------------------------------------
# The published file and its verification


def draw_file(
    *,
    metadata: dict[str, Any],
    directory: dict[str, Any],
    pool: dict[str, Any],
    parameters: dict[str, Any],
    commit: dict[str, Any],
    seed_value: str | None,
    result: dict[str, Any] | None,
    void: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "draw": metadata,
        "directory": directory,
        "pool": pool,
        "parameters": parameters,
        "commit": commit,
        "commit_sha256": sha256_hex(commit),
        "seed_value": seed_value,
        "result": result,
        "result_sha256": sha256_hex(result) if result is not None else None,
        "void": void,
    }


@dataclass(frozen=True)
class Verdict:
    confirmed: bool
    code: str
    message: str
    message_en: str
    checks: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "confirmed": self.confirmed,
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
            "checks": list(self.checks),
        }


def _refuted(code: str, message: str, message_en: str, checks: list[str]) -> Verdict:
    return Verdict(False, code, message, message_en, tuple(checks))


def verify(
    data: Any,
    *,
    published_commit_sha256: str | None = None,
    published_seed_value: str | None = None,
    published_result_sha256: str | None = None,
) -> Verdict:
    """Recompute a published draw. Raises :class:`Unreadable` if ``data`` is not a draw file.

    The ``published_*`` values, when given, come from elsewhere (the commit notice published
    before the draw, the public source of the seed value, the result notice) and must match.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Unreadable(
            "not_a_draw_file",
            f"不是抽查结果文件（应为 format = {FORMAT}）。",
            f"Not a draw file (format {FORMAT} expected).",
        )
    checks: list[str] = []
    commit = data.get("commit")
    if not isinstance(commit, dict) or not commit.get("seed_commitment_sha256"):
        return _refuted(
            "no_commitment",
            "文件中没有种子承诺：抽取前未冻结并公示种子来源，无法验证。",
            "No seed commitment: the seed source was not committed before the draw.",
            checks,
        )
    for part in ("directory", "pool", "parameters"):
        if not isinstance(data.get(part), dict):
            raise Unreadable(
                "missing_part", f"文件缺少“{part}”部分。", f"The file lacks its {part}."
            )
    labels = {"directory": "名录库快照", "pool": "执法人员库快照", "parameters": "抽取参数"}
    for part, label in labels.items():
        actual = sha256_hex(data[part])
        expected = commit.get(f"{part}_sha256")
        if actual != expected:
            return _refuted(
                f"{part}_changed",
                f"{label}与抽取前公示的哈希不符：公示 {expected}，按文件内容计算得 {actual}。",
                f"The {part} snapshot does not match its published hash ({expected} ≠ {actual}).",
                checks,
            )
        checks.append(f"{part}_sha256 {actual}")
    commit_hash = sha256_hex(commit)
    if data.get("commit_sha256") != commit_hash:
        return _refuted(
            "commit_changed",
            f"冻结公示内容与其哈希不符：文件记载 {data.get('commit_sha256')}，计算得 {commit_hash}。",
            "The commit notice does not match its hash.",
            checks,
        )
    if published_commit_sha256 and published_commit_sha256 != commit_hash:
        return _refuted(
            "commit_not_published",
            f"冻结公示与抽取前公开发布的不符：发布的哈希 {published_commit_sha256}，文件 {commit_hash}。",
            "The commit notice differs from the one published before the draw.",
            checks,
        )
    checks.append(f"commit_sha256 {commit_hash}")
    source = commit.get("seed_source")
    if not isinstance(source, dict) or sha256_hex(source) != commit.get("seed_commitment_sha256"):
        return _refuted(
            "seed_source_changed",
            "种子来源与承诺的哈希不符。",
            "The seed source does not match its commitment.",
            checks,
        )
    try:
        value_date = dt.date.fromisoformat(str(source.get("value_date")))
        committed_on = dt.datetime.fromisoformat(str(commit.get("committed_at"))).date()
    except ValueError:
        raise Unreadable(
            "bad_dates", "承诺时间或种子公开日期格式错误。", "Bad commit or value date."
        ) from None
    if committed_on >= value_date:
        return _refuted(
            "seed_known_at_commit",
            f"承诺于 {committed_on}，种子数值于 {value_date} 公开：承诺必须早于种子数值公开。",
            "The commitment was made when the seed value could already be known.",
            checks,
        )
    checks.append(f"seed committed {committed_on}, value public {value_date}")
    seed_value = data.get("seed_value")
    if not isinstance(seed_value, str) or not seed_value.strip():
        return _refuted(
            "no_seed_value", "文件中没有公开的种子数值。", "No seed value in the file.", checks
        )
    if published_seed_value is not None and published_seed_value.strip() != seed_value.strip():
        return _refuted(
            "seed_value_differs",
            f"种子数值与公开来源不符：公开 {published_seed_value}，文件 {seed_value}。",
            "The seed value differs from the public source.",
            checks,
        )
    result = data.get("result")
    if not isinstance(result, dict) or not isinstance(result.get("draws"), list):
        return _refuted("no_result", "文件中没有抽取结果。", "No result in the file.", checks)
    try:
        recomputed = run_draw(
            load(data["directory"], data["pool"]),
            None,
            data["parameters"],
            derive_seed(commit_hash, seed_value),
        ).document()
    except Unreadable:
        raise
    except DrawError as error:
        return _refuted(error.code, error.message, error.message_en, checks)
    except (KeyError, TypeError, IndexError, ValueError) as error:
        raise Unreadable(
            "malformed", f"文件结构错误：{error}", f"Malformed draw file: {error}"
        ) from None
    published = result["draws"]
    for index, expected_row in enumerate(recomputed["draws"]):
        actual_row = published[index] if index < len(published) else None
        if actual_row != expected_row:
            return _refuted(
                "result_differs",
                f"第 {index + 1} 条抽取结果不符：文件为 {actual_row}，按公示材料重新计算应为 {expected_row}。",
                f"Draw {index + 1} differs: file {actual_row}, recomputed {expected_row}.",
                checks,
            )
    if len(published) != len(recomputed["draws"]):
        return _refuted(
            "result_differs",
            f"抽取结果条数不符：文件 {len(published)} 条，重新计算 {len(recomputed['draws'])} 条。",
            "The number of draws differs.",
            checks,
        )
    if result != recomputed:
        return _refuted(
            "result_differs", "抽取结果的其他内容不符。", "The result document differs.", checks
        )
    result_hash = sha256_hex(result)
    if data.get("result_sha256") != result_hash or (
        published_result_sha256 and published_result_sha256 != result_hash
    ):
        return _refuted(
            "result_hash_differs",
            f"结果哈希不符：按结果计算得 {result_hash}，记载为 {published_result_sha256 or data.get('result_sha256')}。",
            "The result hash differs.",
            checks,
        )
    checks.append(f"result recomputed: {len(published)} draws, sha256 {result_hash}")
    return Verdict(
        True,
        "confirmed",
        f"验证通过：按公示的名录库、人员库、参数和种子重新计算，{len(published)} 条抽取结果完全一致。",
        f"Confirmed: recomputed from the published material, all {len(published)} draws match.",
        tuple(checks),
    )


def stratum_counts(strata: Iterable[str]) -> dict[str, int]:
    return dict(Counter(strata))
