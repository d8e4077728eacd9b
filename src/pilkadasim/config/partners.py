"""Partners outside the police personnel total: Linmas, TNI from the Koramil, Brimob BKO.

``staffing.partners`` switches each on or off (docs/model.md, docs/sources.md):

- ``linmas``: ``per_tps`` Linmas at every TPS take incidents up to ``max_severity`` on the spot
  (``pilkadasim.core.partners``);
- ``koramil``: ``per_base`` TNI squads (unit kind ``kind``) at every base of kind ``koramil``
  in bases.csv — one Koramil per kecamatan in the packaged Bangka data — the second tier;
- ``brimob``: ``per_base`` Brimob teams at every base of kind ``polda`` (Polda Babel in
  Pangkalpinang), the third tier with a long mobilisation.

Satpol PP are not modelled: the sources name them as a partner but give no numbers or role.

Partners are off in the validation preset (``incidents=poisson``), so it reduces exactly to its
queueing model; units.csv, when a region has one, is the whole fleet (no partner units added).
A partner whose base kind is missing from bases.csv adds no unit, and the staffing summary
says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the schema module must stay importable without pandas
    import pandas as pd
    from omegaconf import DictConfig

    from pilkadasim.core.partners import LinmasSpec
    from pilkadasim.data.loaders import RegionData


@dataclass
class LinmasConfig:
    enabled: bool = False
    per_tps: int = 2
    max_severity: int = 1


@dataclass
class PartnerUnitsConfig:
    enabled: bool = False
    kind: str = "tni"  # a staffing.unit_kinds entry
    base_kind: str = "koramil"  # bases.csv kind where the units wait
    per_base: int = 1


@dataclass
class PartnersConfig:
    linmas: LinmasConfig = field(default_factory=LinmasConfig)
    koramil: PartnerUnitsConfig = field(default_factory=PartnerUnitsConfig)
    brimob: PartnerUnitsConfig = field(
        default_factory=lambda: PartnerUnitsConfig(kind="brimob", base_kind="polda", per_base=2)
    )


MOBILE = ("koramil", "brimob")


def active(cfg: DictConfig) -> bool:
    """Partners take part (not in the validation preset's queueing model)."""
    return str(cfg.incidents.model) != "poisson"


def linmas_spec(cfg: DictConfig) -> LinmasSpec | None:
    from pilkadasim.core.partners import LinmasSpec

    lm = cfg.staffing.partners.linmas
    if not (active(cfg) and lm.enabled):
        return None
    return LinmasSpec(per_tps=int(lm.per_tps), max_severity=int(lm.max_severity))


def partner_rows(cfg: DictConfig, data: RegionData) -> list[tuple[str, str, str, int]]:
    """(unit_id, base_id, kind, crew) of the mobile partner units switched on."""
    if not active(cfg) or data.units is not None:
        return []
    s = cfg.staffing
    rows = []
    for name in MOBILE:
        p = s.partners[name]
        if not p.enabled:
            continue
        kinds = zip(data.bases["base_id"], data.bases["kind"], strict=True)
        bases = [b for b, k in kinds if k == p.base_kind]
        crew = int(s.unit_kinds[p.kind].crew)
        slots = [b for b in bases for _ in range(int(p.per_base))]
        rows += [(f"{name}_{i:02d}", b, str(p.kind), crew) for i, b in enumerate(slots, 1)]
    return rows


def partner_staffing(cfg: DictConfig, data: RegionData, units: pd.DataFrame) -> dict[str, Any]:
    """The partners block of the staffing summary: who, how many, and what is missing."""
    s = cfg.staffing
    out: dict[str, Any] = {}
    lm = s.partners.linmas
    if active(cfg) and lm.enabled:
        n_tps = len(data.tps)
        out["linmas"] = {"units": n_tps, "personnel": n_tps * int(lm.per_tps)}
    partner = units[[not bool(s.unit_kinds[k].police) for k in units["kind"]]]
    for kind, grp in partner.groupby("kind", sort=False):
        out[str(kind)] = {"units": len(grp), "personnel": int(grp["crew"].sum())}
    missing = [
        f"{name}: no base of kind {s.partners[name].base_kind!r} in bases.csv"
        for name in MOBILE
        if active(cfg)
        and data.units is None
        and s.partners[name].enabled
        and s.partners[name].base_kind not in set(data.bases["kind"])
    ]
    return {"partners": out, "partners_missing": missing}


def validate_partners(c: Any, s: DictConfig) -> None:
    """Value checks of ``staffing.partners`` (``c`` is config.checks' Checker)."""
    from pilkadasim.core.scenario import BASE_KINDS

    lm = s.partners.linmas
    c.number("staffing.partners.linmas.per_tps", lm.per_tps, 1, 10)
    c.number("staffing.partners.linmas.max_severity", lm.max_severity, 1, 3)
    for name in MOBILE:
        p = s.partners[name]
        c.choice(f"staffing.partners.{name}.kind", p.kind, list(s.unit_kinds))
        c.choice(f"staffing.partners.{name}.base_kind", p.base_kind, BASE_KINDS)
        c.number(f"staffing.partners.{name}.per_base", p.per_base, 1, 20)
