"""Ranking and selection: the fully sequential procedure KN of Kim & Nelson (2001).

Among ``k`` plans, KN picks the best with probability at least ``1 − alpha`` whenever the best
is better than every other by at least ``delta`` (the indifference zone); it is valid with
common random numbers because it works on the variances of *paired differences*. Observations
are batch statistics (the metric over a batch of days), taken to be approximately normal.

Steps (Kim & Nelson 2001, §3, with c = 1), for a loss to be minimised:
``h² = (n0 − 1)·[(2α/(k − 1))^(−2/(n0 − 1)) − 1]``; ``S²_il`` the sample variance of the
differences over the first ``n0`` observations; after ``r`` observations plan ``i`` is
eliminated when ``mean_i(r) > mean_l(r) + W_il(r)`` for a surviving ``l``, with
``W_il(r) = max(0, δ/(2r)·(h² S²_il/δ² − r))``; stop when one plan survives or when
``r > N = max ⌊h² S²_il/δ²⌋``. Only then does the guarantee hold. When the cap on observations
(``optimise.max_batches``) is reached first, the survivor with the best mean is taken and **no**
probability of correct selection is claimed: :attr:`Selection.pcs` is ``None``, and
:attr:`Selection.pcs_estimate` is a plug-in Bonferroni approximation, reported as an estimate
only (it treats estimated variances as known and is not a guarantee).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import stats


@dataclass
class Selection:
    best: int
    pcs: float | None  # 1 − alpha when KN ended by its own rule; None when it was cut short
    finished: bool  # KN ended by its own rule (the guarantee holds)
    observations: int  # per surviving plan
    means: list[float]  # loss means over the observations each plan received
    n_max: int  # KN's own bound N on the observations it may need
    survivors: list[int]  # plans still in when KN stopped (only ``best`` when it finished)
    pcs_estimate: float  # = pcs when finished; a plug-in estimate (no guarantee) otherwise
    eliminated_at: dict[int, int] = field(default_factory=dict)


def kn_h2(k: int, n0: int, alpha: float) -> float:
    return float((n0 - 1) * ((2 * alpha / (k - 1)) ** (-2.0 / (n0 - 1)) - 1.0))


def kn(
    observe: Callable[[list[int], int, int], np.ndarray],
    k: int,
    delta: float,
    alpha: float,
    n0: int,
    max_obs: int,
) -> Selection:
    """Select among plans ``0 … k-1``. ``observe(plans, first, count)`` returns the losses
    (plans × count) of observations ``first … first+count-1`` of those plans."""
    if k == 1:
        obs = observe([0], 0, n0)
        return Selection(0, 1.0, True, n0, [float(obs.mean())], n0, [0], 1.0)
    x = np.full((k, max(max_obs, n0)), np.nan)
    x[:, :n0] = observe(list(range(k)), 0, n0)
    h2 = kn_h2(k, n0, alpha)
    diff = x[:, None, :n0] - x[None, :, :n0]
    s2 = diff.var(axis=2, ddof=1)
    n_max = int(np.floor(h2 * s2.max() / delta**2))
    alive, r, out = list(range(k)), n0, {}
    while True:
        mean = np.nanmean(x[:, :r], axis=1)
        w = np.maximum(0.0, delta / (2 * r) * (h2 * s2 / delta**2 - r))
        keep = [i for i in alive if all(mean[i] <= mean[j] + w[i, j] for j in alive if j != i)]
        out.update({i: r for i in alive if i not in keep})
        alive = keep
        if len(alive) == 1 or r > n_max or r >= max_obs:
            break
        x[alive, r] = observe(alive, r, 1)[:, 0]
        r += 1
    best = min(alive, key=lambda i: mean[i])
    finished = len(alive) == 1 or r > n_max
    estimate = 1.0 - alpha if finished else _estimated_pcs(x[:, :r], best, alive, delta)
    return Selection(
        best,
        1.0 - alpha if finished else None,
        finished,
        r,
        [float(m) for m in mean],
        n_max,
        list(alive),
        estimate,
        out,
    )


def _estimated_pcs(x: np.ndarray, best: int, alive: list[int], delta: float) -> float:
    """Plug-in Bonferroni approximation of P(correct selection) when the others are δ worse
    than ``best``: ``1 − Σ_i Φ(−δ / se(mean_i − mean_best))`` over the other survivors (the
    standard errors are estimated, so this is an estimate, not a bound)."""
    miss = 0.0
    for i in alive:
        if i != best:
            d = x[i] - x[best]
            d = d[np.isfinite(d)]
            se = d.std(ddof=1) / np.sqrt(d.size) if d.size > 1 else np.inf
            miss += float(stats.norm.cdf(-delta / se)) if se > 0 else 0.0
    return max(0.0, 1.0 - miss)
