"""The coverage-model start: MEXCLP (Daskin 1983), solved exactly with HiGHS.

Maximum expected coverage: each unit is busy with probability ``q``; demand point ``i`` is
covered by base ``j`` when a unit from ``j`` reaches it within the radius
(``a_ij``); with ``n_i`` units covering ``i``, the expected covered demand is
``d_i (1 − q^n_i)`` = ``d_i Σ_k (1 − q) q^(k−1)`` over ``k = 1 … n_i``. The integer programme

    max Σ_i d_i Σ_k (1 − q) q^(f_i + k − 1) y_ik
    s.t. Σ_k y_ik ≤ Σ_j a_ij x_j   (each i),   Σ_j x_j = p,   x_j ∈ {0 … p},   y_ik ∈ {0, 1}

(``f_i``: units that stay put and already cover ``i``) is solved by ``scipy.optimize.milp``
(the HiGHS branch and bound). Demand points with the same coverage row are merged first.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp


def expected_coverage(
    cover: np.ndarray, demand: np.ndarray, fixed: np.ndarray, counts: np.ndarray, q: float
) -> float:
    """MEXCLP objective of ``counts`` units per candidate (``cover``: candidates × points)."""
    n = fixed + counts @ cover
    return float((demand * (1.0 - q**n)).sum())


def _merge(cover: np.ndarray, demand: np.ndarray, fixed: np.ndarray) -> tuple[np.ndarray, ...]:
    rows = np.vstack([cover.astype(np.int64), fixed[None, :]]).T
    keep = demand > 0
    uniq, inverse = np.unique(rows[keep], axis=0, return_inverse=True)
    merged = np.bincount(inverse.ravel(), weights=demand[keep], minlength=len(uniq))
    useful = uniq[:, :-1].any(axis=1)  # points no candidate covers cannot be helped
    return uniq[useful, :-1].T.astype(bool), merged[useful], uniq[useful, -1]


def mexclp(
    cover: np.ndarray, demand: np.ndarray, fixed: np.ndarray, p: int, q: float
) -> np.ndarray:
    """Units per candidate (length ``cover.shape[0]``, sum ``p``) maximising expected coverage."""
    n_cand = cover.shape[0]
    a, d, f = _merge(cover, demand, fixed)
    n_pts = len(d)
    if n_pts == 0 or p == 0:  # nothing to cover: every placement is as good
        counts = np.zeros(n_cand, np.int64)
        counts[0] = p
        return counts
    q = min(max(q, 1e-9), 0.999)
    k = np.arange(1, p + 1)
    weight = d[:, None] * (1.0 - q) * q ** (f[:, None] + k[None, :] - 1.0)  # points × p
    c = np.concatenate([np.zeros(n_cand), -weight.ravel()])
    # Σ_k y_ik − Σ_j a_ij x_j ≤ 0
    cover_rows = np.hstack([-a.T.astype(float), np.kron(np.eye(n_pts), np.ones(p))])
    total = np.concatenate([np.ones(n_cand), np.zeros(n_pts * p)])[None, :]
    res = milp(
        c,
        constraints=[
            LinearConstraint(cover_rows, -np.inf, 0.0),
            LinearConstraint(total, p, p),
        ],
        integrality=np.ones(len(c)),
        bounds=Bounds(0, np.concatenate([np.full(n_cand, p), np.ones(n_pts * p)])),
        options={"time_limit": 60.0},
    )
    if res.x is None:
        raise RuntimeError(f"MEXCLP: the solver found no plan ({res.message})")
    placed: np.ndarray = np.rint(res.x[:n_cand]).astype(np.int64)
    return placed
