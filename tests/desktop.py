"""Fixtures for tests with real desktop parts (Xvfb, a tray, a private D-Bus, notifications)."""
