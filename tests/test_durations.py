from datetime import timedelta

import pytest

from movebreak.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45m", timedelta(minutes=45)),
        ("90s", timedelta(seconds=90)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("2H", timedelta(hours=2)),
        ("1.5h", timedelta(minutes=90)),
        ("1h2m3s", timedelta(hours=1, minutes=2, seconds=3)),
    ],
)
def test_parse_duration_accepts_units(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "45", "m", "4x", "30m1h", "1h1h", "-5m", "5 minutes", "1h30"])
def test_parse_duration_rejects_with_a_reason(text):
    with pytest.raises(ValueError) as raised:
        parse_duration(text)
    assert "45m" in str(raised.value) or "1h30m" in str(raised.value)


def test_parse_duration_rejects_non_strings():
    with pytest.raises(ValueError, match="int"):
        parse_duration(45)


@pytest.mark.parametrize("seconds", [1, 59, 60, 61, 3600, 5400, 3661, 86400])
def test_format_then_parse_round_trips(seconds):
    value = timedelta(seconds=seconds)
    assert parse_duration(format_duration(value)) == value
