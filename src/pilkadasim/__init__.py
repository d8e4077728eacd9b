"""pilkadasim — discrete-event simulation of election-day security for Pilkada planning.

The public Python API::

    import pilkadasim
    cfg = pilkadasim.compose(["staffing.reserve_units=8", "run.replications=50"])
    res = pilkadasim.simulate(cfg)
    res.incidents, res.units, res.summary
    res.save("out/")

Heavy libraries (pandas, Hydra) are imported only when these functions are called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Results", "__version__", "compose", "simulate"]

if TYPE_CHECKING:
    from pilkadasim.api import Results


def compose(overrides: list[str] | None = None) -> Any:
    """Compose the packaged configuration with Hydra overrides (``["run.seed=7", ...]``)."""
    from pilkadasim.api import compose as _compose

    return _compose(overrides)


def simulate(cfg: Any, *, progress: bool = False) -> Results:
    """Validate ``cfg``, build the scenario once and run ``run.replications`` replications."""
    from pilkadasim.api import simulate as _simulate

    return _simulate(cfg, progress=progress)


def __getattr__(name: str) -> Any:
    if name == "Results":
        from pilkadasim.api import Results

        return Results
    raise AttributeError(name)
