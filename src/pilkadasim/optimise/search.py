"""Simulation local search on common random numbers (after JEMSS's deployment search).

From the coverage-model start, each step simulates the most promising neighbours — one team
moved to another candidate base, or (with several kinds of unit) two units of different kinds
swapping bases — on the same block of days as the incumbent, and moves to the best of them
when it is better on the pooled metric *and* its paired batch differences say so
(t ≥ 1). Neighbours are ranked by a cheap surrogate, the demand-weighted time to the nearest
unit (the p-median objective), and only the first ``optimise.neighbours`` are simulated.
The search stops when no simulated neighbour is better, or after ``optimise.max_steps``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pilkadasim.optimise.evaluate import Design
from pilkadasim.optimise.problem import Problem

T_ACCEPT = 1.0  # paired t-statistic a move must reach (one-sided ≈ 84 %)


@dataclass(frozen=True)
class Score:
    loss: float  # pooled metric as a loss (minus a share)
    batches: tuple[float, ...]  # loss per batch of days


def neighbours(problem: Problem, design: Design) -> list[Design]:
    """Every move of one unit to another candidate, and swaps between kinds."""
    out: dict[str, Design] = {}
    bases = list(design.bases)
    for g in problem.groups:
        for a in sorted({bases[p] for p in g}):
            pos = next(p for p in g if bases[p] == a)
            for b in problem.candidates:
                if b != a:
                    new = problem.design([*bases[:pos], b, *bases[pos + 1 :]])
                    out.setdefault(new.key, new)
    for i, g in enumerate(problem.groups):
        for h in problem.groups[i + 1 :]:
            for p in g:
                for q in h:
                    if bases[p] != bases[q]:
                        new_bases = list(bases)
                        new_bases[p], new_bases[q] = bases[q], bases[p]
                        new = problem.design(new_bases)
                        out.setdefault(new.key, new)
    out.pop(design.key, None)
    return list(out.values())


def pmedian_cost(
    times: np.ndarray, demand: np.ndarray, fixed_best: np.ndarray
) -> Callable[[Design], float]:
    """Surrogate: Σ_i d_i min(time of the nearest movable unit, of the nearest fixed unit)."""

    def cost(design: Design) -> float:
        near = np.minimum(times[list(design.bases)].min(axis=0), fixed_best)
        return float((demand * near).sum())

    return cost


def paired_t(a: Score, b: Score) -> float:
    """t-statistic of the batch differences ``a − b`` (positive: ``b`` is better)."""
    d = np.array(a.batches) - np.array(b.batches)
    d = d[np.isfinite(d)]
    if d.size < 2:
        return 0.0
    se = d.std(ddof=1) / np.sqrt(d.size)
    return float(d.mean() / se) if se > 0 else (np.inf if d.mean() > 0 else 0.0)


def local_search(
    problem: Problem,
    start: Design,
    score: Callable[[list[Design]], list[Score]],
    surrogate: Callable[[Design], float],
    width: int,
    max_steps: int,
    log: Callable[[str], None],
) -> dict[str, tuple[Design, Score]]:
    """All designs simulated (key → design, score); the last accepted one is the incumbent."""
    current, cur = start, score([start])[0]
    seen = {start.key: (start, cur)}
    for step in range(1, max_steps + 1):
        ranked = sorted(
            (d for d in neighbours(problem, current) if d.key not in seen), key=surrogate
        )[:width]
        if not ranked:
            break
        scored = score(ranked)
        seen.update({d.key: (d, s) for d, s in zip(ranked, scored, strict=True)})
        best = int(np.argmin([s.loss for s in scored]))
        t = paired_t(cur, scored[best])
        better = scored[best].loss < cur.loss and t >= T_ACCEPT
        log(
            f"step {step}: best of {len(ranked)} moves {abs(scored[best].loss):.2f} "
            f"vs {abs(cur.loss):.2f} (t = {t:.1f}) → {'move' if better else 'stop'}"
        )
        if not better:
            break
        current, cur = ranked[best], scored[best]
    return seen
