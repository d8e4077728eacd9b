"""The single seam from configuration to the core: ``to_scenario(cfg)``.

Validates the config, reads the region files, and builds the frozen
:class:`~pilkadasim.core.scenario.Scenario` — travel tables, rate tables, guard groups and
units — once per run. What the outer layers need to name things (TPS ids, unit ids, type
labels, the staffing split) comes back alongside in :class:`Built`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig

from pilkadasim.config.geo import haversine_km, unit_vectors
from pilkadasim.config.operation import with_kpu_office, with_operation, with_surges
from pilkadasim.config.plan import apply_plan
from pilkadasim.config.validate import validate
from pilkadasim.core import distributions as D
from pilkadasim.core.scenario import (
    BASE_KINDS,
    CATEGORIES,
    SIGNALS,
    STAGES,
    Bases,
    Clustering,
    DispatchSpec,
    Escalation,
    GuardSpec,
    IncidentSpec,
    IncidentType,
    Region,
    Scenario,
    Sites,
    TimelineSpec,
    TravelSpec,
    UnitSpec,
    frozen_array,
)
from pilkadasim.core.travel import (
    ArrayPairs,
    MatrixPairs,
    RoadPairs,
    TravelTable,
    ZeroPairs,
)
from pilkadasim.data.loaders import RegionData, load_region
from pilkadasim.errors import InputError


@dataclass
class Built:
    """A scenario and the names the outer layers need to describe it."""

    scenario: Scenario
    region: RegionData
    units: pd.DataFrame  # unit_id, base_id, kind, crew, police
    type_labels: dict[str, dict[str, str]]  # type -> {"id": ..., "en": ...}
    staffing: dict[str, Any] = field(default_factory=dict)


def region_parts(cfg: DictConfig) -> int:
    """Number of kabupaten the configured region consists of (a synthetic country has many;
    they are built and simulated one at a time)."""
    if cfg.region.name == "synthetic":
        from pilkadasim.data.synthetic import country

        return len(country(int(cfg.region.tps), int(cfg.region.seed)))
    return 1


def to_scenario(cfg: DictConfig, part: int = 0, *, validated: bool = False) -> Built:
    """Validate ``cfg`` (unless already ``validated``) and build everything one run (of
    kabupaten ``part``) needs."""
    if not validated:
        validate(cfg)
    region_data = load_region_data(cfg, part)
    steady = cfg.timeline.mode == "steady"
    region = build_region(region_data, with_ppk=bool(cfg.region.ppk) and not steady)
    region = with_kpu_office(cfg, region)  # timeline=operation (config.operation)
    guards, guard_count = build_guards(cfg, region, region_data.tps["desa"])
    units_df = build_unit_table(cfg, region_data, region, reserve_teams(cfg, guard_count))
    units_df = apply_plan(units_df, cfg.staffing, region.bases.ids)  # staffing.plan(_file)
    travel = build_travel(cfg, region, region_data)
    units = build_units(cfg, region, units_df)
    scenario = Scenario(
        region=region,
        timeline=with_operation(cfg, region, build_timeline(cfg)),
        incidents=with_surges(cfg, build_incidents(cfg, region, region_data.tps.get("signal"))),
        guards=guards,
        units=units,
        dispatch=DispatchSpec(
            policy=cfg.dispatch.policy,
            reserve_k=int(cfg.dispatch.reserve_k),
            cutoff_severity=int(cfg.dispatch.cutoff_severity),
            doctrine=str(cfg.dispatch.doctrine),
            capability_wait_min=float(cfg.dispatch.capability_wait_min),
            guard_max_travel_min=float(cfg.dispatch.guard_max_travel_min),
        ),
        travel=travel,
    )
    if not validated:
        from pilkadasim.config.limits import check_incident_volume

        check_incident_volume(scenario, int(cfg.run.seed))
    labels = (
        {
            name: {"id": t.label_id or name, "en": t.label_en or name}
            for name, t in cfg.incidents.types.items()
        }
        if cfg.incidents.model != "poisson"
        else {"incident": {"id": "Insiden", "en": "Incident"}}
    )
    staffing = personnel_split(cfg, guard_count, units_df)
    return Built(scenario, region_data, units_df, labels, staffing)


def load_region_data(cfg: DictConfig, part: int = 0) -> RegionData:
    """The region files (or generated kabupaten ``part``) the config names, checked."""
    if cfg.region.name == "synthetic":
        from pilkadasim.data.synthetic import country, region_data

        return region_data(country(int(cfg.region.tps), int(cfg.region.seed)), part)
    matrix = cfg.travel.matrix_file if cfg.travel.mode == "matrix" else None
    return load_region(cfg.region.name, cfg.region.dir, matrix, tuple(cfg.staffing.unit_kinds))


# ---------------------------------------------------------------------------- region
def build_region(data: RegionData, *, with_ppk: bool) -> Region:
    tps, bases = data.tps, data.bases
    kec_names = tuple(dict.fromkeys(tps["kecamatan"]))
    kec_index = {k: i for i, k in enumerate(kec_names)}
    tps_kec = tps["kecamatan"].map(kec_index).to_numpy()
    base_kec = _base_kecamatan(tps, bases, kec_index)
    lat, lon = tps["lat"].to_numpy(float), tps["lon"].to_numpy(float)
    ids = list(tps["tps_id"])
    category = [CATEGORIES.index(c) for c in tps["category"]]
    voters = tps["voters"].to_numpy(float)
    n_tps = len(tps)
    ppk_site = np.zeros(n_tps, dtype=np.int64)
    if with_ppk:
        ppk_ids = [f"PPK {name}" for name in kec_names]
        clash = sorted(set(ppk_ids) & set(ids))
        if clash:
            raise InputError(
                f"tps.csv, column tps_id: {clash[0]!r} is also the id of the generated PPK "
                "office of that kecamatan; rename the TPS (or set region.ppk=false)"
            )
        kinds = bases["kind"].to_numpy()
        members = np.split(np.argsort(tps_kec, kind="stable"), np.cumsum(np.bincount(tps_kec)))
        plat, plon = np.empty(len(kec_names)), np.empty(len(kec_names))
        given = {} if data.ppk is None else {r.kecamatan: r for r in data.ppk.itertuples()}
        for k, name in enumerate(kec_names):
            polsek = np.flatnonzero((base_kec == k) & (kinds == "polsek"))
            if name in given:  # ppk.csv: the office's own position
                plat[k], plon[k] = given[name].lat, given[name].lon
            elif len(polsek):
                plat[k], plon[k] = bases["lat"].iloc[polsek[0]], bases["lon"].iloc[polsek[0]]
            else:
                plat[k], plon[k] = lat[members[k]].mean(), lon[members[k]].mean()
        ppk_site = n_tps + tps_kec.astype(np.int64)
        ids += ppk_ids
        category += [CATEGORIES.index("ppk")] * len(kec_names)
        lat, lon = np.concatenate([lat, plat]), np.concatenate([lon, plon])
        tps_kec = np.concatenate([tps_kec, np.arange(len(kec_names))])
        voters = np.concatenate([voters, np.zeros(len(kec_names))])
    sites = Sites(
        tuple(ids),
        frozen_array(tps_kec, np.int64),
        frozen_array(category, np.int64),
        frozen_array(lat, float),
        frozen_array(lon, float),
        frozen_array(voters, float),
        n_tps,
        frozen_array(ppk_site, np.int64),
    )
    base_spec = Bases(
        tuple(bases["base_id"]),
        frozen_array([BASE_KINDS.index(k) for k in bases["kind"]], np.int64),
        frozen_array(base_kec, np.int64),
        frozen_array(bases["lat"].to_numpy(float), float),
        frozen_array(bases["lon"].to_numpy(float), float),
    )
    return Region(data.name, kec_names, sites, base_spec)


def _base_kecamatan(
    tps: pd.DataFrame, bases: pd.DataFrame, kec_index: dict[str, int]
) -> np.ndarray:
    """A base's kecamatan: its ``kecamatan`` column if given, else the nearest TPS's."""
    from scipy.spatial import cKDTree

    tree = cKDTree(unit_vectors(tps["lat"], tps["lon"]))
    _, idx = tree.query(unit_vectors(bases["lat"], bases["lon"]))
    nearest = tps["kecamatan"].to_numpy()[np.asarray(idx, dtype=np.int64)]
    if "kecamatan" in bases.columns:
        given = bases["kecamatan"].to_numpy()
        nearest = np.where(pd.Series(given).isin(kec_index).to_numpy(), given, nearest)
    return np.array([kec_index[k] for k in nearest], dtype=np.int64)


# ---------------------------------------------------------------------------- timeline
def build_distribution(key: str, d: DictConfig) -> D.Distribution:
    try:
        if d.dist == "deterministic":
            return D.Deterministic(float(d.value))
        if d.dist == "exponential":
            return D.Exponential(float(d.mean))
        if d.dist == "uniform":
            return D.Uniform(float(d.low), float(d.high))
        if d.p95 is not None:
            return D.LogNormal.from_median_p95(float(d.median), float(d.p95))
        if d.sigma is not None:
            return D.LogNormal(float(d.median), float(d.sigma))
        return D.LogNormal.from_mean_cv(float(d.mean), float(d.cv))
    except ValueError as err:
        raise InputError(f"{key}: {err}") from None


def build_timeline(cfg: DictConfig) -> TimelineSpec:
    t = cfg.timeline
    if t.mode == "steady":
        return TimelineSpec("steady", float(t.start_at), float(t.start_at) + 60.0 * t.hours)
    return TimelineSpec(
        mode="election_day",
        start_at=float(t.start_at),
        end_at=float(t.end_at),
        open_at=float(t.open_at),
        close_at=float(t.close_at),
        late_open_probability=float(t.late_open_probability),
        late_open_delay=build_distribution("timeline.late_open_delay_min", t.late_open_delay_min),
        close_delay=build_distribution("timeline.close_delay_min", t.close_delay_min),
        counting=build_distribution("timeline.counting_min", t.counting_min),
        count_deadline_at=float(t.count_deadline_at),
        handover=build_distribution("timeline.handover_min", t.handover_min),
        recap_tail_min=float(t.recap_tail_min),
    )


# ---------------------------------------------------------------------------- incidents
def build_incidents(
    cfg: DictConfig, region: Region, signal: pd.Series | None = None
) -> IncidentSpec:
    inc = cfg.incidents
    n_sites = len(region.sites)
    if inc.model == "poisson":
        types = (
            IncidentType(
                "incident",
                np.array(list(inc.severity), dtype=float),
                D.Exponential(float(inc.handling_mean_min)),
            ),
        )
        rate = np.zeros((len(STAGES), len(CATEGORIES), 1))
        rate[STAGES.index("steady"), :, 0] = inc.rate_per_hour * inc.rate_scale
        voters = region.sites.voters
        if voters.sum() <= 0:
            raise InputError(
                "incidents=poisson splits the rate by the voters column of "
                "tps.csv, but every TPS has 0 voters"
            )
        weight = voters / voters.sum()
    else:
        names = list(inc.types)
        types = tuple(
            IncidentType(
                name,
                np.array(list(t.severity), dtype=float),
                build_distribution(f"incidents.types.{name}.handling_min", t.handling_min),
            )
            for name, t in inc.types.items()
        )
        mix = np.array([[float(inc.types[n].mix.get(s, 0.0)) for n in names] for s in STAGES])
        share = np.divide(
            mix,
            mix.sum(axis=1, keepdims=True),
            out=np.zeros_like(mix),
            where=mix.sum(axis=1, keepdims=True) > 0,
        )
        stage_rate = np.array([float(inc.stage_rate_per_hour.get(s, 0.0)) for s in STAGES])
        cat_factor = np.array([float(inc.category_factor.get(c, 1.0)) for c in CATEGORIES])
        rate = (
            stage_rate[:, None, None]
            * cat_factor[None, :, None]
            * share[:, None, :]
            * inc.rate_scale
        )
        weight = voters_weight(region.sites, float(inc.voters_exponent))
    return IncidentSpec(
        types=types,
        rate_per_hour=frozen_array(rate, float),
        site_weight=frozen_array(weight, float),
        hourly_profile=frozen_array(list(inc.hourly_profile), float),
        units_needed=tuple(int(x) for x in inc.units_needed),  # type: ignore[arg-type]
        severity_factor=tuple(float(x) for x in inc.severity_handling_factor),  # type: ignore[arg-type]
        reporting_delay=build_distribution(
            "incidents.reporting_delay_min", inc.reporting_delay_min
        ),
        escalation=Escalation(
            bool(inc.escalation.enabled),
            float(inc.escalation.threshold_min),
            float(inc.escalation.probability),
        ),
        clustering=_clustering(inc.clustering, region),
        tension_cv=float(inc.tension_cv),
        report_extra_min=_signal_delay(inc.signal_extra_delay_min, signal, n_sites),
    )


def voters_weight(sites: Sites, exponent: float) -> np.ndarray:
    """Busier TPS see more incidents: weight ∝ voters^exponent, scaled so that the weights
    of each category's TPS average 1 (the category's expected total is unchanged). PPK
    offices, and a category whose TPS all have 0 voters, keep weight 1."""
    weight = np.ones(len(sites))
    if exponent == 0:
        return weight
    n = sites.n_tps
    raw = sites.voters[:n] ** exponent
    for cat in np.unique(sites.category[:n]):
        members = np.flatnonzero(sites.category[:n] == cat)
        total = raw[members].sum()
        if total > 0:
            weight[members] = raw[members] * len(members) / total
    return weight


def _signal_delay(extra: DictConfig, signal: pd.Series | None, n_sites: int) -> Any:
    """Extra reporting minutes per site from the TPS's ``signal`` (None when all are 0)."""
    minutes = {k: float(extra.get(k, 0.0)) for k in SIGNALS}
    if signal is None or not any(minutes.values()):
        return None
    out = np.zeros(n_sites)
    out[: len(signal)] = signal.map(minutes).to_numpy(float)
    return frozen_array(out, float)


def _clustering(cl: DictConfig, region: Region) -> Clustering:
    if not cl.enabled:
        return Clustering()
    s = region.sites
    neighbors = []
    for i in range(len(s)):
        km = haversine_km(s.lat[i], s.lon[i], s.lat, s.lon)
        neighbors.append(frozen_array(np.flatnonzero(km <= cl.radius_km), np.int64))
    return Clustering(True, float(cl.children_mean), float(cl.delay_mean_min), tuple(neighbors))


# ---------------------------------------------------------------------------- staffing
def build_guards(cfg: DictConfig, region: Region, desa: pd.Series) -> tuple[GuardSpec, int]:
    """Group the TPS of one category within one kecamatan, ``b`` at a time in desa order (so a
    group spans at most a desa boundary), with ``p`` guards each (pattern ``[p, b]``); guards
    are posted evenly over their group's TPS."""
    s = region.sites
    pattern = cfg.staffing.guard_patterns[cfg.staffing.guard_pattern]
    if not pattern:
        return GuardSpec.none(s.n_tps), 0
    n = s.n_tps
    desa_code = pd.factorize(desa.astype(str))[0]
    kec, cat = s.kecamatan[:n], s.category[:n]
    order = np.lexsort((s.lon[:n], s.lat[:n], desa_code, cat, kec))
    group_of = np.full(n, -1, dtype=np.int64)
    guard_group: list[int] = []
    guard_post: list[int] = []
    keys = list(zip(kec[order].tolist(), cat[order].tolist(), strict=True))
    start, n_groups = 0, 0
    while start < n:
        stop = start
        while stop < n and keys[stop] == keys[start]:
            stop += 1
        police, per_group = (int(x) for x in pattern.get(CATEGORIES[keys[start][1]], [0, 1]))
        run = order[start:stop]
        for g0 in range(0, len(run), per_group) if police > 0 else ():
            members = run[g0 : g0 + per_group]
            group, n_groups = n_groups, n_groups + 1  # a counter: linear in the TPS
            group_of[members] = group
            for k in range(police):
                guard_group.append(group)
                guard_post.append(int(members[k * len(members) // police]))
        start = stop
    spec = GuardSpec(
        frozen_array(group_of, np.int64),
        frozen_array(guard_group, np.int64),
        frozen_array(guard_post, np.int64),
    )
    return spec, len(guard_group)


def reserve_teams(cfg: DictConfig, guards: int) -> int:
    """``staffing.reserve_units``, or with ``fill_budget`` as many teams as the personnel
    total allows after TPS guards, fixed police units and ``support_min``."""
    s = cfg.staffing
    if not s.fill_budget:
        return int(s.reserve_units)
    fixed = sum(
        int(f.count) * int(s.unit_kinds[f.kind].crew)
        for f in s.fixed_units.values()
        if s.unit_kinds[f.kind].police
    )
    free = int(s.personnel_total) - guards - fixed - int(s.support_min)
    return max(0, free // int(s.unit_kinds[s.reserve_kind].crew))


def build_unit_table(
    cfg: DictConfig, data: RegionData, region: Region, n_reserve: int
) -> pd.DataFrame:
    """The mobile fleet: units.csv if the region has one, else reserve teams + fixed units."""
    if data.units is not None:
        return data.units[["unit_id", "base_id", "kind", "crew"]].assign(
            crew=lambda f: f["crew"].astype(int)
        )
    s = cfg.staffing
    rows = []
    bases = placement_bases(s.placement, n_reserve, data, region)
    kind = s.unit_kinds[s.reserve_kind]
    for i, base in enumerate(bases, start=1):
        rows.append((f"{s.reserve_kind}_{i:02d}", base, s.reserve_kind, int(kind.crew)))
    for name, fixed in s.fixed_units.items():
        if int(fixed.count) == 0:  # switched off: its base need not exist
            continue
        where = _bases_for(fixed.base, data, region)
        for i in range(int(fixed.count)):
            rows.append(
                (
                    f"{name}_{i + 1:02d}",
                    where[i % len(where)],
                    fixed.kind,
                    int(s.unit_kinds[fixed.kind].crew),
                )
            )
    return pd.DataFrame(rows, columns=["unit_id", "base_id", "kind", "crew"])


def _bases_for(spec: str, data: RegionData, region: Region) -> list[str]:
    ids = list(data.bases["base_id"])
    if spec in ids:
        return [spec]
    if spec in BASE_KINDS:
        found = (
            polsek_by_size(data, region)
            if spec == "polsek"
            else [b for b, k in zip(ids, data.bases["kind"], strict=True) if k == spec]
        )
        if found:
            return found
    raise InputError(
        f"staffing: no base {spec!r} in bases.csv (ids: {', '.join(ids)}; or a "
        f"kind: {', '.join(sorted(set(data.bases['kind'])))})"
    )


def polsek_by_size(data: RegionData, region: Region) -> list[str]:
    """Polsek ids, the one with the most TPS in its kecamatan first."""
    s = region.sites
    tps_per_kec = np.bincount(s.kecamatan[: s.n_tps], minlength=len(region.kecamatan))
    polsek = [i for i, k in enumerate(data.bases["kind"]) if k == "polsek"]
    polsek.sort(key=lambda i: -tps_per_kec[region.bases.kecamatan[i]])
    return [data.bases["base_id"].iloc[i] for i in polsek]


def placement_bases(placement: str, n: int, data: RegionData, region: Region) -> list[str]:
    """Where ``n`` reserve teams are staged: all at Polres, spread over Polsek (largest
    kecamatan first), half and half (mixed), or over the staging posts."""
    if n == 0:
        return []
    if placement == "polres":
        return _bases_for("polres", data, region)[:1] * n
    if placement == "polsek":
        spread = _bases_for("polsek", data, region)
        return [spread[i % len(spread)] for i in range(n)]
    if placement == "posts":
        spread = _bases_for("pos", data, region)
        return [spread[i % len(spread)] for i in range(n)]
    polres = _bases_for("polres", data, region)[0]
    spread = _bases_for("polsek", data, region)
    at_polres = math.ceil(n / 2)
    return [polres] * at_polres + [spread[i % len(spread)] for i in range(n - at_polres)]


def personnel_split(cfg: DictConfig, guards: int, units: pd.DataFrame) -> dict[str, Any]:
    """How the personnel total is used. A plan needing more than the total is allowed (a
    what-if with reinforcements) and reported as ``over_budget``."""
    kinds = cfg.staffing.unit_kinds
    police = units[[bool(kinds[k].police) for k in units["kind"]]] if len(units) else units
    by_kind = police.groupby("kind")["crew"].agg(["count", "sum"]) if len(police) else None
    reserve = int(police["crew"].sum()) if len(police) else 0
    total = int(cfg.staffing.personnel_total)
    other = total - guards - reserve
    partner = units[[not bool(kinds[k].police) for k in units["kind"]]] if len(units) else units
    return {
        "personnel_total": total,
        "tps_guards": guards,
        "reserve": reserve,
        "reserve_by_kind": {
            k: {"units": int(r["count"]), "personnel": int(r["sum"])} for k, r in by_kind.iterrows()
        }
        if by_kind is not None
        else {},
        "reserve_teams": int((units["kind"] == cfg.staffing.reserve_kind).sum()),
        "command_and_support": max(other, 0),
        "over_budget": max(-other, 0),
        "partner_units": len(partner),
        "partner_personnel": int(partner["crew"].sum()) if len(partner) else 0,
    }


def build_units(cfg: DictConfig, region: Region, units_df: pd.DataFrame) -> tuple[UnitSpec, ...]:
    kinds = cfg.staffing.unit_kinds
    return tuple(
        UnitSpec(
            unit_id=r.unit_id,
            base=region.bases.ids.index(r.base_id),
            kind=r.kind,
            crew=int(r.crew),
            capability=int(kinds[r.kind].capability),
            mobilisation_min=_mobilisation(cfg, r.kind),
            speed_factor=_speed_factor(cfg, r.kind),
            tier=int(kinds[r.kind].tier),
            police=bool(kinds[r.kind].police),
        )
        for r in units_df.itertuples()
    )


def _mobilisation(cfg: DictConfig, kind: str) -> float:
    """Mobilisation delay of a unit kind; none in the poisson validation preset."""
    if cfg.incidents.model == "poisson":
        return 0.0
    return float(cfg.staffing.unit_kinds[kind].mobilisation_min)


# ---------------------------------------------------------------------------- travel
def _speed_factor(cfg: DictConfig, kind: str) -> float:
    t = cfg.travel
    if t.mode != "road":
        return 1.0
    return float(t.reference_speed_kmh) / float(t.speed_kmh[kind])


def build_travel(cfg: DictConfig, region: Region, data: RegionData) -> TravelSpec:
    t = cfg.travel
    s, b = region.sites, region.bases
    if t.mode == "zero":
        table = TravelTable(len(b), len(s), ZeroPairs(), ZeroPairs())
    elif t.mode == "road":
        per_km = float(t.detour_factor) / float(t.reference_speed_kmh) * 60.0
        if not math.isfinite(per_km * 40_075.0):  # minutes around the Earth
            raise InputError(
                f"travel.detour_factor = {t.detour_factor}, reference_speed_kmh = "
                f"{t.reference_speed_kmh}: travel minutes overflow; use a detour factor "
                "between 1 and about 3"
            )
        site_xyz, base_xyz = unit_vectors(s.lat, s.lon), unit_vectors(b.lat, b.lon)
        base_pairs = RoadPairs(base_xyz, site_xyz, per_km)
        table = TravelTable(len(b), len(s), base_pairs, RoadPairs(site_xyz, site_xyz, per_km))
    else:
        assert data.travel is not None
        table = matrix_table(data, region)
    road = t.mode == "road"
    return TravelSpec(
        mode=t.mode,
        minutes=table,
        guard_factor=_speed_factor(cfg, "guard") if road else 1.0,
        box_factor=_speed_factor(cfg, "box") if road else 1.0,
        hourly_factor=frozen_array(list(t.hourly_factor), float),
        rain_probability=float(t.rain_probability),
        rain_from_at=float(t.rain_from_at),
        rain_until_at=float(t.rain_until_at),
        rain_factor=float(t.rain_factor),
    )


def matrix_table(data: RegionData, region: Region) -> TravelTable:
    """Minutes from nodes to sites out of travel_minutes.csv. Base→TPS pairs are required
    (checked on load); a missing TPS→TPS pair is the reverse pair or, failing that, routed via
    the best base; PPK offices use the TPS nearest to them."""
    s, b = region.sites, region.bases
    n_tps = s.n_tps
    base_index = {bid: i for i, bid in enumerate(b.ids)}
    tps_index = pd.Series(np.arange(n_tps), index=list(s.ids[:n_tps]))
    assert data.travel is not None
    tr = data.travel
    to = tps_index.reindex(tr["to_id"]).to_numpy()
    frm_tps = tps_index.reindex(tr["from_id"]).to_numpy()
    minutes = tr["minutes"].to_numpy(float)
    base_tps = np.full((len(b), n_tps), np.nan)
    from_base = tr["from_id"].map(base_index).to_numpy()
    sel = ~np.isnan(from_base) & ~np.isnan(to)
    base_tps[from_base[sel].astype(np.int64), to[sel].astype(np.int64)] = minutes[sel]
    pair = ~np.isnan(frm_tps) & ~np.isnan(to)
    keys = frm_tps[pair].astype(np.int64) * n_tps + to[pair].astype(np.int64)
    alias = np.concatenate([np.arange(n_tps), nearest_tps(s)])
    pairs = MatrixPairs(keys, minutes[pair], base_tps, alias)
    return TravelTable(len(b), len(s), ArrayPairs(base_tps, alias), pairs)


def nearest_tps(s: Sites) -> np.ndarray:
    """For each PPK office (sites after the TPS): the index of the nearest TPS."""
    from scipy.spatial import cKDTree

    if len(s) == s.n_tps:
        return np.zeros(0, dtype=np.int64)
    tree = cKDTree(unit_vectors(s.lat[: s.n_tps], s.lon[: s.n_tps]))
    _, idx = tree.query(unit_vectors(s.lat[s.n_tps :], s.lon[s.n_tps :]))
    return np.asarray(idx, dtype=np.int64)
