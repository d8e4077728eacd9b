"""``experiment=optimise_staging``: coverage start → simulation search → selection → outputs.

Replication blocks (common random numbers; replication ``r`` is the same day for every plan):
the final comparison uses days ``0 … run.replications-1`` — the very days an ordinary run
simulates, so the baseline's value equals the summary of the current plan and the best
plan's value equals the summary of a rerun with ``staffing.plan_file=plan.csv``. The demand
estimate, the search and the selection each use their own block of fresh days, so the final
numbers are not biased by the choices made on them.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from pilkadasim.optimise import coverage
from pilkadasim.optimise import metric as M
from pilkadasim.optimise.evaluate import Design, Outcome, Simulator
from pilkadasim.optimise.journal import Journal
from pilkadasim.optimise.keys import bind
from pilkadasim.optimise.problem import Problem, base_site_minutes, build_problems
from pilkadasim.optimise.search import Score, local_search, pmedian_cost
from pilkadasim.optimise.selection import Selection, kn
from pilkadasim.optimise.settings import Settings, read_settings

DEMAND_DAYS = 500
DEMAND_OFFSET, SEARCH_OFFSET, SELECT_OFFSET = 3_000_000, 1_000_000, 2_000_000
KN_N0 = 10  # first-stage observations of KN (Kim & Nelson recommend n0 ≥ 10)


class Scorer:
    """Scores designs on a block of days, remembering them in the journal."""

    def __init__(self, sim: Simulator, journal: Journal, settings: Settings) -> None:
        self.sim, self.journal, self.s = sim, journal, settings

    def __call__(self, designs: list[Design], start: int, n: int) -> list[Score]:
        ids = [f"{d.key}@{start}+{n}" for d in designs]
        todo = [d for d, i in zip(designs, ids, strict=True) if self.journal.get(i) is None]
        for d, out in zip(todo, self.sim.run(todo, start, n), strict=True):
            m = self.s.metric
            batches = [m.loss(v) for v in M.batch_values(m, out, self.s.batch_days)]
            self.journal.add(
                f"{d.key}@{start}+{n}", {"loss": m.loss(M.pooled(m, out)), "batches": batches}
            )
        entries = [self.journal.entries[i] for i in ids]
        return [Score(e["loss"], tuple(e["batches"])) for e in entries]


@dataclass
class Found:
    best: Design
    start: Design  # the coverage-model start of the best plan's guard pattern
    problem: Problem
    selection: Selection
    method: str
    finalists: int


def coverage_start(
    p: Problem, sim: Simulator, s: Settings, radius: float | None, log: Callable[[str], None]
) -> tuple[Design, Callable[[Design], float]]:
    """The MEXCLP plan of ``p`` and the p-median surrogate that ranks its neighbours."""
    if not p.movable:
        log(f"[{p.pattern}] no reserve teams left to place")
        return p.design([]), lambda _d: 0.0
    demo = sim.run([p.current()], DEMAND_OFFSET, DEMAND_DAYS)[0]
    n_sites = len(p.scenario.region.sites)
    demand = np.bincount(demo.site[demo.reserve], minlength=n_sites) / DEMAND_DAYS
    q = float(demo.busy.mean())
    group = p.groups[0]
    times = base_site_minutes(p.scenario, p.movable[group[0]])
    rows = {
        u: base_site_minutes(p.scenario, u)[p.scenario.units[u].base]
        for u in range(len(p.scenario.units))
    }
    police = [u for u in rows if p.scenario.units[u].tier == 0]
    fixed_best = np.min(
        [rows[u] for u in police if u not in p.movable] + [np.full(n_sites, np.inf)], axis=0
    )
    if radius is None:
        radius = _radius(s, np.min([rows[u] for u in police], axis=0), demand)
    fixed = np.sum(
        [rows[u] <= radius for u in police if u not in p.movable] + [np.zeros(n_sites)], axis=0
    ).astype(np.int64)
    cand = list(p.candidates)
    counts = coverage.mexclp(times[cand] <= radius, demand, fixed, len(group), q)
    bases = list(p.current().bases)
    placed = [c for c, k in zip(cand, counts, strict=True) for _ in range(int(k))]
    for pos, b in zip(group, placed, strict=True):
        bases[pos] = b
    log(
        f"[{p.pattern}] MEXCLP start: radius {radius:.1f} min, busy fraction q = {q:.3f}, "
        f"{demand.sum():.2f} reserve incidents/day over {int((demand > 0).sum())} sites"
    )
    return p.design(bases), pmedian_cost(times, demand, fixed_best)


def _radius(s: Settings, near: np.ndarray, demand: np.ndarray) -> float:
    """Default MEXCLP radius for a time metric: the same statistic (mean or quantile) of the
    time to the nearest police unit under the current plan, over the demand — the radius the
    current plan achieves, which the start then tries to cover more demand within."""
    w = demand[np.isfinite(near)]
    t = near[np.isfinite(near)]
    if w.sum() <= 0:
        return 30.0
    if s.metric.stat == "mean":
        return max(float((w * t).sum() / w.sum()), 1.0)
    order = np.argsort(t)
    cum = np.cumsum(w[order]) / w.sum()
    q = M.QUANTILE.get(s.metric.stat, 0.9)  # a count or utilisation: the p90 radius
    return max(float(t[order][np.searchsorted(cum, q)]), 1.0)


def search(
    current: Problem,
    problems: list[Problem],
    sim: Simulator,
    scorer: Scorer,
    s: Settings,
    radius: float | None,
    log: Callable[[str], None],
) -> Found:
    seen: dict[str, tuple[Design, Score, Problem]] = {}
    starts: dict[str, Design] = {}
    for p in problems:
        start, surrogate = coverage_start(p, sim, s, radius, log)
        starts[p.pattern] = start
        found = local_search(
            p,
            start,
            lambda ds: scorer(ds, SEARCH_OFFSET, s.search_days),
            surrogate,
            s.neighbours,
            s.max_steps,
            _progress(log, p.pattern, sim),
        )
        seen.update({k: (d, sc, p) for k, (d, sc) in found.items()})
    ranked = sorted(seen.values(), key=lambda v: v[1].loss)
    cur = current.current()
    if all(b in current.candidates for b in cur.bases):  # with split too: its own pattern
        # the current plan is always a finalist, and listed first: KN breaks ties by order,
        # so a plan that is not measurably better never replaces it
        entry = seen.get(cur.key) or (cur, scorer([cur], SEARCH_OFFSET, s.search_days)[0], current)
        ranked = [entry] + [v for v in ranked if v[0].key != cur.key]
    ranked = ranked[: s.finalists]
    designs = [d for d, _, _ in ranked]

    def observe(plans: list[int], first: int, count: int) -> np.ndarray:
        n = s.batch_days
        out = scorer([designs[i] for i in plans], SELECT_OFFSET + first * n, count * n)
        return np.array([sc.batches for sc in out])

    sel = kn(observe, len(designs), s.delta, s.alpha, KN_N0, max(s.max_batches, KN_N0))
    method = "MEXCLP start + CRN local search + KN (Kim & Nelson 2001)"
    if not sel.finished:
        method += "; KN cut short at optimise.max_batches: no PCS guaranteed"
        log(
            f"selection: KN cut short after {sel.observations} batches (its rule may need "
            f"{sel.n_max}); {len(sel.survivors)} plans still in, no P(correct selection) is "
            "guaranteed (raise optimise.max_batches or optimise.delta_min)"
        )
    log(
        f"selection: {len(designs)} finalists, {sel.observations} batches of {s.batch_days} days"
        f" (KN bound N = {sel.n_max})"
    )
    best, _, problem = ranked[sel.best]
    # the current plan under split has its own pattern: compare with its guard pattern's start
    start = starts.get(best.pattern) or starts.get(str(problem.cfg.staffing.guard_pattern), best)
    return Found(best, start, problem, sel, method, len(designs))


def _progress(log: Callable[[str], None], pattern: str, sim: Simulator) -> Callable[[str], None]:
    return lambda msg: log(f"[{pattern}] {msg} ({sim.replications} days simulated)")


def fingerprint(cfg: DictConfig) -> str:
    """What the journal's scores depend on: the model, the seed and the search settings."""
    from pilkadasim import __version__
    from pilkadasim.api import config_hash

    text = OmegaConf.to_yaml(cfg.optimise) + config_hash(cfg) + __version__
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def value(metric_out: tuple[float, list[float | None] | None]) -> dict[str, Any]:
    return {"value": metric_out[0], "ci95": metric_out[1]}


def optimise(
    cfg: DictConfig, folder: Path | None, log: Callable[[str], None] = print
) -> tuple[dict[str, Any], Found]:
    """Run the whole search; ``folder`` holds the journal (None: no journal)."""
    from pilkadasim.config.checks import validate

    t0 = time.perf_counter()
    validate(cfg)
    s = read_settings(cfg)
    current, problems = build_problems(cfg, s)
    s = replace(s, metric=bind(s.metric, current.scenario))  # a group's sites, checked
    journal = Journal(folder, fingerprint(cfg))
    if journal.stale:
        log("journal: the one in the run folder is of another configuration; set aside")
    scenarios = {p.pattern: p.scenario for p in [current, *problems]}
    movable = {p.pattern: p.movable for p in [current, *problems]}
    sim = Simulator(scenarios, movable, int(cfg.run.seed), cfg.run.workers)
    try:
        reps = int(cfg.run.replications)
        base_out = sim.run([current.current()], 0, reps)[0]
        radius = s.cover_min
        if radius is None and s.metric.target is not None:
            radius = s.metric.target
        log(
            f"optimise {s.metric.path} ({'max' if s.metric.maximise else 'min'}): "
            f"{len(current.movable)} units over {len(current.candidates)} candidate "
            f"bases; current plan {M.pooled(s.metric, base_out):.2f}"
        )
        found = search(current, problems, sim, Scorer(sim, journal, s), s, radius, log)
        best_out, start_out = sim.run([found.best, found.start], 0, reps)
        seconds = time.perf_counter() - t0
        result = _result(
            s,
            base_out,
            best_out,
            start_out,
            found,
            sim,
            journal,
            seconds,
            float(cfg.optimise.delta_min),
        )
    finally:
        sim.close()
    return result, found


def _result(
    s: Settings,
    base: Outcome,
    best: Outcome,
    start: Outcome,
    found: Found,
    sim: Simulator,
    journal: Journal,
    seconds: float,
    delta_min: float,
) -> dict[str, Any]:
    m = s.metric
    return {
        "metric": m.path,
        "maximise": m.maximise,
        "unit": m.kind,
        "best": value(M.with_ci(m, best)),
        "baseline": value(M.with_ci(m, base)),
        "improvement": value(M.paired_gain(m, base, best)),
        "start": value(M.with_ci(m, start)),
        "improvement_over_start": value(M.paired_gain(m, start, best)),
        "evaluations": len(journal.entries),
        "replications_simulated": sim.replications,
        "replayed_from_journal": journal.replayed,
        "method": found.method,
        "seconds": round(seconds, 1),
        **_pcs(found.selection, s),
        "delta_min": delta_min,
        "delta": s.delta,
        "finalists": found.finalists,
        "guard_pattern": found.problem.pattern,
        "final_replications": base.n,
    }


def _pcs(sel: Selection, s: Settings) -> dict[str, Any]:
    """``pcs`` only when KN ended by its own rule (then it is guaranteed, ≥ 1 − alpha within
    δ); otherwise ``null``, with the reason and a plug-in estimate that is labelled as such."""
    out: dict[str, Any] = {
        "pcs": None if sel.pcs is None else round(sel.pcs, 4),
        "selection": {
            "procedure": "KN (Kim & Nelson 2001)",
            "finished": sel.finished,
            "observations": sel.observations,
            "n_max": sel.n_max,
            "max_batches": s.max_batches,
            "survivors": len(sel.survivors),
        },
    }
    if not sel.finished:
        out["pcs_reason"] = (
            f"KN was cut short at optimise.max_batches = {s.max_batches} observations before "
            f"its stopping rule (it may need up to {sel.n_max}) with {len(sel.survivors)} plans "
            "still in: no probability of correct selection is guaranteed"
        )
        out["selection"]["pcs_estimate_not_guaranteed"] = round(sel.pcs_estimate, 4)
    return out
