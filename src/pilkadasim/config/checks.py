"""Value checks on a composed configuration, all at once, before anything runs.

The schema already rejects unknown keys and wrong types; this module rejects values that are
well-typed but meaningless (a negative rate, a probability of 1.5, an unknown pattern name),
naming the key, the value and what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from omegaconf import DictConfig, OmegaConf

from pilkadasim.config.operation import check as check_operation
from pilkadasim.config.partners import validate_partners
from pilkadasim.config.rosters import check as check_rosters
from pilkadasim.core.dispatch import POLICIES
from pilkadasim.core.scenario import CATEGORIES, DOCTRINES, SIGNALS, STAGES, TPS_CATEGORIES
from pilkadasim.errors import InputError

REGIONS = ("bangka", "custom", "synthetic")
PLACEMENTS = ("polres", "polsek", "mixed", "posts")
DISTS = ("deterministic", "exponential", "uniform", "lognormal")


class Checker:
    """Collects problems as ``key = value: what is wrong``."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, key: str, value: Any, why: str) -> None:
        self.problems.append(f"{key} = {value!r}: {why}")

    def number(
        self,
        key: str,
        value: Any,
        low: float | None = None,
        high: float | None = None,
        *,
        strict_low: bool = False,
    ) -> None:
        if value is None or not math.isfinite(float(value)):
            self.fail(key, value, "must be a finite number")
            return
        if low is not None and (value < low or (strict_low and value == low)):
            self.fail(key, value, f"must be {'>' if strict_low else '>='} {low}")
        if high is not None and value > high:
            self.fail(key, value, f"must be <= {high}")

    def choice(self, key: str, value: Any, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        if value not in allowed:
            self.fail(key, value, f"unknown; use one of {', '.join(map(str, allowed))}")

    def keys(self, key: str, mapping: dict[str, Any], allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for k in mapping:
            if k not in allowed:
                self.fail(f"{key}.{k}", mapping[k], f"unknown name {k!r}; use {', '.join(allowed)}")


def validate(cfg: DictConfig) -> None:
    """Raise :class:`InputError` listing every problem of ``cfg``."""
    c = Checker()
    _run(c, cfg.run)
    c.choice("region", cfg.region.name, REGIONS)
    if cfg.region.name == "synthetic":
        c.number("region.tps", cfg.region.tps, 1, strict_low=False)
        _generator(c, cfg.region.generator)
    _timeline(c, cfg.timeline)
    _incidents(c, cfg.incidents, cfg.timeline.mode)
    check_operation(c.fail, cfg)  # timeline=operation, incidents.surges
    _staffing(c, cfg.staffing)
    c.choice("dispatch.policy", cfg.dispatch.policy, sorted(POLICIES))
    c.number("dispatch.reserve_k", cfg.dispatch.reserve_k, 0)
    c.number("dispatch.cutoff_severity", cfg.dispatch.cutoff_severity, 1, 3)
    c.choice("dispatch.doctrine", cfg.dispatch.doctrine, list(DOCTRINES))
    c.number("dispatch.capability_wait_min", cfg.dispatch.capability_wait_min, 0)
    c.number("dispatch.guard_max_travel_min", cfg.dispatch.guard_max_travel_min, 0)
    _travel(c, cfg.travel, cfg.staffing)
    _couplings(c, cfg)
    c.choice("report.lang", cfg.report.lang, ("id", "en"))
    c.choice(
        "report.decision_metric",
        cfg.report.decision_metric,
        ("response_min", "reserve_response_min"),
    )
    c.choice("report.decision_rule", cfg.report.decision_rule, ("p90", "share"))
    c.number("report.decision_target_min", cfg.report.decision_target_min, 0, strict_low=True)
    c.number("report.decision_goal", cfg.report.decision_goal, 0, 1)
    if not cfg.report.targets_min:
        c.fail("report.targets_min", [], "give at least one target in minutes, e.g. [10, 30]")
    for i, t in enumerate(cfg.report.targets_min):
        c.number(f"report.targets_min[{i}]", t, 0, strict_low=True)
    targets = [float(t) for t in cfg.report.targets_min if t is not None]
    if targets and float(cfg.report.decision_target_min) not in targets:
        c.fail(
            "report.decision_target_min",
            cfg.report.decision_target_min,
            f"must be one of report.targets_min {targets} (the report tabulates the share "
            "within each target); add it there or pick one of them",
        )
    if c.problems:
        raise InputError(c.problems)


def _generator(c: Checker, g: DictConfig | None) -> None:
    key = "region.generator"
    if g is None:
        c.fail(
            key, None, "region=synthetic needs the generator block of conf/region/synthetic.yaml"
        )
        return
    for name in ("region_max_tps", "mean_tps_per_region", "tps_per_kecamatan", "km2_per_tps"):
        c.number(f"{key}.{name}", g[name], 0, strict_low=True)
    for name in ("region_size_sigma", "kecamatan_spread", "tps_scatter", "tps_per_desa"):
        c.number(f"{key}.{name}", g[name], 0, strict_low=True)
    for name in ("lat_range", "lon_range", "voters_range"):
        pair = list(g[name])
        if len(pair) != 2 or pair[0] > pair[1]:
            c.fail(f"{key}.{name}", pair, "needs [low, high] with low <= high")
    c.keys(f"{key}.category_p", g.category_p, TPS_CATEGORIES)
    shares = list(g.category_p.values())
    if not shares or min(shares) < 0 or abs(sum(shares) - 1) > 1e-6:
        c.fail(f"{key}.category_p", dict(g.category_p), "needs shares >= 0 summing to 1")


def _couplings(c: Checker, cfg: DictConfig) -> None:
    """Keys of different groups that must agree (each preset sets its companions)."""
    if cfg.timeline.mode == "steady" and cfg.region.ppk:
        c.fail(
            "region.ppk",
            True,
            "timeline=steady has no recap stage for PPK offices; set region.ppk=false "
            "(timeline=steady sets it)",
        )
    if cfg.incidents.model == "poisson" and cfg.staffing.mobilisation:
        c.fail(
            "staffing.mobilisation",
            True,
            "incidents=poisson is checked against queueing theory without a mobilisation "
            "delay; set staffing.mobilisation=false (incidents=poisson sets it)",
        )
    if cfg.get("experiment_name") == "sensitivity" and cfg.report.decision_rule == "share":
        c.fail(
            "report.decision_rule",
            "share",
            "experiment=sensitivity measures the change of the p90 (the tornado); "
            "drop report.decision_rule=share",
        )


def _run(c: Checker, run: DictConfig) -> None:
    c.number("run.replications", run.replications, 1)
    c.number("run.seed", run.seed, 0)
    if run.workers is not None:
        c.number("run.workers", run.workers, 1)


def dist(c: Checker, key: str, d: DictConfig) -> None:
    """Check a distribution block; the converter builds it (and re-checks ranges)."""
    c.choice(f"{key}.dist", d.dist, DISTS)
    needs: dict[str, list[tuple[str, ...]]] = {
        "deterministic": [("value",)],
        "exponential": [("mean",)],
        "uniform": [("low", "high")],
        "lognormal": [("median", "p95"), ("median", "sigma"), ("mean", "cv")],
    }
    need = needs.get(d.dist)
    if need and not any(all(d.get(p) is not None for p in ps) for ps in need):
        options = " or ".join("+".join(ps) for ps in need)
        c.fail(key, OmegaConf.to_container(d), f"a {d.dist} distribution needs {options}")


def _timeline(c: Checker, t: DictConfig) -> None:
    c.choice("timeline.mode", t.mode, ("election_day", "steady", "operation"))
    c.number("timeline.start_at", t.start_at, -1e9 if t.mode == "operation" else 0)
    if t.mode == "steady":
        c.number("timeline.hours", t.hours, 0, strict_low=True)
        return
    c.number("timeline.end_at", t.end_at, t.start_at, strict_low=True)
    c.number("timeline.open_at", t.open_at, t.start_at)
    c.number("timeline.close_at", t.close_at, t.open_at, strict_low=True)
    c.number("timeline.late_open_probability", t.late_open_probability, 0, 1)
    for name in ("late_open_delay_min", "close_delay_min", "counting_min", "handover_min"):
        dist(c, f"timeline.{name}", t[name])
    c.number("timeline.recap_tail_min", t.recap_tail_min, 0)


def _incidents(c: Checker, inc: DictConfig, mode: str) -> None:
    c.choice("incidents.model", inc.model, ("stage_rates", "poisson"))
    c.number("incidents.rate_scale", inc.rate_scale, 0)
    if inc.model == "poisson":
        c.number("incidents.rate_per_hour", inc.rate_per_hour, 0, strict_low=True)
        c.number("incidents.handling_mean_min", inc.handling_mean_min, 0, strict_low=True)
        if mode != "steady":
            c.fail("incidents", "poisson", "the poisson preset needs timeline=steady")
        sev = list(inc.severity)
        if len(sev) != 3 or min(sev) < 0 or abs(sum(sev) - 1) > 1e-6:
            c.fail("incidents.severity", sev, "needs three probabilities summing to 1")
    else:
        c.keys("incidents.stage_rate_per_hour", inc.stage_rate_per_hour, STAGES)
        for k, v in inc.stage_rate_per_hour.items():
            c.number(f"incidents.stage_rate_per_hour.{k}", v, 0)
        c.keys("incidents.category_factor", inc.category_factor, CATEGORIES)
        for k, v in inc.category_factor.items():
            c.number(f"incidents.category_factor.{k}", v, 0)
        if not inc.types:
            c.fail("incidents.types", {}, "define at least one incident type")
        for name, ty in inc.types.items():
            _incident_type(c, f"incidents.types.{name}", ty)
    profile = list(inc.hourly_profile)
    if len(profile) != 24 or min(profile, default=-1) < 0 or max(profile, default=0) <= 0:
        c.fail("incidents.hourly_profile", profile, "needs 24 numbers >= 0, not all zero")
    _triple(c, "incidents.units_needed", inc.units_needed, 1)
    _triple(c, "incidents.severity_handling_factor", inc.severity_handling_factor, 0)
    dist(c, "incidents.reporting_delay_min", inc.reporting_delay_min)
    c.number("incidents.escalation.threshold_min", inc.escalation.threshold_min, 0)
    c.number("incidents.escalation.probability", inc.escalation.probability, 0, 1)
    c.number("incidents.tension_cv", inc.tension_cv, 0, 3)
    c.number("incidents.voters_exponent", inc.voters_exponent, 0, 3)
    c.keys("incidents.signal_extra_delay_min", inc.signal_extra_delay_min, SIGNALS)
    for k, v in inc.signal_extra_delay_min.items():
        c.number(f"incidents.signal_extra_delay_min.{k}", v, 0, 1440)
    cl = inc.clustering
    if cl.enabled:
        c.number("incidents.clustering.children_mean", cl.children_mean, 0, 0.95)
        c.number("incidents.clustering.radius_km", cl.radius_km, 0, strict_low=True)
        c.number("incidents.clustering.delay_mean_min", cl.delay_mean_min, 0, strict_low=True)


def _incident_type(c: Checker, key: str, ty: DictConfig) -> None:
    c.keys(f"{key}.mix", ty.mix, STAGES)
    for stage, share in ty.mix.items():
        c.number(f"{key}.mix.{stage}", share, 0)
    sev = list(ty.severity)
    if len(sev) != 3 or min(sev) < 0 or abs(sum(sev) - 1) > 1e-6:
        c.fail(f"{key}.severity", sev, "needs three probabilities (severity 1, 2, 3) summing to 1")
    dist(c, f"{key}.handling_min", ty.handling_min)


def _triple(c: Checker, key: str, values: Any, low: float) -> None:
    vals = list(values)
    if len(vals) != 3 or any(v < low for v in vals) or (low == 0 and min(vals) <= 0):
        c.fail(
            key, vals, f"needs three numbers (severity 1, 2, 3), each {'>= 1' if low else '> 0'}"
        )


def _staffing(c: Checker, s: DictConfig) -> None:
    c.number("staffing.personnel_total", s.personnel_total, 0)
    c.choice("staffing.guard_pattern", s.guard_pattern, list(s.guard_patterns))
    for name, pattern in s.guard_patterns.items():
        c.keys(f"staffing.guard_patterns.{name}", pattern, TPS_CATEGORIES)
        for cat, pair in pattern.items():
            if len(pair) != 2 or min(pair) < 1:
                c.fail(
                    f"staffing.guard_patterns.{name}.{cat}",
                    list(pair),
                    "needs [police, TPS], both >= 1 (e.g. [2, 4] = 2 police per 4 TPS)",
                )
    c.number("staffing.reserve_units", s.reserve_units, 0)
    c.choice("staffing.reserve_kind", s.reserve_kind, list(s.unit_kinds))
    c.choice("staffing.placement", s.placement, PLACEMENTS)
    for name, kind in s.unit_kinds.items():
        key = f"staffing.unit_kinds.{name}"
        c.number(f"{key}.crew", kind.crew, 1)
        c.number(f"{key}.capability", kind.capability, 1, 3)
        c.number(f"{key}.mobilisation_min", kind.mobilisation_min, 0)
        c.number(f"{key}.tier", kind.tier, 0, 2)
    for name, fixed in s.fixed_units.items():
        c.choice(f"staffing.fixed_units.{name}.kind", fixed.kind, list(s.unit_kinds))
        c.number(f"staffing.fixed_units.{name}.count", fixed.count, 0)
    validate_partners(c, s)
    check_rosters(c, s)  # reserve_mode, patrol, shifts


def _travel(c: Checker, t: DictConfig, s: DictConfig) -> None:
    c.choice("travel.mode", t.mode, ("road", "matrix", "zero"))
    if t.mode == "road":
        c.number("travel.detour_factor", t.detour_factor, 1, 10)  # > 10 is not a road
        c.number("travel.reference_speed_kmh", t.reference_speed_kmh, 0, strict_low=True)
        for kind in [*s.unit_kinds, "guard", "box"]:
            if kind not in t.speed_kmh:
                c.fail(
                    f"travel.speed_kmh.{kind}",
                    None,
                    "missing: every unit kind, 'guard' and 'box' need a speed in km/h",
                )
        for kind, v in t.speed_kmh.items():
            c.number(f"travel.speed_kmh.{kind}", v, 0, strict_low=True)
    hourly = list(t.hourly_factor)
    if len(hourly) != 24 or min(hourly, default=0) <= 0:
        c.fail("travel.hourly_factor", hourly, "needs 24 numbers > 0")
    c.number("travel.rain_probability", t.rain_probability, 0, 1)
    c.number("travel.rain_factor", t.rain_factor, 0, strict_low=True)
