"""Probability distributions as small value objects.

Like a spec sheet for a random duration: each object validates its parameters when built,
prints readably, knows its own ``mean`` and ``variance`` (so tests can check samples against
them) and draws vectorised samples from a generator it is given — never from a global one.
All durations are in minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

Z95 = 1.6448536269514722  # standard normal 95% quantile


@runtime_checkable
class Distribution(Protocol):
    """What the core needs of a distribution."""

    @property
    def mean(self) -> float: ...

    @property
    def variance(self) -> float: ...

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]: ...


def _positive(name: str, value: float) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a positive number, got {value!r}")


@dataclass(frozen=True)
class Deterministic:
    """Always ``value`` minutes."""

    value: float

    def __post_init__(self) -> None:
        if not (self.value >= 0 and math.isfinite(self.value)):
            raise ValueError(f"value must be >= 0, got {self.value!r}")

    @property
    def mean(self) -> float:
        return self.value

    @property
    def variance(self) -> float:
        return 0.0

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return np.full(size, float(self.value))


@dataclass(frozen=True)
class Exponential:
    """Memoryless duration with the given ``mean``."""

    mean_min: float

    def __post_init__(self) -> None:
        _positive("mean", self.mean_min)

    @property
    def mean(self) -> float:
        return self.mean_min

    @property
    def variance(self) -> float:
        return self.mean_min**2

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return rng.exponential(self.mean_min, size)


@dataclass(frozen=True)
class Uniform:
    """Uniform between ``low`` and ``high``."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not (0 <= self.low <= self.high and math.isfinite(self.high)):
            raise ValueError(f"need 0 <= low <= high, got low={self.low}, high={self.high}")

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def variance(self) -> float:
        return (self.high - self.low) ** 2 / 12

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return rng.uniform(self.low, self.high, size)


@dataclass(frozen=True)
class LogNormal:
    """Long-tailed duration: ``log(X) ~ Normal(log(median), sigma)``."""

    median: float
    sigma: float

    def __post_init__(self) -> None:
        _positive("median", self.median)
        _positive("sigma", self.sigma)

    @classmethod
    def from_median_p95(cls, median: float, p95: float) -> LogNormal:
        """The lognormal with this median and 95th percentile (``p95 > median``)."""
        if not p95 > median > 0:
            raise ValueError(f"need p95 > median > 0, got median={median}, p95={p95}")
        return cls(median, math.log(p95 / median) / Z95)

    @classmethod
    def from_mean_cv(cls, mean: float, cv: float) -> LogNormal:
        """The lognormal with this mean and coefficient of variation."""
        _positive("mean", mean)
        _positive("cv", cv)
        sigma = math.sqrt(math.log1p(cv * cv))
        return cls(mean / math.exp(sigma * sigma / 2), sigma)

    @property
    def mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2)

    @property
    def variance(self) -> float:
        return self.mean**2 * math.expm1(self.sigma**2)

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return rng.lognormal(math.log(self.median), self.sigma, size)
