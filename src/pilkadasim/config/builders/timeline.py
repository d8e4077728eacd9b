"""The ``timeline`` group → :class:`~pilkadasim.core.scenario.TimelineSpec`."""

from __future__ import annotations

from omegaconf import DictConfig

from pilkadasim.config.builders.distribution import build_distribution
from pilkadasim.core.scenario import TimelineSpec


def build_timeline(cfg: DictConfig) -> TimelineSpec:
    t = cfg.timeline
    if t.mode == "steady":
        return TimelineSpec.steady(float(t.start_at), float(t.start_at) + 60.0 * t.hours)
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
