"""Property tests: whatever the micro-scenario, the state machine's invariants hold."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from micro import micro_scenario
from pilkadasim.core import run_replication
from pilkadasim.core.distributions import Exponential, Uniform
from pilkadasim.core.scenario import Escalation

scenarios = st.builds(
    lambda n_tps, units, rate, travel, mob, sev3, esc, needed: micro_scenario(
        n_tps=n_tps,
        units=units,
        rate_per_hour=rate,
        travel_min=travel,
        mobilisation=mob,
        hours=24.0,
        severity=(1 - sev3, 0.0, sev3),
        reporting=Uniform(0, 5),
        handling=Exponential(30.0),
        units_needed=(1, 1, needed),
        escalation=Escalation(esc, 10.0, 0.5),
    ),
    n_tps=st.integers(1, 4),
    units=st.integers(1, 4),
    rate=st.floats(0.1, 6.0),
    travel=st.floats(0.0, 20.0),
    mob=st.floats(0.0, 10.0),
    sev3=st.floats(0.0, 0.5),
    esc=st.booleans(),
    needed=st.integers(1, 3),
)


@settings(max_examples=40, deadline=None)
@given(sc=scenarios, seed=st.integers(0, 2**32 - 1))
def test_times_are_ordered_and_units_never_double_booked(sc, seed):
    rec = run_replication(sc, 0, seed)
    inc = {k: np.asarray(v, dtype=float) for k, v in rec.incidents.items() if k.endswith("_at")}
    served = ~np.isnan(inc["arrived_at"])
    o, r, d, a, c = (
        inc[k][served]
        for k in ("occurred_at", "reported_at", "dispatched_at", "arrived_at", "cleared_at")
    )
    assert (o <= r).all()
    assert (r <= d).all()
    assert (d <= a).all()
    cleared = ~np.isnan(c)
    assert (a[cleared] <= c[cleared]).all()
    trips = rec.trips
    for unit in set(trips["unit"]):
        legs = sorted(
            (s, e)
            for u, s, e in zip(
                trips["unit"], trips["dispatched_at"], trips["cleared_at"], strict=True
            )
            if u == unit
        )
        for (s1, e1), (s2, _e2) in itertools.pairwise(legs):
            assert s1 <= e1 <= s2, f"unit {unit} double-booked: {legs}"
    busy = np.asarray(rec.units["busy_min"])
    assert (busy >= 0).all()
    assert (np.asarray(rec.units["utilization"]) <= 1 + 1e-9).all()
