"""The tray's pure parts and its platform branches, without a display."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from movebreak.tray import icon as tray_icon
from movebreak.tray.icon import STEPS, IconKey, draw_icon, icon_key
from movebreak.tray.menu import build_entries, find, to_pystray
from movebreak.tray.state import (
    BreakChoice,
    Glance,
    RedrawPolicy,
    TrayState,
    break_choices,
    glance,
    state_prefix,
    tooltip_text,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
REMIND = timedelta(minutes=45)


def pixels(image):
    data = image.convert("RGBA").tobytes()
    return [tuple(data[i:i + 4]) for i in range(0, len(data), 4)]


# --- icon -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [16, 22, 24, 32, 48, 64])
def test_icon_is_rgba_at_every_size(size):
    image = draw_icon(IconKey("sitting", 6), size)
    assert image.size == (size, size) and image.mode == "RGBA"
    alpha = image.getchannel("A")
    assert alpha.getpixel((0, 0)) == 0  # transparent corners: round on any panel
    assert alpha.getpixel((size // 2, size // 2)) == 255


@pytest.mark.parametrize("size", [16, 32, 64])
def test_every_look_differs_from_every_other(size):
    keys = [IconKey("sitting", 4), IconKey("due", STEPS), IconKey("snoozed", 4), IconKey("paused", 0),
            IconKey("off-hours", 0), IconKey("away", 0)]
    images = [draw_icon(key, size).tobytes() for key in keys]
    assert len(set(images)) == len(keys)


def test_the_ring_fills_with_sitting():
    filled = [sum(1 for p in pixels(draw_icon(IconKey("sitting", step), 32)) if p[1] > 120 and p[0] < 100)
              for step in (0, 3, 6)]
    assert filled[0] < filled[1] < filled[2]


@pytest.mark.parametrize("background", [(255, 255, 255), (0, 0, 0), (48, 48, 48), (240, 240, 240)])
@pytest.mark.parametrize("look", tray_icon.LOOKS)
def test_legible_on_light_and_dark_panels(background, look):
    from PIL import Image

    icon = draw_icon(IconKey(look, STEPS // 2), 16)
    panel = Image.new("RGBA", icon.size, background + (255,))
    panel.alpha_composite(icon)
    luminance = [0.2126 * r + 0.7152 * g + 0.0722 * b for r, g, b, _a in pixels(panel)]
    bg = 0.2126 * background[0] + 0.7152 * background[1] + 0.0722 * background[2]
    standing_out = sum(1 for value in luminance if abs(value - bg) > 80)
    assert standing_out >= 40, f"{look} on {background}: only {standing_out} of 256 pixels stand out"


@pytest.mark.parametrize("state,sitting,expected", [
    ("sitting", timedelta(0), IconKey("sitting", 0)),
    ("sitting", timedelta(minutes=22, seconds=30), IconKey("sitting", 6)),
    ("sitting", timedelta(hours=2), IconKey("sitting", STEPS)),
    ("reminding", timedelta(minutes=46), IconKey("due", STEPS)),
    ("snoozed", timedelta(minutes=30), IconKey("snoozed", 8)),
    ("paused", timedelta(minutes=30), IconKey("paused", 0)),
    ("outside-hours", timedelta(minutes=30), IconKey("off-hours", 0)),
    ("away", timedelta(0), IconKey("away", 0)),
])
def test_icon_key_per_state(state, sitting, expected):
    assert icon_key(state, sitting, REMIND) == expected


# --- redraw policy and texts -------------------------------------------------------------------------


def g(look="sitting", step=1, sitting=5, reminder=40):
    return Glance(IconKey(look, step), sitting, reminder)


def test_redraw_at_most_once_a_minute_unless_the_look_changes():
    policy = RedrawPolicy()
    assert policy.should_draw(g(), T0)
    policy.drawn(g(), T0)
    assert not policy.should_draw(g(), T0 + timedelta(seconds=10))  # same glance: no redraw
    assert not policy.should_draw(g(sitting=6, reminder=39), T0 + timedelta(seconds=30))  # a minute, too soon
    assert policy.should_draw(g(sitting=6, reminder=39), T0 + timedelta(seconds=60))
    assert policy.should_draw(g(look="due"), T0 + timedelta(seconds=5))  # state change: at once
    assert policy.should_draw(g(), T0 + timedelta(seconds=5), force=True)


def test_redraws_over_a_simulated_hour_of_ticks():
    policy = RedrawPolicy()
    draws = 0
    for second in range(0, 3600, 10):  # a tick every 10 s
        status = SimpleNamespace(state="sitting", continuous_sitting=timedelta(seconds=second),
                                 next_reminder_at=T0 + REMIND)
        now = T0 + timedelta(seconds=second)
        current = glance(status, now, REMIND)
        if policy.should_draw(current, now):
            policy.drawn(current, now)
            draws += 1
    assert 50 <= draws <= 61  # about once a minute, never once a tick (360 ticks)


def test_glance_rounds_the_reminder_up():
    status = SimpleNamespace(state="sitting", continuous_sitting=timedelta(minutes=32, seconds=20),
                             next_reminder_at=T0 + timedelta(minutes=12, seconds=1))
    assert glance(status, T0, REMIND) == Glance(IconKey("sitting", 8), 32, 13)


def test_state_prefix_and_tooltip():
    paused = SimpleNamespace(state="paused", paused_until=datetime(2026, 3, 2, 14, 30, tzinfo=timezone.utc),
                             snoozed_until=None)
    assert state_prefix(paused, timezone.utc) == "Paused until 14:30"
    assert state_prefix(SimpleNamespace(state="sitting"), timezone.utc) is None
    line = "Sitting 32 min · reminder in 13 min · this week 85/150 active min, 1/2 strength days"
    assert tooltip_text(None, line) == line
    assert tooltip_text("Time to move", line).startswith("Time to move · Sitting 32 min")
    assert len(tooltip_text("x" * 200, line)) == 127


@dataclass
class FakeExercise:
    id: str
    category: str
    duration: timedelta
    names: dict = field(default_factory=dict)

    def name(self, language=None):
        return self.names.get(language, self.id.replace("-", " ").title())


EXERCISES = [
    FakeExercise("march-in-place", "cardio", timedelta(minutes=2)),
    FakeExercise("stair-climb", "cardio", timedelta(minutes=5)),
    FakeExercise("chair-squat", "strength", timedelta(minutes=1)),
    FakeExercise("neck-side-stretch", "stretch", timedelta(seconds=90)),
    FakeExercise("hip-circles", "mobility", timedelta(minutes=1)),
]


def test_break_choices_put_the_suggestion_first_then_one_per_category():
    choices = break_choices(EXERCISES, "stair-climb", "en")
    assert [c.exercise_id for c in choices] == ["stair-climb", "chair-squat", "hip-circles", "neck-side-stretch"]
    assert choices[0].label == "Stair Climb (5 min)"
    assert choices[3].label == "Neck Side Stretch (1.5 min)"
    assert break_choices(EXERCISES, "unknown", "en")[0].exercise_id == "chair-squat"


def test_break_choices_give_the_suggested_exercise_its_picture():
    choices = break_choices(EXERCISES, "stair-climb", "en", picture_of=lambda e: Path("img") / f"{e.id}.svg")
    assert choices[0].picture == str(Path("img") / "stair-climb.svg")
    assert [c.picture for c in choices[1:]] == [None, None, None]
    assert break_choices(EXERCISES, "stair-climb", "en")[0].picture is None


# --- the windows' pure parts (the windows themselves: tests/test_windows_keyboard.py) --------------------


@pytest.mark.parametrize("environ, resources, expected", [
    ({}, None, (1.0, 1.0)),
    ({}, "Xft.antialias:\t1\nXft.dpi:\t144\n", (1.5, 1.5)),      # GNOME at 150 % text
    ({}, "Xft.dpi: 120", (1.25, 1.25)),
    ({}, "Xft.dpi:\tlots", (1.0, 1.0)),
    ({"MOVEBREAK_FONT_SCALE": "1.5"}, "Xft.dpi:\t96", (1.5, 1.0)),
    ({"MOVEBREAK_FONT_SCALE": "1.5"}, "Xft.dpi:\t120", (1.875, 1.25)),  # the override on top of the system
    ({"MOVEBREAK_FONT_SCALE": "huge"}, "Xft.dpi:\t192", (2.0, 2.0)),    # a bad override is ignored
    ({"MOVEBREAK_FONT_SCALE": "10"}, None, (3.0, 1.0)),                   # kept within 0.5 to 3
    ({"MOVEBREAK_FONT_SCALE": "0.1"}, None, (0.5, 1.0)),
])
def test_font_scale_follows_xft_dpi_and_the_override(environ, resources, expected):
    from movebreak.tray.tkwindow import font_scale

    assert font_scale(environ, lambda: resources) == expected


def test_a_disabled_snooze_says_why():
    from movebreak.tray.window import snooze_reason

    assert snooze_reason(SimpleNamespace(can_snooze=True, reminder_pending=True)) == ""
    assert "no more snoozes" in snooze_reason(SimpleNamespace(can_snooze=False, reminder_pending=True))
    assert "no reminder" in snooze_reason(SimpleNamespace(can_snooze=False, reminder_pending=False))


def test_the_window_shows_the_png_beside_the_pictogram(tmp_path):
    from movebreak.tray.window import picture_png

    svg = tmp_path / "squat.svg"
    svg.write_text("<svg/>")
    assert picture_png(str(svg)) is None and picture_png(None) is None
    (tmp_path / "squat.png").write_bytes(b"png")
    assert picture_png(str(svg)) == tmp_path / "squat.png"
    assert picture_png(str(tmp_path / "squat.png")) == tmp_path / "squat.png"


def test_a_duration_never_wraps_apart_from_its_unit():
    from movebreak.tray.tkwindow import tk_words
    from movebreak.tray.window import keep_together

    assert tk_words(keep_together("Calf raises (1 min)")) == ["Calf", "raises", "(1\u00a0min)"]
    assert keep_together("Squat") == "Squat"


# --- menu ----------------------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs))


def tray_state(**changes) -> TrayState:
    values = dict(state="reminding", key=IconKey("due", STEPS), status_line="Time to move · Sitting 45 min",
                  tooltip="t", reminder_pending=True, can_snooze=True, paused=False, snooze_minutes=(5, 10, 15, 30),
                  breaks=(BreakChoice("march-in-place", "March in place (2 min)"),
                          BreakChoice("chair-squat", "Chair squat (1 min)")))
    values.update(changes)
    return TrayState(**values)


def test_menu_layout_and_actions():
    actions = Recorder()
    entries = build_entries(tray_state(), actions, open_window=lambda: actions.calls.append(("window", (), {})))
    texts = [e.text for e in entries if not e.separator]
    assert texts == ["Time to move · Sitting 45 min", "I took a break", "Snooze", "Pause", "Resume",
                     "Weekly summary", "Exercises", "Settings", "Open window", "Quit"]
    assert not entries[0].enabled  # the status line
    breaks = find(entries, "I took a break").children
    assert breaks[0].text == "March in place (2 min)"  # the suggestion first
    assert [c.text for c in find(entries, "I took a break", "Other activity…").children] == \
        ["5 min", "10 min", "15 min", "30 min"]
    assert [c.text for c in find(entries, "Snooze").children] == ["5 min", "10 min", "15 min", "30 min"]
    assert [c.text for c in find(entries, "Pause").children] == ["30 min", "1 h", "until tomorrow"]
    assert not find(entries, "Resume").enabled
    assert [e.text for e in entries if e.default] == ["Open window"]

    breaks[0].action()
    find(entries, "I took a break", "Other activity…", "15 min").action()
    find(entries, "Snooze", "10 min").action()
    find(entries, "Pause", "1 h").action()
    find(entries, "Pause", "until tomorrow").action()
    find(entries, "Quit").action()
    assert actions.calls == [
        ("log_break", (), {"exercise_id": "march-in-place"}),
        ("log_break", (), {"minutes": 15}),
        ("snooze", (10,), {}),
        ("pause", (60,), {}),
        ("pause", (None,), {"until_tomorrow": True}),
        ("quit", (), {}),
    ]


def test_snooze_is_disabled_without_a_reminder_or_at_the_limit_and_resume_while_paused():
    entries = build_entries(tray_state(can_snooze=False, paused=True, state="paused"), Recorder())
    assert not find(entries, "Snooze").enabled
    assert all(not child.enabled for child in find(entries, "Snooze").children)
    assert find(entries, "Resume").enabled
    assert not any(e.text == "Open window" for e in entries)  # no window given (macOS)


def test_menu_in_german():
    from movebreak import i18n

    i18n.set_language("de")
    try:
        entries = build_entries(tray_state(), Recorder())
        assert [e.text for e in entries if not e.separator][1:4] == ["Ich habe Pause gemacht", "Später erinnern",
                                                                      "Pausieren"]
    finally:
        i18n.set_language("en")


def test_to_pystray_builds_real_pystray_items(monkeypatch):
    monkeypatch.setenv("PYSTRAY_BACKEND", "dummy")
    import importlib

    pystray = importlib.import_module("pystray")
    actions = Recorder()
    menu = to_pystray(build_entries(tray_state(), actions, open_window=lambda: None), pystray)
    items = list(menu)
    assert items[0].text == "Time to move · Sitting 45 min" and not items[0].enabled
    snooze = next(item for item in items if item.text == "Snooze")
    next(iter(snooze.submenu))(None)  # what pystray does on a click
    assert actions.calls == [("snooze", (5,), {})]


# --- xorg fix --------------------------------------------------------------------------------------------


def test_enable_clicks_selects_button_presses():
    from Xlib import X

    from movebreak.tray.xorg import enable_clicks

    changed, flushed = [], []
    fake = SimpleNamespace(_window=SimpleNamespace(change_attributes=lambda **kw: changed.append(kw)),
                           _display=SimpleNamespace(flush=lambda: flushed.append(True)))
    assert enable_clicks(fake)
    assert changed[0]["event_mask"] & X.ButtonPressMask
    assert changed[0]["event_mask"] & X.StructureNotifyMask and changed[0]["event_mask"] & X.ExposureMask
    assert flushed == [True]
    assert not enable_clicks(SimpleNamespace())  # a renamed attribute: no crash, just False


# --- TrayUI with a fake core -------------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.at = T0

    def now(self):
        return self.at


class FakeCore:
    def __init__(self):
        self.clock = FakeClock()
        self.tz = timezone.utc
        self.language = "en"
        self.settings = SimpleNamespace(remind_after=REMIND, snooze_options=(timedelta(minutes=5),
                                                                           timedelta(minutes=10)))
        self.cfg = {"exercises.equipment": ["none", "chair"], "exercises.allow_floor": False}
        self.catalogue = SimpleNamespace(all=lambda: EXERCISES)
        self.current_reminder = None
        self.sitting = timedelta(minutes=5)
        self.state = "sitting"
        self.status_lines = 0
        self.calls = []
        self.notifier = SimpleNamespace(send=lambda title, body, timeout: self.calls.append(("notify", body)))

    def status(self):
        return SimpleNamespace(state=self.state, continuous_sitting=self.sitting,
                               next_reminder_at=self.clock.at + REMIND - self.sitting, snooze_limit_reached=False,
                               paused=self.state == "paused", paused_until=None, snoozed_until=None,
                               remind_after=REMIND, snooze_options=self.settings.snooze_options)

    def status_line(self):
        self.status_lines += 1
        return f"Sitting {int(self.sitting.total_seconds() // 60)} min"

    def snooze(self, minutes=None):
        from movebreak.errors import MovebreakError

        if self.state != "reminding":
            raise MovebreakError("There is no reminder to snooze.")
        self.calls.append(("snooze", minutes))


class FakeIcon:
    def __init__(self):
        self.images, self.titles, self.menu_updates = [], [], 0

    @property
    def icon(self):
        return self.images[-1]

    @icon.setter
    def icon(self, image):
        self.images.append(image)

    @property
    def title(self):
        return self.titles[-1]

    @title.setter
    def title(self, text):
        self.titles.append(text)

    def update_menu(self):
        self.menu_updates += 1


def make_ui(core=None):
    from movebreak.tray import TrayUI

    core = core or FakeCore()
    env = SimpleNamespace(platform="linux", stdout=sys.stdout, stdin=None, environ={}, paths=None)
    backend = SimpleNamespace(name="gtk", usable=True, has_menu=True, detail="")
    ui = TrayUI(core, backend, env, run_actions=lambda name, work: work())
    ui.icon = FakeIcon()
    ui._ready.set()
    return ui, core


def test_refresh_redraws_on_state_change_not_every_tick():
    ui, core = make_ui()
    for second in range(0, 50, 5):  # ten ticks within a minute
        core.clock.at = T0 + timedelta(seconds=second)
        core.sitting = timedelta(minutes=5, seconds=second)
        ui.refresh()
    assert len(ui.icon.images) == 1 and core.status_lines == 1
    core.state = "reminding"
    ui.refresh()
    assert len(ui.icon.images) == 2 and ui.icon.titles[-1].startswith("Time to move · ")
    assert ui.state.can_snooze and ui.icon.menu_updates == 2


def test_an_action_error_becomes_a_notice_not_a_traceback():
    import time

    ui, core = make_ui()
    ui.refresh()
    ui.actions.snooze(5)  # no reminder pending
    deadline = time.monotonic() + 2
    while not core.calls and time.monotonic() < deadline:
        time.sleep(0.01)
    assert core.calls == [("notify", "There is no reminder to snooze.")]


def test_show_reminder_puts_its_exercise_first():
    ui, core = make_ui()
    ui.show_reminder(SimpleNamespace(exercise_id="hip-circles", title="t", body="b", can_snooze=True))
    assert ui.state.breaks[0].exercise_id == "hip-circles"


def test_run_falls_back_to_the_terminal_when_pystray_cannot_start(monkeypatch, capsys):
    from movebreak.tray import ui as ui_module

    ui, core = make_ui()
    ui.icon = None

    def broken(self):
        raise RuntimeError("Xlib.error.DisplayConnectionError: Can't connect to display \":99\"")

    monkeypatch.setattr(ui_module.TrayUI, "_make_icon", broken)
    ui.env.stdout = sys.stdout
    ui._stopped.set()  # so the terminal loop returns at once
    ui.run()
    out = capsys.readouterr().out
    assert "the tray could not start (RuntimeError: Xlib.error.DisplayConnectionError" in out
    assert "terminal mode" in out and "Traceback" not in out


def test_importing_the_tray_stays_cheap():
    code = ("import sys, movebreak.tray; heavy = [m for m in ('pystray', 'PIL', 'tkinter', 'gi', 'Xlib') "
            "if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_window_without_tkinter_says_so(monkeypatch):
    import builtins

    from movebreak.tray.window import ActionsWindow

    real_import = builtins.__import__

    def no_tk(name, *args, **kwargs):
        if name == "tkinter":
            raise ImportError("No module named 'tkinter'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tk)
    notices = []
    window = ActionsWindow(lambda: None, Recorder(), notices.append, "linux")
    window.open()
    window._thread.join(5)
    assert len(notices) == 1 and "python3-tk" in notices[0] and "snooze" in notices[0]


def test_window_on_macos_points_to_the_menu():
    from movebreak.tray.window import ActionsWindow

    notices = []
    ActionsWindow(lambda: None, Recorder(), notices.append, "darwin").open()
    assert notices == ["Use the menu bar icon's menu."]


def test_the_icon_shows_before_the_core_exists_and_the_core_is_attached_from_setup():
    from movebreak.tray import TrayUI

    env = SimpleNamespace(platform="linux", stdout=sys.stdout, stdin=None, environ={}, paths=None)
    backend = SimpleNamespace(name="gtk", usable=True, has_menu=True, detail="")
    core = FakeCore()
    order: list[str] = []

    def start(ui) -> None:
        order.append("start")
        ui.attach(core)

    ui = TrayUI(None, backend, env, run_actions=lambda name, work: work(), start=start)
    ui.refresh()  # a tick cannot reach a tray without a core: nothing happens, nothing raises
    assert ui.state is None
    icon = FakeIcon()
    icon.visible = False
    ui.icon = icon
    ui._setup(icon)  # what pystray calls once the icon is in the tray
    assert icon.visible and order == ["start"]
    assert ui.core is core and ui.actions.core is core
    assert ui.state is not None and icon.titles  # the first full refresh followed at once


def test_a_start_that_fails_stops_the_tray_and_keeps_the_error_for_the_app():
    from movebreak.errors import MovebreakError
    from movebreak.tray import TrayUI

    env = SimpleNamespace(platform="linux", stdout=sys.stdout, stdin=None, environ={}, paths=None)
    backend = SimpleNamespace(name="gtk", usable=True, has_menu=True, detail="")

    def start(ui) -> None:
        raise MovebreakError("history.sqlite3: this history was written by a newer movebreak")

    ui = TrayUI(None, backend, env, start=start)
    stopped: list[bool] = []
    icon = FakeIcon()
    icon.stop = lambda: stopped.append(True)
    ui.icon = icon
    ui._setup(icon)
    assert isinstance(ui.start_error, MovebreakError) and stopped == [True]
    assert ui._stopped.is_set()


def test_a_history_that_cannot_be_written_shows_in_the_tooltip_at_once_and_goes_when_it_can():
    ui, core = make_ui()
    ui.refresh()
    core.clock.at = T0 + timedelta(seconds=5)  # within the minute a redraw would normally wait
    core.storage_problem = "movebreak cannot write the history (database or disk is full): /x"
    ui.refresh()
    assert ui.icon.titles[-1].startswith("Not saved: the history cannot be written · "), ui.icon.titles
    assert ui.state.status_line.startswith("Not saved")
    core.clock.at = T0 + timedelta(seconds=10)
    core.storage_problem = None
    ui.refresh()
    assert not ui.icon.titles[-1].startswith("Not saved"), ui.icon.titles
