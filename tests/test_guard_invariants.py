"""Guards on the Bangka day are never in two places: jobs, escorts and the travel limit."""

from __future__ import annotations

import itertools

import pilkadasim
from pilkadasim.config.builders import to_scenario
from pilkadasim.core.model import DayModel
from pilkadasim.core.timeline import TRANSPORT


def test_guards_never_in_two_places_on_busy_bangka_days():
    # Linmas off: they would take most severity-1 calls before a guard (test_partners.py)
    overrides = ["incidents.rate_scale=3", "staffing.partners.linmas.enabled=false"]
    sc = to_scenario(pilkadasim.compose(overrides)).scenario
    limit = sc.dispatch.guard_max_travel_min
    checked = 0
    for rep in range(12):
        model = DayModel(sc, rep, 2024)
        model.run()
        pool = model.guards
        pool.plan_all()  # the plan is per group and the same whenever it is made
        for windows in pool.windows:
            for (_s1, e1), (s2, _e2) in itertools.pairwise(windows):
                assert e1 <= s2, f"escort windows overlap: {windows}"
        jobs: dict[int, list[tuple[float, float]]] = {}
        for c in model.calls:
            g = c.first_guard
            if g < 0:
                continue
            on_box = model.log.stage[c.index] == TRANSPORT and pool.escort_of[c.site] == g
            walk = c.arrived_at - c.reported_at
            assert walk <= limit + 1e-9
            end = c.cleared_at + (0.0 if on_box else walk)
            jobs.setdefault(g, []).append((c.occurred_at, end))
            if not on_box:
                assert not pool.escorting(g, c.occurred_at, end), (rep, c.index, g)
            checked += 1
        for legs in jobs.values():
            for (_s1, e1), (s2, _e2) in itertools.pairwise(sorted(legs)):
                assert e1 <= s2 + 1e-9
    assert checked > 100
