"""The command line's grammar: every command, its options and their help."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from movebreak import __version__
from movebreak.environment import ExitStatus
from movebreak.i18n import N_, _

if TYPE_CHECKING:
    import argparse

# What argparse itself says (it passes these through gettext): translated by movebreak's tables,
# so `movebreak --help` and a usage mistake are in the configured language too.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("the following arguments are required: %s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"), N_("argument %(argument_name)s: %(message)s"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("expected one argument"), N_("expected at most one argument"), N_("expected at least one argument"),
    N_("expected %s argument"), N_("expected %s arguments"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"), N_("invalid %(type)s value: %(value)r"), N_("unexpected option string: %s"),
    N_("%(prog)s: error: %(message)s\n"),
)


def _argparse_gettext(message):
    """argparse's ``gettext``: the message in the current language (``%`` filled in by argparse)."""
    return _(message) if isinstance(message, str) else message


def _argparse_ngettext(singular: str, plural: str, count: int) -> str:
    return _(singular if count == 1 else plural)


def _translate_argparse(argparse) -> None:
    """argparse looks ``_`` and ``ngettext`` up in its module when it speaks; point them at our tables."""
    argparse._ = _argparse_gettext
    argparse.ngettext = _argparse_ngettext


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse that reports a usage mistake in one line plus the usage, exit 2."""

        def error(self, message: str) -> None:  # noqa: D401
            self.print_usage(sys.stderr)
            self.exit(ExitStatus.USAGE, f"{self.prog}: {message}\n")

    return _Parser


def build_parser() -> argparse.ArgumentParser:
    import argparse

    _translate_argparse(argparse)
    _Parser = _parser_class()
    parser = _Parser(
        prog="movebreak",
        description=_("Reminds you to get up and move, and shows your week against the WHO goals."),
    )
    parser.add_argument("--version", action="version", version=f"movebreak {__version__}",
                        help=_("show the version and exit"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = commands.add_parser("run", help=_("start the app (tray icon, or terminal mode without a desktop)"),
                              description=_("Start movebreak. Without a usable tray it runs in terminal mode."))
    run.add_argument("--no-tray", action="store_true", help=_("terminal mode even where a tray is available"))

    status = commands.add_parser("status", help=_("how long you have been sitting, and this week so far"),
                                 description=_("Show the running app's state and this week's figures."))
    status.add_argument("--json", action="store_true", help=_("machine-readable output"))

    log = commands.add_parser("log", help=_("record a break or an exercise you did"),
                              description=_("Record a break or an exercise. Without a kind it is a plain break: "
                                            "it ends your sitting time but does not count as activity."))
    log.add_argument("exercise", nargs="?", metavar="EXERCISE_ID", help=_("an exercise id (see: movebreak exercises)"))
    log.add_argument("--minutes", metavar="MINUTES", help=_("how long (default: the exercise's duration, or 5)"))
    log.add_argument("--kind", choices=["light", "moderate", "vigorous", "strength", "mobility"],
                     help=_("what an activity without an exercise counts as: light (under 3 MET, not counted), "
                            "moderate (3 to 6 MET), vigorous (6 MET or more, counts twice toward the WHO "
                            "minutes), strength or mobility; an exercise's own follows from its MET"))
    log.add_argument("--at", metavar="DATETIME", help=_('when it started: "14:30", "yesterday 14:30", "2026-11-20 14:30"'))
    log.add_argument("--note", metavar="TEXT", help=_("a note to keep with it"))

    snooze = commands.add_parser("snooze", help=_("postpone the current or next reminder"),
                                 description=_("Postpone the reminder in the running app."))
    snooze.add_argument("minutes", nargs="?", metavar="MINUTES",
                        help=_("how long (default: the configured snooze)"))

    pause = commands.add_parser("pause", help=_("no reminders for a while"),
                                description=_("Pause reminders for a duration, until tomorrow, or until you resume."))
    pause.add_argument("duration", nargs="?", metavar="DURATION", help=_('e.g. "30m", "1h30m"; omit to pause until resumed'))
    pause.add_argument("--until-tomorrow", action="store_true", help=_("until the next day starts"))

    commands.add_parser("resume", help=_("end a pause"), description=_("End the current pause."))

    summary = commands.add_parser("summary", help=_("the weekly summary"),
                                  description=_("This week's figures against the office baseline and the WHO goals."))
    which = summary.add_mutually_exclusive_group()
    which.add_argument("--week", metavar="YYYY-Www", help=_("an ISO week, e.g. 2026-W47"))
    which.add_argument("--last", action="store_true", help=_("last week"))
    form = summary.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help=_("machine-readable output"))
    form.add_argument("--html", metavar="FILE", help=_(
        "write the summary page to exactly FILE; a new FILE is readable by you only (0600), as it shows your history"))
    form.add_argument("--open", action="store_true", help=_("write the summary page and open it in the browser"))

    exercises = commands.add_parser("exercises", help=_("the exercise catalogue"),
                                    description=_("List the exercises, or show one with its instructions."))
    exercises.add_argument("--json", action="store_true", help=_("machine-readable output"))
    exercises.add_argument("--category", choices=["strength", "mobility", "stretch", "cardio"],
                           help=_("only this category"))
    exercises.add_argument("--equipment", metavar="NAME", help=_("only exercises that need nothing else than NAME"))
    exercises.add_argument("--window", action="store_true", help=_(
        "open the exercise window (pictures, filters, search, a timer) instead of printing"))
    exercises_sub = exercises.add_subparsers(dest="exercises_command", metavar="show|suggest", parser_class=_Parser)
    show = exercises_sub.add_parser("show", help=_("one exercise, step by step"),
                                    description=_("Show one exercise step by step."))
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=_("machine-readable output"))
    show.add_argument("--window", action="store_true", default=argparse.SUPPRESS,
                      help=_("open the exercise window with this exercise selected"))
    suggest = exercises_sub.add_parser(
        "suggest", help=_("what to do now"),
        description=_("Suggest an exercise for a short break, or a 5-10 minute routine with --long, "
                      "using your equipment and favouring strength while the week is short of it."))
    suggest.add_argument("--long", action="store_true", help=_("a 5-10 minute routine of several exercises"))
    suggest.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=_("machine-readable output"))

    export = commands.add_parser("export", help=_("your history as CSV or JSON"),
                                 description=_("Write your history as CSV or JSON to standard output or a file."))
    export.add_argument("--format", choices=["csv", "json"], default="json", help=_("output format (default: json)"))
    export.add_argument("--since", metavar="DATE", help=_("only records from this date on, e.g. 2026-11-01"))
    export.add_argument("--output", "-o", metavar="FILE", help=_(
        "write to exactly FILE (or a pipe, or /dev/stdout) instead of standard output; "
        "a new FILE is readable by you only (0600), as it holds your history"))

    commands.add_parser("doctor", help=_("check the tray, notifications, idle detection and files"),
                        description=_("Check each part movebreak needs and say how to fix what is missing."))

    commands.add_parser("setup", help=_("say what you have at hand (stairs, band, floor), working hours, autostart"),
                        description=_("Ask what you have at hand (stairs or a step, a resistance band, floor space), "
                                      "your working hours and whether to start at login, and save the answers in "
                                      "the config file, keeping the rest of it as it is. Enter keeps a value, "
                                      "q skips the rest."))

    commands.add_parser("settings", help=_("change the settings in a window"),
                        description=_("Open the settings window; a save keeps the file's comments and order "
                                      "and reaches a running movebreak at once. Without a display: "
                                      "movebreak config edit."))

    config = commands.add_parser("config", help=_("the configuration file"),
                                 description=_("Show, check or edit the configuration file."))
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", parser_class=_Parser, required=True)
    config_sub.add_parser("path", help=_("print where the file is"), description=_("Print where the file is."))
    config_sub.add_parser("show", help=_("print the effective configuration as TOML"),
                          description=_("Print the effective configuration, defaults filled in, as TOML."))
    config_sub.add_parser("check", help=_("check the file; exit 1 on problems"),
                          description=_("Check the file; print one line per problem and exit 1 if there are any."))
    config_sub.add_parser("edit", help=_("open the file in your editor"),
                          description=_("Open the file in your editor, writing a commented default file first."))

    autostart = commands.add_parser("autostart", help=_("start movebreak at login, or stop doing so"),
                                    description=_("Start movebreak when you log in (an XDG autostart file, a macOS "
                                                  "LaunchAgent or the Windows Run key), or stop doing so."))
    autostart_sub = autostart.add_subparsers(dest="autostart_command", metavar="ACTION", parser_class=_Parser,
                                             required=True)
    autostart_sub.add_parser("enable", help=_("start movebreak at every login"),
                             description=_("Start movebreak at every login. Running it again updates the entry."))
    autostart_sub.add_parser("disable", help=_("do not start movebreak at login"),
                             description=_("Remove the login entry; the app running now keeps running."))
    autostart_sub.add_parser("status", help=_("whether movebreak starts at login, and where that is set"),
                             description=_("Say whether movebreak starts at login, and where that is set."))
    return parser
