"""One replication: one simulated election day.

The day's incidents are written in advance (``core.incidents``); :meth:`DayModel.incident_source`
walks that log, one timed event per incident. A severity-1 incident is taken by a free TPS
guard of its group if there is one; everything else is reported to the command post after the
reporting delay, which sends units by the dispatch policy or queues the call (severity first,
then first come first served).

A unit's day is a chain of event handlers, one per transition of its state machine, each
scheduled with :meth:`DayModel.after`: :meth:`~DayModel.send` (idle or returning →
dispatched), :meth:`~DayModel.drive` (→ travelling), :meth:`~DayModel.arrive` (→ on scene),
:meth:`~DayModel.free` (scene cleared → next call or returning), :meth:`~DayModel.home`
(→ idle). A phase of zero length is not scheduled at all, so the validation presets cost two
events per call (arrival and clearance), and a return home is cancelled lazily by a token when
the unit is re-tasked on the way.

``run_replication(scenario, replication, seed)`` is a pure function of its arguments.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import simpy

from pilkadasim.core.dispatch import make_policy
from pilkadasim.core.guards import GuardPool
from pilkadasim.core.incidents import IncidentLog, generate_incidents
from pilkadasim.core.records import Records
from pilkadasim.core.rng import Streams
from pilkadasim.core.scenario import MINUTES_PER_HOUR, Scenario
from pilkadasim.core.timeline import TRANSPORT, draw_day
from pilkadasim.core.units import DISPATCHED, IDLE, ON_SCENE, RETURNING, TRAVELLING, Fleet

NAN = math.nan
GUARD, RESERVE, TNI, UNSERVED = range(4)


class Call:
    """An incident as the command post sees it, from occurrence to clearance."""

    __slots__ = (
        "arrived",
        "arrived_at",
        "cleared_at",
        "dispatched_at",
        "escalated",
        "first_guard",
        "first_unit",
        "handling_min",
        "index",
        "needed",
        "occurred_at",
        "reported_at",
        "severity",
        "site",
        "started",
        "units",
    )

    def __init__(
        self,
        index: int,
        site: int,
        severity: int,
        needed: int,
        occurred_at: float,
        handling_min: float,
    ) -> None:
        self.index = index
        self.site = site
        self.severity = severity
        self.needed = needed
        self.occurred_at = occurred_at
        self.handling_min = handling_min
        self.reported_at = NAN
        self.dispatched_at = NAN
        self.arrived_at = NAN
        self.cleared_at = NAN
        self.units: list[int] = []
        self.arrived = 0
        self.started = False
        self.first_unit = -1
        self.first_guard = -1
        self.escalated = False

    @property
    def outstanding(self) -> int:
        return self.needed - len(self.units)

    def queue_key(self) -> tuple[int, float, int]:
        return (-self.severity, self.reported_at, self.index)


class DayModel:
    def __init__(
        self,
        scenario: Scenario,
        replication: int,
        seed: int,
        log: IncidentLog | None = None,
        region: int = 0,
    ) -> None:
        self.sc = scenario
        self.replication = replication
        streams = Streams(seed, replication, region)
        self.day = draw_day(scenario, streams)
        self.log = generate_incidents(scenario, self.day, streams) if log is None else log
        self.env = simpy.Environment(initial_time=scenario.timeline.start_at)
        self.fleet = Fleet(scenario)
        self.guards = GuardPool(scenario, self.day)
        self.policy = make_policy(scenario)
        self.n_bases = len(scenario.region.bases)
        self.n_tps = scenario.region.sites.n_tps
        spec = scenario.incidents
        self.units_needed = spec.units_needed
        self.severity_factor = spec.severity_factor
        self.escalation = spec.escalation
        self.hourly = scenario.travel.hourly_factor.tolist()
        tr = scenario.travel
        self.flat_traffic = all(h == 1.0 for h in self.hourly) and not (
            self.day.raining and tr.rain_factor != 1.0
        )
        # the log's columns as lists: scalar access to numpy arrays is slow in the event loop
        log = self.log
        self.sev_of, self.site_of = log.severity.tolist(), log.site.tolist()
        self.handling_of = log.handling_min.tolist()
        self.delay_of = log.reporting_delay_min.tolist()
        self.queue: list[Call] = []
        self.calls: list[Call] = []
        self.legs: list[tuple[int, int, float, float]] = []  # unit, call, dispatched, cleared
        self.records = Records()

    # ------------------------------------------------------------------ helpers
    def after(self, delay: float, action: Callable[[], None]) -> None:
        """Run ``action`` ``delay`` minutes from now (at once, synchronously, if 0)."""
        if delay > 0:
            self.env.timeout(delay).callbacks.append(lambda _ev: action())
        else:
            action()

    def traffic(self, t: float) -> float:
        """Travel-time multiplier at ``t``: hour-of-day factor, times rain if raining."""
        if self.flat_traffic:
            return 1.0
        tr = self.sc.travel
        f: float = self.hourly[int(t // MINUTES_PER_HOUR) % 24]
        if self.day.raining and tr.rain_from_at <= t < tr.rain_until_at:
            f *= tr.rain_factor
        return f

    def run(self) -> Records:
        self.times = self.log.occurred_at.tolist()
        if self.times:
            self.after(self.times[0] - self.env.now, lambda: self.incident_source(0))
        self.env.run(until=self.sc.timeline.end_at)
        self._record()
        return self.records

    def incident_source(self, i: int) -> None:
        """Incident ``i`` happens now; the next one is scheduled (one event per incident)."""
        self.on_occurred(i)
        if i + 1 < len(self.times):
            nxt = self.times[i + 1]
            self.after(nxt - self.env.now, lambda: self.incident_source(i + 1))

    # ------------------------------------------------------------------ incidents
    def on_occurred(self, i: int) -> None:
        severity = self.sev_of[i]
        call = Call(
            i,
            self.site_of[i],
            severity,
            self.units_needed[severity - 1],
            self.env.now,
            self.handling_of[i],
        )
        self.calls.append(call)
        if severity <= self.guards.max_severity and self.try_guard(call):
            return
        self.after(self.delay_of[i], lambda: self.on_reported(call))

    def try_guard(self, call: Call) -> bool:
        """Let a TPS guard handle ``call`` if one of its group is free; bookkeeping only."""
        if call.site >= self.n_tps or not self.guards.post:
            return False
        now = self.env.now
        factor = self.traffic(now)
        if self.log.stage[call.index] == TRANSPORT and self.guards.escort_of_tps[call.site] >= 0:
            guard, minutes, reported = self.guards.escort_of_tps[call.site], 0.0, now
        else:
            found = self.guards.nearest_free(call.site, now, factor)
            if found is None:
                return False
            guard, minutes = found
            at_post = self.guards.post[guard] == call.site
            reported = now if at_post else now + self.delay_of[call.index]
        call.reported_at = call.dispatched_at = reported
        call.arrived_at = reported + minutes
        call.cleared_at = call.arrived_at + call.handling_min * self.severity_factor[0]
        call.first_guard = guard
        back = self.guards.travel_back(guard, call.site, factor)
        self.guards.occupy(guard, call.cleared_at + back)
        return True

    def on_reported(self, call: Call) -> None:
        call.reported_at = self.env.now
        self.dispatch(call)
        if call.outstanding > 0:
            self.queue.append(call)
        esc = self.escalation
        if (
            esc.enabled
            and call.severity < 3
            and self.log.escalation_draw[call.index] < esc.probability
        ):
            self.after(esc.threshold_min, lambda: self.escalate(call))

    def escalate(self, call: Call) -> None:
        """Severity + 1 for a call nobody has reached yet; may need more (or other) units."""
        if not math.isnan(call.arrived_at):
            return
        call.severity += 1
        call.escalated = True
        call.needed = max(call.needed, self.units_needed[call.severity - 1])
        if call.outstanding > 0:
            self.dispatch(call)
            if call.outstanding > 0 and call not in self.queue:
                self.queue.append(call)

    def dispatch(self, call: Call) -> None:
        """Send up to ``call.outstanding`` units chosen by the policy."""
        fleet = self.fleet
        if fleet.n == 0:
            return
        eta = fleet.eta(call.site, self.env.now, self.traffic(self.env.now))
        for unit in self.policy.choose(fleet, call, call.outstanding, eta):
            mobilise = fleet.mobilisation[unit] if fleet.status[unit] == IDLE else 0.0
            self.send(unit, call, mobilise, eta[unit] - mobilise)

    # ------------------------------------------------------------------ unit transitions
    def send(self, unit: int, call: Call, mobilise: float, drive: float) -> None:
        """idle / returning / on scene → dispatched."""
        fleet, now = self.fleet, self.env.now
        if fleet.status[unit] == RETURNING:
            fleet.return_token[unit] += 1  # the pending arrival home no longer counts
        fleet.move(unit, DISPATCHED)
        fleet.dispatches[unit] += 1
        fleet.busy_since[unit] = now
        call.units.append(unit)
        if math.isnan(call.dispatched_at):
            call.dispatched_at = now
        self.after(mobilise, lambda: self.drive(unit, call, drive))

    def drive(self, unit: int, call: Call, minutes: float) -> None:
        """dispatched → travelling."""
        self.fleet.move(unit, TRAVELLING)
        self.after(minutes, lambda: self.arrive(unit, call))

    def arrive(self, unit: int, call: Call) -> None:
        """travelling → on scene; handling starts when every unit needed is there."""
        fleet = self.fleet
        fleet.move(unit, ON_SCENE)
        fleet.scene_node[unit] = self.n_bases + call.site
        call.arrived += 1
        if call.first_unit < 0:
            call.arrived_at = self.env.now
            call.first_unit = unit
        if call.arrived >= call.needed and not call.started:
            call.started = True
            minutes = call.handling_min * self.severity_factor[call.severity - 1]
            self.after(minutes, lambda: self.clear(call))

    def clear(self, call: Call) -> None:
        call.cleared_at = self.env.now
        for unit in call.units:
            self.free(unit, call)

    def free(self, unit: int, call: Call) -> None:
        """on scene → the most urgent queued call the unit may take, else returning."""
        env, fleet = self.env, self.fleet
        fleet.busy_min[unit] += env.now - fleet.busy_since[unit]
        self.legs.append((unit, call.index, fleet.busy_since[unit], env.now))
        factor = self.traffic(env.now)
        nxt = self.next_queued_for(unit)
        if nxt is not None:
            self.send(unit, nxt, 0.0, fleet.travel_from_scene(unit, nxt.site, factor))
            if nxt.outstanding <= 0:
                self.queue.remove(nxt)
            return
        fleet.move(unit, RETURNING)
        minutes = fleet.home_minutes(call.site)[unit] * factor
        fleet.return_start[unit] = env.now
        fleet.return_end[unit] = env.now + minutes
        token = fleet.return_token[unit]
        self.after(minutes, lambda: self.home(unit, token))

    def home(self, unit: int, token: int) -> None:
        """returning → idle, unless the unit was re-tasked on the way (stale token)."""
        if self.fleet.return_token[unit] == token:
            self.fleet.move(unit, IDLE)

    def next_queued_for(self, unit: int) -> Call | None:
        if not self.queue:
            return None
        best: Call | None = None
        for call in self.queue:
            if self.policy.accepts(self.fleet, unit, call) and (
                best is None or call.queue_key() < best.queue_key()
            ):
                best = call
        return best

    # ------------------------------------------------------------------ records
    def _record(self) -> None:
        calls, tier = self.calls, self.fleet.tier
        handled = [
            GUARD
            if c.first_guard >= 0
            else (TNI if tier[c.first_unit] > 0 else RESERVE)
            if c.first_unit >= 0
            else UNSERVED
            for c in calls
        ]
        stage = self.log.stage.tolist()
        kind = self.log.type.tolist()
        columns = {
            "replication": [self.replication] * len(calls),
            "incident_id": [c.index for c in calls],
            "site": [c.site for c in calls],
            "type": [kind[c.index] for c in calls],
            "severity": [c.severity for c in calls],
            "stage": [stage[c.index] for c in calls],
            "occurred_at": [c.occurred_at for c in calls],
            "reported_at": [c.reported_at for c in calls],
            "dispatched_at": [c.dispatched_at for c in calls],
            "arrived_at": [c.arrived_at for c in calls],
            "cleared_at": [c.cleared_at for c in calls],
            "handled_by": handled,
            "units_sent": [1 if c.first_guard >= 0 else len(c.units) for c in calls],
            "first_unit": [c.first_unit for c in calls],
            "first_guard": [c.first_guard for c in calls],
            "escalated": [c.escalated for c in calls],
        }
        for name, values in columns.items():
            self.records.incidents[name].extend(values)
        trips = self.records.trips
        trips["replication"].extend([self.replication] * len(self.legs))
        for k, name in enumerate(("unit", "incident_id", "dispatched_at", "cleared_at")):
            trips[name].extend(leg[k] for leg in self.legs)
        self._record_units()

    def _record_units(self) -> None:
        window = self.sc.timeline.end_at - self.sc.timeline.start_at
        fleet, units = self.fleet, self.records.units
        for u in range(fleet.n):
            busy = fleet.busy_min[u]
            if fleet.status[u] not in (IDLE, RETURNING):
                busy += self.env.now - fleet.busy_since[u]  # still busy at the horizon
            row = (self.replication, u, fleet.dispatches[u], busy, busy / window)
            for name, value in zip(units, row, strict=True):
                units[name].append(value)


def run_replication(
    scenario: Scenario,
    replication: int,
    seed: int,
    log: IncidentLog | None = None,
    region: int = 0,
) -> Records:
    """Simulate one election day; a pure function of its arguments. ``log`` replays a given
    incident log instead of drawing one (fixed call sets, exact-trace tests); ``region`` is
    the index of this kabupaten in a multi-region run (its own random streams)."""
    return DayModel(scenario, replication, seed, log, region).run()
