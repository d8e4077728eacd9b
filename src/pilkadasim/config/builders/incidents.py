"""The ``incidents`` group → :class:`~pilkadasim.core.scenario.IncidentSpec`: incident types,
the rate table ``rate[stage, category, type]``, site weights, delays, escalation and
clustering."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from omegaconf import DictConfig

from pilkadasim.config.builders.distribution import build_distribution
from pilkadasim.core import distributions as D
from pilkadasim.core.scenario import (
    CATEGORIES,
    SIGNALS,
    STAGES,
    Clustering,
    Escalation,
    IncidentSpec,
    IncidentType,
    Region,
    Sites,
    frozen_array,
)
from pilkadasim.core.travel import haversine_km
from pilkadasim.errors import InputError

FloatArray = NDArray[np.float64]
Rates = tuple[tuple[IncidentType, ...], FloatArray, FloatArray]  # types, rate, site weight


def build_incidents(
    cfg: DictConfig, region: Region, signal: pd.Series | None = None
) -> IncidentSpec:
    inc = cfg.incidents
    types, rate, weight = (
        _poisson_rates(inc, region.sites) if inc.model == "poisson" else _stage_rates(inc, region)
    )
    return IncidentSpec(
        types=types,
        rate_per_hour=frozen_array(rate, float),
        site_weight=frozen_array(weight, float),
        hourly_profile=frozen_array(list(inc.hourly_profile), float),
        units_needed=_ints3(inc.units_needed),
        severity_factor=_floats3(inc.severity_handling_factor),
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
        report_extra_min=_signal_delay(inc.signal_extra_delay_min, signal, len(region.sites)),
    )


def type_labels(cfg: DictConfig) -> dict[str, dict[str, str]]:
    """Each incident type's name in Indonesian and English (``type -> {"id", "en"}``)."""
    if cfg.incidents.model == "poisson":
        return {"incident": {"id": "Insiden", "en": "Incident"}}
    return {
        name: {"id": t.label_id or name, "en": t.label_en or name}
        for name, t in cfg.incidents.types.items()
    }


def _ints3(values: Iterable[float]) -> tuple[int, int, int]:
    one, two, three = (int(x) for x in values)  # by severity 1, 2, 3 (validated)
    return one, two, three


def _floats3(values: Iterable[float]) -> tuple[float, float, float]:
    one, two, three = (float(x) for x in values)
    return one, two, three


def _poisson_rates(inc: DictConfig, sites: Sites) -> Rates:
    """One exponential ``incident`` type; the region's rate split over the TPS by voters."""
    types = (
        IncidentType(
            "incident",
            np.array(list(inc.severity), dtype=float),
            D.Exponential(float(inc.handling_mean_min)),
        ),
    )
    rate = np.zeros((len(STAGES), len(CATEGORIES), 1))
    rate[STAGES.index("steady"), :, 0] = inc.rate_per_hour * inc.rate_scale
    voters = sites.voters
    if voters.sum() <= 0:
        raise InputError(
            "incidents=poisson splits the rate by the voters column of "
            "tps.csv, but every TPS has 0 voters"
        )
    return types, rate, voters / voters.sum()


def _stage_rates(inc: DictConfig, region: Region) -> Rates:
    """rate = stage rate × category factor × the type's share of the stage's mix × scale."""
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
        stage_rate[:, None, None] * cat_factor[None, :, None] * share[:, None, :] * inc.rate_scale
    )
    return types, rate, voters_weight(region.sites, float(inc.voters_exponent))


def voters_weight(sites: Sites, exponent: float) -> FloatArray:
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


def _signal_delay(extra: DictConfig, signal: pd.Series | None, n_sites: int) -> FloatArray | None:
    """Extra reporting minutes per site from the TPS's ``signal`` (None when all are 0)."""
    minutes = {k: float(extra.get(k, 0.0)) for k in SIGNALS}
    if signal is None or not any(minutes.values()):
        return None
    out = np.zeros(n_sites)
    out[: len(signal)] = signal.map(minutes).to_numpy(float)
    return frozen_array(out, float)


def _clustering(cl: DictConfig, region: Region) -> Clustering:
    if not cl.enabled:
        return Clustering.off()
    s = region.sites
    neighbors = []
    for i in range(len(s)):
        km = haversine_km(s.lat[i], s.lon[i], s.lat, s.lon)
        neighbors.append(frozen_array(np.flatnonzero(km <= cl.radius_km), np.int64))
    return Clustering(True, float(cl.children_mean), float(cl.delay_mean_min), tuple(neighbors))
