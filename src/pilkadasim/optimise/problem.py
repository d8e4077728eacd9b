"""The staging problem: scenarios, movable units, candidate bases, designs and travel times.

One :class:`Problem` per guard pattern (one, or every pattern with ``optimise.split``). The
reserve teams (units of ``staffing.reserve_kind``) are movable; fixed units (Dalmas, TNI) too
with ``optimise.move_fixed``. Units of the same kind and crew are interchangeable, so a design
lists their bases sorted (its canonical form) and equal designs are simulated once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from omegaconf import DictConfig, OmegaConf

from pilkadasim.config.builders import Built, to_scenario
from pilkadasim.core.scenario import BASE_KINDS, Scenario
from pilkadasim.errors import InputError
from pilkadasim.optimise.evaluate import Design
from pilkadasim.optimise.settings import Settings


@dataclass
class Problem:
    pattern: str
    cfg: DictConfig  # the configuration of this pattern (budget and pattern applied)
    built: Built
    movable: tuple[int, ...]  # unit indices
    groups: tuple[tuple[int, ...], ...]  # positions in ``movable`` of interchangeable units
    candidates: tuple[int, ...]  # base indices

    @property
    def scenario(self) -> Scenario:
        return self.built.scenario

    def design(self, bases: list[int] | tuple[int, ...]) -> Design:
        """The canonical design with movable unit ``k`` at ``bases[k]``."""
        out = list(bases)
        for g in self.groups:
            for pos, b in zip(g, sorted(out[p] for p in g), strict=True):
                out[pos] = b
        return Design(self.pattern, tuple(int(b) for b in out))

    def current(self) -> Design:
        return self.design([self.scenario.units[u].base for u in self.movable])

    def plan_rows(self, design: Design) -> list[tuple[str, str]]:
        """``(unit_id, base_id)`` of every movable unit, moving as few units as possible
        from where the current plan has them (interchangeable units are matched)."""
        ids = self.scenario.region.bases.ids
        now = [self.scenario.units[u].base for u in self.movable]
        bases = list(design.bases)
        for g in self.groups:
            left = [design.bases[p] for p in g]
            stay = []
            for p in g:
                if now[p] in left:
                    left.remove(now[p])
                    stay.append(p)
            movers = [p for p in g if p not in stay]
            for p, b in zip(movers, self._nearest(movers, now, left), strict=True):
                bases[p] = b
            for p in stay:
                bases[p] = now[p]
        return [
            (self.scenario.units[u].unit_id, ids[b])
            for u, b in zip(self.movable, bases, strict=True)
        ]

    def _nearest(self, movers: list[int], now: list[int], free: list[int]) -> list[int]:
        """New bases for ``movers``, matched greedily by distance (short arrows on the map)."""
        b = self.scenario.region.bases
        pairs = sorted(
            ((b.lat[now[p]] - b.lat[f]) ** 2 + (b.lon[now[p]] - b.lon[f]) ** 2, i, j)
            for i, p in enumerate(movers)
            for j, f in enumerate(free)
        )
        got: dict[int, int] = {}
        used: set[int] = set()
        for _, i, j in pairs:
            if i not in got and j not in used:
                got[i] = free[j]
                used.add(j)
        return [got[i] for i in range(len(movers))]


def base_site_minutes(scenario: Scenario, unit: int) -> np.ndarray:
    """Bases × sites: minutes from a call at the base to unit ``unit`` on scene (mobilisation
    plus reference travel at the unit's speed; no hour or rain factor). The one place the
    optimiser reads the travel table."""
    u = scenario.units[unit]
    n_bases = len(scenario.region.bases)
    rows = np.arange(n_bases)[:, None]
    sites = np.arange(len(scenario.region.sites))[None, :]
    return u.mobilisation_min + np.asarray(scenario.travel.minutes[rows, sites]) * u.speed_factor


def pattern_cfg(cfg: DictConfig, settings: Settings, pattern: str | None) -> DictConfig:
    out = OmegaConf.create(OmegaConf.to_container(cfg, resolve=True))
    assert isinstance(out, DictConfig)
    if pattern is not None:
        out.staffing.guard_pattern = pattern
        out.staffing.fill_budget = True
    elif settings.budget is not None:
        out.staffing.reserve_units = settings.budget
    return out


def build_problems(cfg: DictConfig, settings: Settings) -> tuple[Problem, list[Problem]]:
    """The current plan's problem, and one problem per guard pattern to search (the current
    one unless ``split``: then every pattern, filling the personnel budget with teams)."""
    built = to_scenario(pattern_cfg(cfg, settings, None))
    current = _problem(pattern_cfg(cfg, settings, None), built, settings)
    problems = [current]
    if settings.split:
        current.pattern = "current"
        problems = []
        for pattern in (p for p, v in cfg.staffing.guard_patterns.items() if v):
            pcfg = pattern_cfg(cfg, settings, pattern)
            built = to_scenario(pcfg, validated=True)
            problems.append(_problem(pcfg, built, settings, allow_empty=True))
    if settings.budget is not None and built.region.units is not None:
        raise InputError(
            "optimise.budget: the region's units.csv fixes the reserve teams; "
            "remove optimise.budget or the units.csv"
        )
    if settings.split and built.region.units is not None:
        raise InputError("optimise.split: the region's units.csv fixes the fleet; use split=false")
    return current, problems


def _problem(
    cfg: DictConfig, built: Built, settings: Settings, *, allow_empty: bool = False
) -> Problem:
    sc = built.scenario
    kind = str(cfg.staffing.reserve_kind)
    movable = tuple(i for i, u in enumerate(sc.units) if u.kind == kind or settings.move_fixed)
    if not movable and not allow_empty:  # a pattern that leaves no teams is a valid split
        raise InputError(
            f"optimise: no reserve teams (units of kind {kind!r}) to place; set "
            "staffing.reserve_units or optimise.budget"
        )
    ids = sc.region.bases.ids
    partner = {BASE_KINDS.index("koramil"), BASE_KINDS.index("polda")}  # not police bases
    police = [
        b for b, k in zip(ids, sc.region.bases.kind.tolist(), strict=True) if k not in partner
    ]
    chosen = police if settings.candidates is None else settings.candidates
    unknown = [c for c in chosen if c not in ids]
    if unknown:
        raise InputError(
            f"optimise.candidates: no base {unknown[0]!r} in bases.csv (bases: {', '.join(ids)})"
        )
    groups: dict[tuple[str, int], list[int]] = {}
    for pos, u in enumerate(movable):
        groups.setdefault((sc.units[u].kind, sc.units[u].crew), []).append(pos)
    return Problem(
        str(cfg.staffing.guard_pattern),
        cfg,
        built,
        movable,
        tuple(tuple(g) for g in groups.values()),
        tuple(ids.index(c) for c in dict.fromkeys(chosen)),
    )
