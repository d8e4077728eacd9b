"""Validation: the engine, reduced by configuration alone, against queueing theory.

``python -m pilkadasim.validate`` (or ``pilkadasim-validate``) runs every check and prints
theory vs simulation with a 99% confidence interval across replications and a verdict; it
exits 1 if any check fails. ``--quick`` uses fewer replications. The same checks run in the
test suite (``tests/test_validation.py``) with fixed seeds. What each check assumes and what a
match does and does not prove: ``docs/validation.md``.

Every check builds a tiny region folder (docs/reference/region-files.md) and composes the packaged
configuration with the presets of docs/validation.md — nothing is special-cased in the core.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

import pilkadasim
from pilkadasim.analysis import theory
from pilkadasim.analysis.metrics import reserve_needed

LEVEL = 0.99  # confidence level of the verdicts


@dataclass(frozen=True)
class Check:
    name: str
    quantity: str
    theory: float
    sim: float
    ci: tuple[float, float]
    passed: bool

    def row(self) -> list[str]:
        return [
            self.name,
            self.quantity,
            f"{self.theory:.4f}",
            f"{self.sim:.4f}",
            f"{self.ci[0]:.4f} – {self.ci[1]:.4f}",
            "PASS" if self.passed else "FAIL",
        ]


def interval(per_rep: np.ndarray, level: float = LEVEL) -> tuple[float, tuple[float, float]]:
    """Mean of i.i.d. replication estimates with a Student-t interval."""
    x = np.asarray(per_rep, dtype=float)
    x = x[np.isfinite(x)]
    half = stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    m = float(x.mean())
    return m, (m - half, m + half)


def check(name: str, quantity: str, truth: float, per_rep: np.ndarray) -> Check:
    m, (lo, hi) = interval(per_rep)
    return Check(name, quantity, truth, m, (lo, hi), lo <= truth <= hi)


# ----------------------------------------------------------------------------- regions
def write_region(
    folder: Path,
    tps: Sequence[tuple[str, float, float, float]],
    bases: Sequence[tuple[str, float, float]],
    units: Sequence[tuple[str, str]],
    minutes: dict[tuple[str, str], float] | None = None,
) -> Path:
    """A region folder: ``tps`` (id, lat, lon, voters), ``bases`` (id, lat, lon), ``units``
    (unit id, base id), and optionally a travel matrix ``{(from, to): minutes}``."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        [(t, "K", "D", la, lo, v, "kurang_rawan") for t, la, lo, v in tps],
        columns=["tps_id", "kecamatan", "desa", "lat", "lon", "voters", "category"],
    ).to_csv(folder / "tps.csv", index=False)
    pd.DataFrame(
        [(b, b, "polsek", la, lo) for b, la, lo in bases],
        columns=["base_id", "name", "kind", "lat", "lon"],
    ).to_csv(folder / "bases.csv", index=False)
    pd.DataFrame(
        [(u, b, "sabhara", 4) for u, b in units], columns=["unit_id", "base_id", "kind", "crew"]
    ).to_csv(folder / "units.csv", index=False)
    if minutes is not None:
        pd.DataFrame(
            [(f, t, m) for (f, t), m in minutes.items()], columns=["from_id", "to_id", "minutes"]
        ).to_csv(folder / "travel_minutes.csv", index=False)
    return folder


def preset(
    folder: Path,
    hours: float,
    rate: float,
    mean_min: float,
    reps: int,
    seed: int,
    travel: str = "zero",
    extra: Sequence[str] = (),
) -> pilkadasim.Results:
    """Run the validation presets on ``folder``."""
    cfg = pilkadasim.compose(
        [
            "region=custom",
            f"region.dir={folder}",
            "timeline=steady",
            f"timeline.hours={hours}",
            "incidents=poisson",
            f"incidents.rate_per_hour={rate}",
            f"incidents.handling_mean_min={mean_min}",
            "staffing.guard_pattern=none",
            "dispatch.doctrine=capable_only",  # the queueing models' rule: no first responder
            f"travel={travel}",
            f"run.replications={reps}",
            f"run.seed={seed}",
            "run.progress=false",
            *extra,
        ]
    )
    return pilkadasim.simulate(cfg)


def steady_part(inc: pd.DataFrame, hours: float) -> pd.DataFrame:
    """Incidents away from the empty start and the cut-off end (2% of the horizon each)."""
    t = inc["occurred_at"] / 60.0
    return inc[(t >= 0.02 * hours) & (t <= 0.98 * hours)]


def per_rep(inc: pd.DataFrame, reps: int, value: Callable[[pd.DataFrame], float]) -> np.ndarray:
    return np.array([value(inc[inc["replication"] == r]) for r in range(reps)])


# ----------------------------------------------------------------------------- checks
def mmc_checks(tmp: Path, seed: int, reps: int, hours: float = 2000.0) -> list[Check]:
    """M/M/3, λ = 1.5/h, mean service 60 min: Erlang C, the wait tail and the mean wait."""
    c, lam, mu = 3, 1.5, 1.0
    folder = write_region(
        tmp / "mm3",
        [("T1", -1.9, 106.1, 500)],
        [("B1", -1.9, 106.1)],
        [(f"U{i}", "B1") for i in range(c)],
    )
    inc = steady_part(preset(folder, hours, lam, 60.0, reps, seed).incidents, hours)
    wait_h = inc.assign(w=inc["response_min"] / 60.0)
    out = [
        check(
            "M/M/3",
            "P(wait)",
            theory.erlang_c(c, lam / mu),
            per_rep(wait_h, reps, lambda d: float((d["w"] > 1e-9).mean())),
        )
    ]
    for t_min in (10.0, 30.0):
        out.append(
            check(
                "M/M/3",
                f"P(W > {t_min:g} min)",
                theory.mmc_wait_tail(c, lam, mu, t_min / 60),
                per_rep(wait_h, reps, lambda d, t=t_min: float((d["w"] > t / 60).mean())),
            )
        )
    out.append(
        check(
            "M/M/3",
            "mean wait (min)",
            60 * theory.mmc_mean_wait(c, lam, mu),
            per_rep(wait_h, reps, lambda d: float(d["w"].mean() * 60)),
        )
    )
    return out


def cobham_checks(tmp: Path, seed: int, reps: int, hours: float = 2000.0) -> list[Check]:
    """Two severities, non-preemptive priority (severity 2 first), M/M/3: Cobham's waits."""
    c, lam, mu, p_high = 3, 2.1, 1.0, 0.4
    folder = write_region(
        tmp / "cobham",
        [("T1", -1.9, 106.1, 500)],
        [("B1", -1.9, 106.1)],
        [(f"U{i}", "B1") for i in range(c)],
    )
    res = preset(
        folder,
        hours,
        lam,
        60.0,
        reps,
        seed,
        extra=[f"incidents.severity=[{1 - p_high},{p_high},0]"],
    )
    inc = steady_part(res.incidents, hours)
    w_high, w_low = theory.cobham_waits(c, [lam * p_high, lam * (1 - p_high)], mu)
    return [
        check(
            "Priority M/M/3",
            "mean wait, severity 2 (min)",
            60 * w_high,
            per_rep(inc[inc["severity"] == 2], reps, lambda d: float(d["response_min"].mean())),
        ),
        check(
            "Priority M/M/3",
            "mean wait, severity 1 (min)",
            60 * w_low,
            per_rep(inc[inc["severity"] == 1], reps, lambda d: float(d["response_min"].mean())),
        ),
    ]


LARSON_GROUPS = (  # Larson & Odoni ch. 5: 10 atoms in 4 preference groups, λ = 1.5, μ = 1
    ((0, 1, 2), (0.05, 0.15, 0.10, 0.20)),
    ((0, 2, 1), (0.10, 0.15)),
    ((1, 0, 2), (0.20, 0.15)),
    ((2, 0, 1), (0.25, 0.15)),
)


def hypercube_region(
    tmp: Path,
    name: str,
    atoms: Sequence[tuple[Sequence[int], float]],
    n_units: int,
    minutes_of: Callable[[int, int], float],
) -> Path:
    """Atoms as TPS (voters ∝ rate), one unit per base, travel from ``minutes_of(unit, atom)``.
    Travel is tiny against the 60-min service so that busy time is service time."""
    tps = [(f"A{j}", -1.9, 106.1, round(10_000 * rate)) for j, (_, rate) in enumerate(atoms)]
    bases = [(f"B{n}", -1.9, 106.1) for n in range(n_units)]
    units = [(f"U{n}", f"B{n}") for n in range(n_units)]
    minutes = {
        (f"B{n}", f"A{j}"): minutes_of(n, j) for n in range(n_units) for j in range(len(atoms))
    }
    return write_region(tmp / name, tps, bases, units, minutes)


def hypercube_checks(
    tmp: Path,
    seed: int,
    reps: int,
    hours: float = 2000.0,
    atoms: Sequence[tuple[Sequence[int], float]] | None = None,
    label: str = "Hypercube (Larson)",
) -> list[Check]:
    """Fixed-preference dispatch via ``travel=matrix``: unit workloads and dispatch shares."""
    atoms = atoms or [(pref, r) for pref, rates in LARSON_GROUPS for r in rates]
    n_units = len(atoms[0][0])
    lam = sum(r for _, r in atoms)

    def minutes_of(n: int, j: int) -> float:
        return 0.001 * (1 + list(atoms[j][0]).index(n))

    folder = hypercube_region(
        tmp, label.split()[0].lower() + str(len(atoms)), atoms, n_units, minutes_of
    )
    res = preset(folder, hours, lam, 60.0, reps, seed, travel="matrix")
    cube = theory.hypercube([r for _, r in atoms], [p for p, _ in atoms], n_units, 1.0, True)
    units = res.units
    out = []
    for n in range(n_units):
        util = units[units["unit_id"] == f"U{n}"].sort_values("replication")["utilization"]
        out.append(check(label, f"workload unit {n + 1}", float(cube.workload[n]), util.to_numpy()))
    inc = steady_part(res.incidents, hours)
    for n in range(n_units):
        share = per_rep(inc, reps, lambda d, u=f"U{n}": float((d["first_unit_id"] == u).mean()))
        out.append(
            check(
                label, f"dispatch share unit {n + 1}", float(cube.dispatch_fraction[n].sum()), share
            )
        )
    return out


def random_spatial_atoms(
    seed: int, n_atoms: int = 8, n_units: int = 4
) -> list[tuple[tuple[int, ...], float]]:
    """Random atom rates and a preference list per atom by distance from random unit homes."""
    rng = np.random.default_rng(seed)
    atom_xy, unit_xy = rng.random((n_atoms, 2)), rng.random((n_units, 2))
    rates = rng.uniform(0.5, 1.5, n_atoms)
    rates = np.round(rates / rates.sum() * 2.4, 4)  # λ ≈ 2.4/h on 4 units: ρ ≈ 0.6
    dist = np.linalg.norm(atom_xy[:, None, :] - unit_xy[None, :, :], axis=2)
    return [(tuple(int(u) for u in np.argsort(dist[j])), float(rates[j])) for j in range(n_atoms)]


def mt_infinite_checks(tmp: Path, seed: int, reps: int) -> list[Check]:
    """M(t)/M/∞: rate 3/h for 12 h then 9/h (a step), mean service 60 min, 40 units (never all
    busy): mean number busy at several times vs m(t) = ∫ λ(s) e^{−μ(t−s)} ds."""
    folder = write_region(
        tmp / "mtinf",
        [("T1", -1.9, 106.1, 500)],
        [("B1", -1.9, 106.1)],
        [(f"U{i}", "B1") for i in range(40)],
    )
    profile = "[" + ",".join(["1"] * 12 + ["3"] * 12) + "]"
    res = preset(folder, 24.0, 3.0, 60.0, reps, seed, extra=[f"incidents.hourly_profile={profile}"])
    trips = res.trips
    out = []
    for t_h in (6.0, 12.0, 13.0, 15.0, 20.0):
        t = 60 * t_h
        busy = trips[(trips["dispatched_at"] <= t) & (trips["cleared_at"] > t)]
        counts = np.bincount(busy["replication"], minlength=reps)
        truth = theory.mt_m_inf_mean_busy(t_h, [0.0, 12.0], [3.0, 9.0], 1.0)
        out.append(check("M(t)/M/∞ step", f"mean busy at {t_h:g} h", truth, counts))
    return out


def little_checks(tmp: Path, seed: int, reps: int, handling_factor: float = 1.0) -> list[Check]:
    """Little's law for the servers of M/M/3 from independent measurements: L, the time-average
    number of busy units, comes from the engine's own unit accounting (``utilization``); λ and
    W are the *inputs* (1.5 arrivals/h, 60-min mean handling). An engine whose handling or
    arrivals differ from what it was told fails. ``handling_factor`` breaks the engine on
    purpose (tests only)."""
    c, lam, hours = 3, 1.5, 2000.0
    folder = write_region(
        tmp / "little",
        [("T1", -1.9, 106.1, 500)],
        [("B1", -1.9, 106.1)],
        [(f"U{i}", "B1") for i in range(c)],
    )
    res = preset(folder, hours, lam, 60.0 * handling_factor, reps, seed)
    busy = res.units.groupby("replication")["utilization"].sum().to_numpy()
    return [check("Little's law (M/M/3 servers)", "L = λ·W busy units", lam * 1.0, busy)]


def monotone_checks(seed: int, reps: int, ignore_reserve: bool = False) -> list[Check]:
    """More reserve teams must shorten the mean reserve response where theory says they must (2
    → 8 teams on a tense day, incidents × 3: a significant decrease is required) and must never
    significantly lengthen it elsewhere (8 → 16 teams). Paired per-day differences on common
    random numbers. ``ignore_reserve`` runs a broken engine that ignores ``reserve_units``."""
    means = {}
    for n in (2, 8, 16):
        cfg = pilkadasim.compose(
            [
                f"staffing.reserve_units={2 if ignore_reserve else n}",
                "incidents.rate_scale=3",
                f"run.replications={reps}",
                f"run.seed={seed}",
                "run.progress=false",
            ]
        )
        inc = pilkadasim.simulate(cfg).incidents
        reserve = inc[reserve_needed(inc)].fillna({"response_min": 24 * 60.0})
        means[n] = per_rep(reserve, reps, lambda d: float(d["response_min"].mean()))
    m, (lo, hi) = interval(means[8] - means[2])
    out = [
        Check(
            "Monotonicity (CRN)", "Δ mean reserve response 2→8 teams < 0", 0.0, m, (lo, hi), hi < 0
        )
    ]
    m, (lo, hi) = interval(means[16] - means[8])
    out.append(
        Check(
            "Monotonicity (CRN)",
            "Δ mean reserve response 8→16 teams ≤ 0",
            0.0,
            m,
            (lo, hi),
            lo <= 0,
        )
    )
    return out


def coverage_checks(tmp: Path, seeds: int, reps: int = 10, hours: float = 150.0) -> list[Check]:
    """On M/M/3 the 95% CI that summary.json reports for the mean response should cover the
    true mean wait in about 95% of seeds (short runs, so the empty start biases slightly)."""
    c, lam, mu = 3, 1.5, 1.0
    folder = write_region(
        tmp / "cover",
        [("T1", -1.9, 106.1, 500)],
        [("B1", -1.9, 106.1)],
        [(f"U{i}", "B1") for i in range(c)],
    )
    truth = 60 * theory.mmc_mean_wait(c, lam, mu)
    hits = []
    for s in range(seeds):
        ci = preset(folder, hours, lam, 60.0, reps, 1000 + s).summary["response_min"]["ci95"]
        hits.append(ci["mean"][0] <= truth <= ci["mean"][1])
    p = float(np.mean(hits))
    half = stats.norm.ppf(0.5 + LEVEL / 2) * np.sqrt(0.95 * 0.05 / seeds)
    return [
        Check(
            "CI coverage (M/M/3)",
            f"share of {seeds} seeds covered",
            0.95,
            p,
            (max(p - half, 0.0), min(p + half, 1.0)),
            abs(p - 0.95) <= half,
        )
    ]


def run_all(quick: bool = False, seed: int = 7) -> list[Check]:
    reps = 8 if quick else 20
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        return [
            *mmc_checks(tmp, seed, reps),
            *cobham_checks(tmp, seed, reps),
            *hypercube_checks(tmp, seed, reps),
            *hypercube_checks(
                tmp, seed, reps, atoms=random_spatial_atoms(seed), label="Hypercube (random 8×4)"
            ),
            *mt_infinite_checks(tmp, seed, 100 if quick else 300),
            *little_checks(tmp, seed, reps),
            *monotone_checks(seed, 60 if quick else 200),
            *coverage_checks(tmp, 40 if quick else 100),
            *([] if quick else coverage_study_checks(seed)),
        ]


COVERAGE_SCENARIOS = {"Bangka default": [], "tense day (incidents × 2)": ["incidents.rate_scale=2"]}


def coverage_study_checks(
    seed: int, repetitions: int = 400, pool_days: int = 20_000, truth_days: int = 40_000
) -> list[Check]:
    """The day-bootstrap coverage study (:mod:`pilkadasim.validate_coverage`) as checks."""
    from pilkadasim import validate_coverage as cov

    rows = cov.study(COVERAGE_SCENARIOS, (50, 200), repetitions, pool_days, truth_days, seed)
    return [
        Check(
            f"Coverage {r['scenario']}, R = {r['R']}",
            f"95% {r['statistic']}",
            0.95,
            r["coverage"],
            cov.BAND,
            r["passed"],
        )
        for r in rows
    ]


def markdown(checks: list[Check]) -> str:
    head = f"| check | quantity | theory | simulation | {LEVEL:.0%} CI | verdict |"
    lines = [head, "|---|---|---:|---:|---:|---|"]
    lines += ["| " + " | ".join(c.row()) + " |" for c in checks]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="pilkadasim-validate", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer replications (about 1 minute)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    checks = run_all(args.quick, args.seed)
    failed = [c for c in checks if not c.passed]
    if args.markdown:
        print(markdown(checks))
        print(f"\n{len(checks) - len(failed)} passed, {len(failed)} failed")
        return 1 if failed else 0
    table = Table(title=f"pilkadasim validation (seed {args.seed}, {LEVEL:.0%} CI)")
    for col in ("check", "quantity", "theory", "simulation", f"{LEVEL:.0%} CI", "verdict"):
        table.add_column(col, justify="left" if col in ("check", "quantity") else "right")
    for c in checks:
        table.add_row(*c.row(), style=None if c.passed else "bold red")
    Console().print(table)
    print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
