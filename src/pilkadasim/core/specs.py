"""The value objects of the days around the vote, kept apart from their behaviour so that
:mod:`pilkadasim.core.scenario` can hold them without importing the modules that read a
scenario: :class:`OperationSpec` (``timeline=operation``; behaviour in
:mod:`pilkadasim.core.operation`) and :class:`SurgeSpec` (protest surges at the PPK and KPU
offices; behaviour in :mod:`pilkadasim.core.surges`)."""

from __future__ import annotations

from dataclasses import dataclass

from pilkadasim.core.distributions import Distribution


@dataclass(frozen=True)
class OperationSpec:
    """The stages of the operation outside election day (times in minutes on the clock)."""

    kpu_site: int  # site index of the KPU kabupaten office (the last site)
    prep_from_at: float  # election-day set-up at the TPS begins (storage ends)
    ppk_delivery_at: tuple[float, float]  # KPU warehouse → PPK departures, uniform
    tps_delivery_at: tuple[float, float]  # PPK → TPS departures, uniform
    handover: Distribution  # unloading / handover at the end of every escort
    pleno_start_at: float
    pleno: Distribution  # length of a PPK pleno
    kpu_recap_start_at: float
    kpu_recap: Distribution  # length of the KPU kabupaten recap
    office_guards: int = 2  # guards posted at each PPK / KPU office while boxes are there

    def __post_init__(self) -> None:
        assert self.ppk_delivery_at[0] <= self.ppk_delivery_at[1]
        assert self.tps_delivery_at[0] <= self.tps_delivery_at[1]
        assert self.office_guards >= 0


@dataclass(frozen=True)
class SurgeSpec:
    stages: tuple[int, ...]  # stage indices in which surges start (at office sites)
    rate_per_hour: float  # surges per office per hour of those stages (before tension)
    extra_mean: float  # incidents per surge = 1 + Poisson(extra_mean)
    spread_min: float  # incidents of a surge fall uniformly in [start, start + spread)
    type_index: int  # the incident type a surge brings (protest)

    def __post_init__(self) -> None:
        assert self.rate_per_hour >= 0
        assert self.extra_mean >= 0
        assert self.spread_min >= 0
