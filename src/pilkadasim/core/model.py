"""One replication: one simulated election day.

The day's incidents are written in advance (``core.incidents``); a single SimPy process,
:meth:`DayModel.incident_source`, walks that log. A severity-1 incident is taken by a free TPS
guard of its group if there is one; everything else is reported to the command post after the
reporting delay, which sends units by the dispatch policy or queues the call (severity first,
then first come first served). Each unit leg is a short process, :meth:`DayModel.respond`; a
unit going home is :meth:`DayModel.return_home`, which a new dispatch may interrupt.

``run_replication(scenario, replication, seed)`` is a pure function of its arguments.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import simpy

from pilkadasim.core.dispatch import make_policy
from pilkadasim.core.guards import GuardPool
from pilkadasim.core.incidents import IncidentLog, generate_incidents
from pilkadasim.core.records import Records
from pilkadasim.core.rng import Streams
from pilkadasim.core.scenario import MINUTES_PER_HOUR, Scenario
from pilkadasim.core.timeline import TRANSPORT, draw_day
from pilkadasim.core.units import Fleet, UnitStatus

NAN = math.nan
GUARD, RESERVE, TNI, UNSERVED = range(4)


class Call:
    """An incident as the command post sees it, from occurrence to clearance."""

    __slots__ = (
        "arrived",
        "arrived_at",
        "cleared",
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
        self.cleared: simpy.Event | None = None

    @property
    def outstanding(self) -> int:
        return self.needed - len(self.units)

    def queue_key(self) -> tuple[int, float, int]:
        return (-self.severity, self.reported_at, self.index)


class DayModel:
    def __init__(
        self, scenario: Scenario, replication: int, seed: int, log: IncidentLog | None = None
    ) -> None:
        self.sc = scenario
        self.replication = replication
        streams = Streams(seed, replication)
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
        self.queue: list[Call] = []
        self.calls: list[Call] = []
        self.returns: list[simpy.Process | None] = [None] * self.fleet.n
        self.leg_call: list[int] = [-1] * self.fleet.n
        self.records = Records()

    # ------------------------------------------------------------------ helpers
    def traffic(self, t: float) -> float:
        """Travel-time multiplier at ``t``: hour-of-day factor, times rain if raining."""
        tr = self.sc.travel
        f: float = self.hourly[int(t // MINUTES_PER_HOUR) % 24]
        if self.day.raining and tr.rain_from_at <= t < tr.rain_until_at:
            f *= tr.rain_factor
        return f

    def run(self) -> Records:
        self.env.process(self.incident_source())
        self.env.run(until=self.sc.timeline.end_at)
        self._record()
        return self.records

    # ------------------------------------------------------------------ processes
    def incident_source(self) -> Generator[simpy.Event, Any, None]:
        env, log = self.env, self.log
        for i, t in enumerate(log.occurred_at.tolist()):
            if t > env.now:
                yield env.timeout(t - env.now)
            self.on_occurred(i)

    def respond(
        self, unit: int, call: Call, mobilise: float, drive: float
    ) -> Generator[simpy.Event, Any, None]:
        """One leg of a unit: mount up, drive, work the incident until it is cleared."""
        fleet, env = self.fleet, self.env
        if mobilise > 0:
            yield env.timeout(mobilise)
        fleet.move(unit, UnitStatus.TRAVELLING)
        yield env.timeout(drive)
        fleet.move(unit, UnitStatus.ON_SCENE)
        fleet.scene_node[unit] = self.n_bases + call.site
        self.on_arrival(call, unit)
        assert call.cleared is not None
        yield call.cleared
        self.on_unit_free(unit, call)

    def return_home(self, unit: int, minutes: float) -> Generator[simpy.Event, Any, None]:
        try:
            yield self.env.timeout(minutes)
        except simpy.Interrupt:
            return  # re-dispatched on the way home; the dispatcher has moved it on
        self.fleet.move(unit, UnitStatus.IDLE)
        self.returns[unit] = None

    # ------------------------------------------------------------------ events
    def on_occurred(self, i: int) -> None:
        log = self.log
        severity = int(log.severity[i])
        call = Call(
            i,
            int(log.site[i]),
            severity,
            self.units_needed[severity - 1],
            float(log.occurred_at[i]),
            float(log.handling_min[i]),
        )
        self.calls.append(call)
        if severity <= self.guards.max_severity and self.try_guard(call):
            return
        delay = float(log.reporting_delay_min[i])
        if delay > 0:
            self.env.timeout(delay).callbacks.append(lambda _ev: self.on_reported(call))
        else:
            self.on_reported(call)

    def try_guard(self, call: Call) -> bool:
        """Let a TPS guard handle ``call`` if one of its group is free; bookkeeping only."""
        if call.site >= self.n_tps:
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
            reported = now if at_post else now + float(self.log.reporting_delay_min[call.index])
        call.reported_at = call.dispatched_at = reported
        call.arrived_at = reported + minutes
        call.cleared_at = call.arrived_at + call.handling_min * self.severity_factor[0]
        call.first_guard = guard
        self.guards.occupy(
            guard, call.cleared_at + self.guards.travel_back(guard, call.site, factor)
        )
        return True

    def on_reported(self, call: Call) -> None:
        call.reported_at = self.env.now
        call.cleared = self.env.event()
        self.dispatch(call)
        if call.outstanding > 0:
            self.queue.append(call)
        esc = self.escalation
        if (
            esc.enabled
            and call.severity < 3
            and self.log.escalation_draw[call.index] < esc.probability
        ):
            self.env.timeout(esc.threshold_min).callbacks.append(lambda _ev: self.escalate(call))

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
        if self.fleet.n == 0:
            return
        eta = self.fleet.eta(call.site, self.env.now, self.traffic(self.env.now))
        for unit in self.policy.choose(self.fleet, call, call.outstanding, eta):
            status = self.fleet.status[unit]
            mobilise = float(self.fleet.mobilisation[unit]) if status == UnitStatus.IDLE else 0.0
            self.send(unit, call, mobilise, float(eta[unit]) - mobilise)

    def send(self, unit: int, call: Call, mobilise: float, drive: float) -> None:
        fleet = self.fleet
        proc = self.returns[unit]
        if proc is not None:
            proc.interrupt()
            self.returns[unit] = None
        fleet.move(unit, UnitStatus.DISPATCHED)
        fleet.dispatches[unit] += 1
        fleet.busy_since[unit] = self.env.now
        self.leg_call[unit] = call.index
        call.units.append(unit)
        if math.isnan(call.dispatched_at):
            call.dispatched_at = self.env.now
        self.env.process(self.respond(unit, call, mobilise, drive))

    def on_arrival(self, call: Call, unit: int) -> None:
        call.arrived += 1
        if call.first_unit < 0:
            call.arrived_at = self.env.now
            call.first_unit = unit
        if call.arrived >= call.needed and not call.started:
            call.started = True
            minutes = call.handling_min * self.severity_factor[call.severity - 1]
            self.env.timeout(minutes).callbacks.append(lambda _ev: self.clear(call))

    def clear(self, call: Call) -> None:
        call.cleared_at = self.env.now
        assert call.cleared is not None
        call.cleared.succeed()

    def on_unit_free(self, unit: int, call: Call) -> None:
        """A unit has cleared a scene: take the most urgent queued call it may, else go home."""
        env, fleet = self.env, self.fleet
        fleet.busy_min[unit] += env.now - fleet.busy_since[unit]
        self._record_trip(unit)
        nxt = self.next_queued_for(unit)
        factor = self.traffic(env.now)
        if nxt is not None:
            self.send(unit, nxt, 0.0, fleet.travel_from_scene(unit, nxt.site, factor))
            if nxt.outstanding <= 0:
                self.queue.remove(nxt)
            return
        fleet.move(unit, UnitStatus.RETURNING)
        minutes = float(fleet.minutes[fleet.home[unit], call.site] * fleet.speed[unit] * factor)
        fleet.return_start[unit] = env.now
        fleet.return_end[unit] = env.now + minutes
        self.returns[unit] = env.process(self.return_home(unit, minutes))

    def next_queued_for(self, unit: int) -> Call | None:
        best: Call | None = None
        for call in self.queue:
            if self.policy.accepts(self.fleet, unit, call) and (
                best is None or call.queue_key() < best.queue_key()
            ):
                best = call
        return best

    # ------------------------------------------------------------------ records
    def _record_trip(self, unit: int) -> None:
        t = self.records.trips
        t["replication"].append(self.replication)
        t["unit"].append(unit)
        t["incident_id"].append(self.leg_call[unit])
        t["dispatched_at"].append(self.fleet.busy_since[unit])
        t["cleared_at"].append(self.env.now)

    def _record(self) -> None:
        inc = self.records.incidents
        stage = self.log.stage.tolist()
        tier = self.fleet.tier.tolist()
        for c in self.calls:
            if c.first_guard >= 0:
                handled = GUARD
            elif c.first_unit >= 0:
                handled = TNI if tier[c.first_unit] > 0 else RESERVE
            else:
                handled = UNSERVED
            row = (
                self.replication,
                c.index,
                c.site,
                int(self.log.type[c.index]),
                c.severity,
                stage[c.index],
                c.occurred_at,
                c.reported_at,
                c.dispatched_at,
                c.arrived_at,
                c.cleared_at,
                handled,
                1 if c.first_guard >= 0 else len(c.units),
                c.first_unit,
                c.first_guard,
                c.escalated,
            )
            for column, value in zip(inc.values(), row, strict=True):
                column.append(value)
        window = self.sc.timeline.end_at - self.sc.timeline.start_at
        units = self.records.units
        fleet = self.fleet
        for u in range(fleet.n):
            busy = fleet.busy_min[u]
            if fleet.status[u] not in (UnitStatus.IDLE, UnitStatus.RETURNING):
                busy += self.env.now - fleet.busy_since[u]  # still busy at the horizon
            for name, value in zip(
                units, (self.replication, u, fleet.dispatches[u], busy, busy / window), strict=True
            ):
                units[name].append(value)


def run_replication(
    scenario: Scenario, replication: int, seed: int, log: IncidentLog | None = None
) -> Records:
    """Simulate one election day; a pure function of its arguments. ``log`` replays a given
    incident log instead of drawing one (fixed call sets, exact-trace tests)."""
    return DayModel(scenario, replication, seed, log).run()
