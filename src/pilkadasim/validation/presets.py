"""The validation presets: a tiny region folder, the packaged configuration reduced to a
queueing model by overrides alone (docs/validation.md), and the verdict of one check (theory
inside the simulation's confidence interval across replications).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

import pilkadasim

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
