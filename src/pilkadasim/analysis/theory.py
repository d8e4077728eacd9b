"""Closed-form queueing results the engine must reproduce (docs/validation.md).

- Erlang B and C, the M/M/c waiting-time tail and mean (Kleinrock, *Queueing Systems* I, §3.5);
- Cobham's non-preemptive priority M/M/c with equal service rates (Cobham 1954);
- Larson's hypercube model, exact, zero- and infinite-line capacity, fixed preference
  dispatch (Larson & Odoni, *Urban Operations Research*, 1981, §5.3–5.4);
- the mean busy count of M(t)/M/∞ for a piecewise-constant rate (Eick, Massey & Whitt 1993);
- Little's law helpers.

Rates and times in any consistent unit (the tests use hours).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c with offered load ``a = λ/μ`` (stable recursion)."""
    if c < 0 or a < 0:
        raise ValueError("need c >= 0 and a >= 0")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Probability an arrival waits in M/M/c (``a = λ/μ < c``)."""
    if not a < c:
        raise ValueError(f"unstable: offered load {a} >= {c} servers")
    b = erlang_b(c, a)
    return c * b / (c - a * (1 - b))


def mmc_wait_tail(c: int, lam: float, mu: float, t: float) -> float:
    """``P(W > t) = C(c, λ/μ) · exp(−(cμ − λ) t)`` for FIFO M/M/c."""
    return erlang_c(c, lam / mu) * math.exp(-(c * mu - lam) * t)


def mmc_mean_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue of FIFO M/M/c: ``C / (cμ − λ)``."""
    return erlang_c(c, lam / mu) / (c * mu - lam)


def cobham_waits(c: int, lams: Sequence[float], mu: float) -> list[float]:
    """Mean waits per class of non-preemptive priority M/M/c, class 0 served first, all with
    service rate ``mu``: ``W_k = C / (cμ (1 − σ_{k−1})(1 − σ_k))``, ``σ_k = Σ_{i≤k} λ_i/(cμ)``."""
    lam = sum(lams)
    w0 = erlang_c(c, lam / mu) / (c * mu)
    out, sigma_prev = [], 0.0
    for lam_k in lams:
        sigma = sigma_prev + lam_k / (c * mu)
        out.append(w0 / ((1 - sigma_prev) * (1 - sigma)))
        sigma_prev = sigma
    return out


def little_l(lam: float, w: float) -> float:
    """Little's law, ``L = λ W``."""
    return lam * w


def mt_m_inf_mean_busy(
    t: float, breaks: Sequence[float], rates: Sequence[float], mu: float
) -> float:
    """Mean number busy at ``t`` in M(t)/M/∞ started empty at 0, rate ``rates[i]`` on
    ``[breaks[i], breaks[i+1])`` (last piece open-ended): ``m(t) = ∫₀ᵗ λ(s) e^{−μ(t−s)} ds``."""
    total = 0.0
    edges = [*breaks, math.inf]
    for i, lam in enumerate(rates):
        lo, hi = edges[i], min(edges[i + 1], t)
        if hi <= lo:
            continue
        total += lam / mu * (math.exp(-mu * (t - hi)) - math.exp(-mu * (t - lo)))
    return total


@dataclass(frozen=True)
class Hypercube:
    """Solution of Larson's hypercube model."""

    workload: np.ndarray  # P(unit n busy)
    dispatch_fraction: np.ndarray  # [n, j]: share of all calls that are from atom j, served by n
    p_all_busy: float  # P(an arrival finds every unit busy): waits (infinite) or is lost (zero)
    mean_travel: np.ndarray | None  # per atom, if travel times were given


def hypercube(
    lam: Sequence[float],
    preference: Sequence[Sequence[int]],
    n_units: int,
    mu: float = 1.0,
    infinite_line: bool = True,
    travel: np.ndarray | None = None,
) -> Hypercube:
    """Exact hypercube model: atom ``j`` sends its calls to the first free unit of
    ``preference[j]`` (a full ordering of the units); service is exponential with rate ``mu``
    for every unit; a unit returns home between calls. With an infinite line, calls arriving
    when all units are busy queue and go to the first unit freed (FIFO); with zero line they are
    lost. ``travel[n, j]`` (home of n → atom j) gives the mean travel time per atom."""
    lam_arr = np.asarray(lam, dtype=float)
    total = lam_arr.sum()
    n = n_units
    states = 1 << n
    full = states - 1
    q = np.zeros((states, states))
    rho = total / (n * mu)
    if infinite_line and not rho < 1:
        raise ValueError("infinite-line hypercube needs λ < Nμ")
    for s in range(states):
        if s != full:
            for j, pref in enumerate(preference):
                unit = next(u for u in pref if not s >> u & 1)
                q[s, s | 1 << unit] += lam_arr[j]
        for u in range(n):
            if s >> u & 1:
                # the "full" state aggregates every queue length; it empties at rate
                # μ × P(no queue | full) = μ (1 − ρ)
                rate = mu * (1 - rho) if (s == full and infinite_line) else mu
                q[s, s & ~(1 << u)] += rate
    np.fill_diagonal(q, -q.sum(axis=1))
    a = np.vstack([q.T, np.ones(states)])
    b = np.zeros(states + 1)
    b[-1] = 1.0
    pi = np.linalg.lstsq(a, b, rcond=None)[0]
    busy = np.array([[s >> u & 1 for u in range(n)] for s in range(states)], dtype=float)
    workload = pi @ busy
    frac = np.zeros((n, len(lam_arr)))
    for s in range(states - 1):
        for j, pref in enumerate(preference):
            unit = next(u for u in pref if not s >> u & 1)
            frac[unit, j] += lam_arr[j] * pi[s] / total
    if infinite_line:
        frac += lam_arr[None, :] * pi[full] / total / n
        workload = workload.copy()
    mean_travel = None
    if travel is not None:
        served = frac.sum(axis=0)
        mean_travel = (frac * travel).sum(axis=0) / np.where(served > 0, served, 1)
    return Hypercube(workload, frac, float(pi[full]), mean_travel)
