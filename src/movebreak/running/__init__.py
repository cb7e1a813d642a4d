"""The running app: a tick or a user action (``core.AppCore``), and its scheduler (``scheduler.Scheduler``).

Nothing is imported here, so ``movebreak.running.safe`` stays cheap to load; import the
parts from their modules. Starting the app (lock, tray or terminal) is ``movebreak.startup``.
"""
