"""The pure sitting-time core: ``engine.Engine`` (its module docstring has the product rules
and how time is kept), ``state`` (Sample, Status, Restore), ``events``, ``days``, ``settings``.

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
"""
