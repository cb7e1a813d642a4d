"""The pure sitting-time core: ``engine.Engine``, ``state`` (Sample, Status, Restore),
``events``, ``days``, ``settings``.

API
---
``Engine(settings, tz, *, at, monotonic, boottime=None, restore=None)``
    ``at``/``monotonic``/``boottime`` are the clock readings at start. ``restore`` is the last
    ``Engine.snapshot()`` the app saved (``Restore.to_dict()``/``from_dict()`` for JSON).
``tick(sample) -> list[Event]``             one poll tick (``Sample``); call it every poll
                                           and at ``next_deadline()``.
``log_break(activity) -> list[Event]``      the user logged a break or exercise.
``snooze(at, duration=None)``, ``skip(at)``  answer the pending reminder (MovebreakError if none,
                                           or if the snooze limit is reached).
``pause(at, until=None, reason=None)``, ``pause_until_tomorrow(at)``, ``resume(at)``
``set_timezone(tz)``                        the desktop's time zone changed.
``next_deadline() -> datetime | None``      wall time of the next reminder / repeat / snooze
                                           end / pause end. Reschedule the one-shot job after
                                           every call that returned events; a deadline in the
                                           past means "tick now".
``status(at) -> Status``, ``snapshot() -> Restore``
Events are in events.py. Actions take effect at the last tick (call ``tick`` first for
precision); ``at`` stamps records such as Pause.start and the snooze end.

Product rules
-------------
* Present = unlocked and idle < natural_break_after (idle None counts as present). A span
  runs from the first input to now; when idle reaches natural_break_after the span ends at
  the last input (now - idle) and that stretch is a break. A locked screen or a suspend ends
  the span at once, at the last input seen (for a suspend: as of the tick before it), so the
  idle minutes before a lid was closed join the absence; locked or asleep is never sitting. An absence becomes a *break* once it lasts natural_break_after (then continuous
  sitting is 0, snoozes reset, a pending reminder resolves TAKEN: they got up); a shorter one
  (a 2-minute lock) is not sitting and not a break. A NaturalBreak(kind NATURAL, at = start of
  the absence, duration = its length) is emitted when the user is back.
* Continuous sitting = sitting in spans since the last break of any kind.
* A reminder is due when continuous sitting since the last break (or since a skip) reaches
  remind_after, the user is present, working hours (local tz, on the wall clock) contain the
  moment, no pause or snooze is running and no reminder is pending.
* Every ReminderDue ends in exactly one ReminderResolved: SNOOZED (snooze), SKIPPED (skip,
  or a pause started while it was pending), TAKEN (a break: logged, natural, suspend or lock
  long enough, or app down that long), IGNORED (no answer within repeat_after; it is sent
  again at once, repeat=True, if still allowed).
* Snooze: ``snooze_limit`` consecutive snoozes; the next reminder has can_snooze False and
  says so. Consecutive snoozes reset at a break, a skip and a pause. A skip restarts the
  remind_after countdown without pretending the user moved.
* log_break: resolves a pending reminder TAKEN (kind LOGGED becomes REMINDER when it answers
  a pending or snoozed reminder). The part of the open span the activity covers is cut out:
  the span closes at the activity's start and a new one starts at its end (both clamped to
  the span and to now); continuous sitting restarts there. A break logged entirely before
  the open span leaves the span alone and only clears the sitting counted before it.
* Pause: reminders off until ``until`` (None: until resume). Sitting is still tracked; when
  the pause ends and the user is over remind_after, the reminder comes at the next tick.
* Restart: a restore within natural_break_after of the last heartbeat continues the open
  span (the restart gap counts as sitting); a longer gap is away (reason RESTART).

Time
----
The engine keeps its own UTC *timeline*. While the user sits, the timeline advances by the
monotonic delta between samples, so sitting time is monotonic time and a wall-clock jump can
neither create nor erase it. A wall gap larger than the monotonic gap (by more than
clock_tolerance) is time asleep: the timeline moves over it and it is away, never sitting.
With ``Sample.boottime`` (Linux CLOCK_BOOTTIME, Windows GetTickCount64, macOS
mach_continuous_time: clocks that run through sleep) the engine tells sleep (boottime moved,
monotonic did not) from a forward clock jump (wall moved, boottime did not), and a jump does
not end the span. Without it the two look the same, and the engine treats a forward jump as
a suspend: it ends the span and never counts the gap as sitting (the safe side: at worst a
reminder comes later). The idle counter cannot tell them apart either, because on X11 and
Linux it stops during suspend like the monotonic clock. A backward jump is ignored while
sitting: the timeline keeps running ahead of the wall clock. During a break the timeline
snaps back to the wall clock (never before anything already recorded), so offsets from jumps
are absorbed at the next break. Records are on the timeline, which equals the wall clock
except between a clock jump and the next break; ``next_deadline`` and ``status`` convert back
to wall time. A time zone change moves nothing (UTC inside); DST only changes which local
hours are working hours and where days start (``days.py``).
"""
