"""One replication: one simulated election day.

The day's incidents are written in advance (``core.incidents``); :meth:`DayModel.incident_source`
walks that log, one timed event per incident. A severity-1 incident is taken by a free TPS
guard of its group if one is near enough and not due on a ballot-box escort; everything else
is reported to the command post after the reporting delay, which sends units by the dispatch
policy or queues the call (:class:`~pilkadasim.core.calls.CallQueue`: severity first, then
first come first served).

Doctrine ``first_responder`` (the default): the nearest available unit of any kind goes first
and holds the scene; if the severity needs a heavier capability or more units, the capable
units are sent at once as backup. On-scene work runs at the pace of the capability on scene
(each unit counts ``min(capability, severity) / severity``, out of ``needed``) and at full pace
once the needed capable units are there. Doctrine ``capable_only`` sends only capable units and
starts the work when all of them are there. Either way, if the needed capability is not on
scene ``capability_wait_min`` after the first arrival, the command post stops waiting and the
units there finish the job at full pace (counted as ``proceeded_without_capability``).

A unit's day is a chain of event handlers, one per transition of its state machine, each
scheduled with :meth:`DayModel.after`: :meth:`~DayModel.send` (idle or returning →
dispatched), :meth:`~DayModel.drive` (→ travelling), :meth:`~DayModel.arrive` (→ on scene),
:meth:`~DayModel.free` (scene cleared → next call or returning), :meth:`~DayModel.home`
(→ idle). Every transition is a scheduled event, a zero-length one too (SimPy runs same-time
events in the order they were scheduled), so no handler ever runs inside another; a return
home or a clearance that no longer holds is cancelled lazily by a token.

Reserve teams on patrol are a :class:`~pilkadasim.core.patrol.PatrolFleet` (where a team is,
where it resumes); crew changes are scheduled by :class:`~pilkadasim.core.shifts.Shifts`,
which hooks into :meth:`~DayModel.free` and :meth:`~DayModel.home`.

``run_replication(scenario, replication, seed)`` is a pure function of its arguments.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import simpy

from pilkadasim.core.calls import Call, CallQueue
from pilkadasim.core.dispatch import make_policy
from pilkadasim.core.guards import GuardPool
from pilkadasim.core.incidents import IncidentLog, generate_incidents
from pilkadasim.core.operation import office_guards
from pilkadasim.core.partners import LinmasPool
from pilkadasim.core.patrol import PatrolFleet
from pilkadasim.core.recording import handled_codes, record_incidents, record_trips, record_units
from pilkadasim.core.records import Records
from pilkadasim.core.rng import Streams
from pilkadasim.core.scenario import MINUTES_PER_HOUR, Scenario
from pilkadasim.core.shifts import Shifts
from pilkadasim.core.timeline import TRANSPORT, draw_day
from pilkadasim.core.units import (
    DISPATCHED,
    IDLE,
    INF,
    ON_SCENE,
    RETURNING,
    TRAVELLING,
    Fleet,
)

NAN = math.nan


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
        self.fleet = PatrolFleet(scenario) if scenario.patrol.enabled else Fleet(scenario)
        tl = scenario.timeline
        self.shifts = (
            Shifts(self, scenario.shifts, tl.start_at, tl.end_at)
            if scenario.shifts.enabled
            else None
        )
        self.guards = GuardPool(scenario, self.day)
        linmas = scenario.linmas  # partners at each TPS (core.partners); None = off
        self.linmas = LinmasPool(linmas, scenario.region.sites.n_tps) if linmas else None
        self.offices = office_guards(scenario, self.day)  # timeline=operation only
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
        dispatch = scenario.dispatch
        self.first_any = dispatch.doctrine == "first_responder"
        self.wait = dispatch.capability_wait_min
        self.queue = CallQueue(self.first_any)
        self.calls: list[Call] = []
        self.job = [-1] * self.fleet.n  # the call a unit is committed to (-1: none)
        # per finished leg: unit, call, dispatched, arrived, cleared, travel, from lat, lon
        self.legs: list[tuple[int, int, float, float, float, float, float, float]] = []
        self.leg_start: list[tuple[float, float, float]] = [(NAN, NAN, NAN)] * self.fleet.n
        self.leg_arrived = [NAN] * self.fleet.n
        self.records = Records()

    # ------------------------------------------------------------------ helpers
    def after(self, delay: float, action: Callable[[], None]) -> None:
        """Run ``action`` ``delay`` minutes from now as a scheduled event, also when
        ``delay`` is 0 (after the events already due now), never synchronously."""
        self.env.timeout(delay).callbacks.append(lambda _ev: action())

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
        self.start()
        self.env.run(until=self.sc.timeline.end_at)
        return self.finish()

    def start(self) -> None:
        """Schedule the first incident (``run`` = ``start``, the event loop, ``finish``)."""
        self.times = self.log.occurred_at.tolist()
        if self.shifts is not None:
            self.shifts.start()
        if self.times:
            self.after(self.times[0] - self.env.now, lambda: self.incident_source(0))

    def finish(self) -> Records:
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
        if self.linmas is not None and self.try_linmas(call):
            return
        if severity <= self.guards.max_severity and self.try_guard(call):
            return
        self.after(self.delay_of[i], lambda: self.on_reported(call))

    def try_linmas(self, call: Call) -> bool:
        """Let a Linmas of the TPS handle ``call`` on the spot (bookkeeping only)."""
        assert self.linmas is not None
        i, now = call.index, self.env.now
        handling = call.handling_min * self.severity_factor[call.severity - 1]
        stage = int(self.log.stage[i])
        cleared = self.linmas.take(i, call.site, call.severity, stage, now, handling)
        if cleared is None:
            return False
        call.reported_at = call.dispatched_at = call.arrived_at = call.capable_at = now
        call.cleared_at = cleared
        return True

    def try_guard(self, call: Call) -> bool:
        """Let a TPS guard handle ``call`` (bookkeeping only: guards need no events)."""
        if call.site >= self.n_tps and self.offices is not None:
            return self.offices.take(call, int(self.log.stage[call.index]))
        if call.site >= self.n_tps or not self.guards.post:
            return False
        now = self.env.now
        i = call.index
        job = self.guards.take(
            call.site,
            now,
            self.traffic(now),
            self.delay_of[i],
            call.handling_min * self.severity_factor[call.severity - 1],
            on_escort=self.log.stage[i] == TRANSPORT,
        )
        if job is None:
            return False
        call.first_guard, call.reported_at, call.arrived_at, call.cleared_at = job
        call.dispatched_at = call.reported_at
        call.capable_at = call.arrived_at
        return True

    def on_reported(self, call: Call) -> None:
        call.reported_at = self.env.now
        self.dispatch(call)
        self.queue.push(call)
        esc = self.escalation
        if (
            esc.enabled
            and call.severity < 3
            and self.log.escalation_draw[call.index] < esc.probability
        ):
            self.after(esc.threshold_min, lambda: self.escalate(call))

    def escalate(self, call: Call) -> None:
        """Severity + 1 for a call nobody has reached yet; may need more (or other) units."""
        if not math.isnan(call.arrived_at) or call.proceeded:
            return
        call.severity += 1
        call.escalated = True
        call.needed = max(call.needed, self.units_needed[call.severity - 1])
        capable = self.fleet.capable(call.severity)
        call.n_capable = sum(1 for u in call.units if capable[u])
        self.dispatch(call)
        self.queue.push(call)  # its old queue entry (old severity) is stale now

    def dispatch(self, call: Call) -> None:
        """Send a first unit of any kind (``first_responder``, if nobody is assigned yet)
        and the capable units still needed, chosen by the policy among those available."""
        fleet = self.fleet
        if fleet.n == 0:
            return
        eta = fleet.eta(call.site, self.env.now, self.traffic(self.env.now))
        if self.first_any and not call.units:
            for unit in self.policy.choose(fleet, call, 1, eta, fleet.everyone):
                self.send_from_status(unit, call, eta[unit])
                eta[unit] = INF
        n = call.capable_outstanding
        if n > 0:
            for unit in self.policy.choose(fleet, call, n, eta, fleet.capable(call.severity)):
                self.send_from_status(unit, call, eta[unit])

    # ------------------------------------------------------------------ unit transitions
    def send_from_status(self, unit: int, call: Call, eta: float) -> None:
        mobilise = self.fleet.mobilisation[unit] if self.fleet.status[unit] == IDLE else 0.0
        self.send(unit, call, mobilise, eta - mobilise)

    def send(self, unit: int, call: Call, mobilise: float, drive: float) -> None:
        """idle / returning / on scene → dispatched; the call leaves the queue when this
        was the last unit it needed."""
        fleet, now = self.fleet, self.env.now
        lat, lon = fleet.position(unit, now)
        self.leg_start[unit], self.leg_arrived[unit] = (drive, lat, lon), NAN
        if fleet.status[unit] == RETURNING:
            fleet.return_token[unit] += 1  # the pending arrival home no longer counts
        fleet.move(unit, DISPATCHED)
        fleet.dispatches[unit] += 1
        fleet.busy_since[unit] = now
        self.job[unit] = call.index
        call.units.append(unit)
        if fleet.capable(call.severity)[unit]:
            call.n_capable += 1
        if call.queued and call.outstanding(self.first_any) <= 0:
            call.queued = False
        if math.isnan(call.dispatched_at):
            call.dispatched_at = now
        self.after(mobilise, lambda: self.drive(unit, call, drive))

    def drive(self, unit: int, call: Call, minutes: float) -> None:
        """dispatched → travelling."""
        self.fleet.move(unit, TRAVELLING)
        self.after(minutes, lambda: self.arrive(unit, call))

    def arrive(self, unit: int, call: Call) -> None:
        """travelling → on scene; the work's pace follows the capability on scene."""
        fleet, now = self.fleet, self.env.now
        fleet.move(unit, ON_SCENE)
        fleet.scene_node[unit] = self.n_bases + call.site
        self.leg_arrived[unit] = now
        if call.done:  # cleared while this unit was on its way
            self.free(unit, call)
            return
        call.arrived += 1
        sev = call.severity
        if fleet.capable(sev)[unit]:
            call.capable_on_scene += 1
            call.effort += 1.0
        else:
            call.effort += min(fleet.capability[unit], sev) / sev
        if call.capable_on_scene >= call.needed and math.isnan(call.capable_at):
            call.capable_at = now
        if call.first_unit < 0:
            call.arrived_at = now
            call.first_unit = unit
            call.work_left = call.handling_min * self.severity_factor[sev - 1]
            call.last_update = now
            if math.isnan(call.capable_at) and self.wait < INF:
                self.after(self.wait, lambda: self.give_up(call))
        self.progress(call)

    def give_up(self, call: Call) -> None:
        """The needed capability is still not on scene: proceed with whoever is there."""
        if call.done or not math.isnan(call.capable_at):
            return
        call.proceeded = True
        call.queued = False
        self.progress(call)

    def pace(self, call: Call) -> float:
        """Full pace with the needed capability, or once the command post proceeds without
        it; before that, the share of it on scene (``capable_only``: nothing)."""
        if call.proceeded or not math.isnan(call.capable_at):
            return 1.0
        if not self.first_any:
            return 0.0
        return min(1.0, call.effort / max(call.needed, 1))

    def progress(self, call: Call) -> None:
        """Book the work done at the old pace and (re)schedule the clearance at the new."""
        now = self.env.now
        call.work_left -= call.rate * (now - call.last_update)
        call.last_update = now
        rate = self.pace(call)
        if rate == call.rate:
            return
        call.rate = rate
        call.token += 1
        if rate > 0:
            token = call.token
            self.after(max(call.work_left, 0.0) / rate, lambda: self.clear(call, token))

    def clear(self, call: Call, token: int) -> None:
        """Scene cleared: units there are freed; units still on the way free on arrival."""
        if token != call.token:
            return
        call.cleared_at = self.env.now
        call.queued = False
        status = self.fleet.status
        for unit in call.units:
            if status[unit] == ON_SCENE:
                self.free(unit, call)

    def free(self, unit: int, call: Call) -> None:
        """on scene → the most urgent queued call the unit may take, else returning."""
        env, fleet = self.env, self.fleet
        fleet.busy_min[unit] += env.now - fleet.busy_since[unit]
        travel, lat, lon = self.leg_start[unit]
        start, arrived = fleet.busy_since[unit], self.leg_arrived[unit]
        self.legs.append((unit, call.index, start, arrived, env.now, travel, lat, lon))
        self.job[unit] = -1
        if self.shifts is not None and self.shifts.at_scene(unit, call.site):
            return  # crew change first (core.shifts), then release
        self.release(unit, call.site)

    def release(self, unit: int, site: int) -> None:
        """A unit free at scene ``site``: the most urgent queued call, else back."""
        env, fleet = self.env, self.fleet
        factor = self.traffic(env.now)
        nxt = self.next_queued_for(unit)
        if nxt is not None:
            self.send(unit, nxt, 0.0, fleet.travel_from_scene(unit, nxt.site, factor))
            return
        fleet.move(unit, RETURNING)
        minutes = fleet.return_minutes(unit, site, factor)
        fleet.return_start[unit] = env.now
        fleet.return_end[unit] = env.now + minutes
        token = fleet.return_token[unit]
        self.after(minutes, lambda: self.home(unit, token))

    def home(self, unit: int, token: int) -> None:
        """returning → idle, unless the unit was re-tasked on the way (stale token)."""
        if self.fleet.return_token[unit] == token:
            self.fleet.at_home(unit, self.env.now)
            if self.shifts is None or not self.shifts.at_home(unit):
                self.fleet.move(unit, IDLE)

    def next_queued_for(self, unit: int) -> Call | None:
        fleet, policy = self.fleet, self.policy
        capable = fleet.capable
        return self.queue.next_for(
            lambda s: capable(s)[unit], lambda c: policy.accepts(fleet, unit, c)
        )

    # ------------------------------------------------------------------ records
    def _record(self) -> None:
        by_linmas = self.linmas.handled if self.linmas is not None else set()
        handled = handled_codes(self.calls, self.fleet.tier, by_linmas)
        record_incidents(self.records, self.replication, self.calls, self.log, handled)
        record_trips(self.records, self.replication, self.legs)
        window = self.sc.timeline.end_at - self.sc.timeline.start_at
        record_units(self.records, self.replication, self.fleet, self.env.now, window)


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
