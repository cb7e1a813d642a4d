"""Sets of time as sorted, disjoint half-open ranges [start, end): the arithmetic the weekly
accounting needs so that no instant is counted twice.

Every function takes and returns plain lists of (start, end) pairs; ``merge`` is the only one
that accepts unsorted or overlapping input, the others expect what ``merge`` returns.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

Range = tuple[datetime, datetime]


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Union of half-open ranges, sorted; touching ranges join into one, empty ones vanish."""
    merged: list[Range] = []
    for start, end in sorted((s, e) for s, e in ranges if e > s):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(ranges: Sequence[Range], removed: Sequence[Range]) -> list[Range]:
    """What of ``ranges`` lies outside ``removed`` (both merged)."""
    result: list[Range] = []
    index = 0
    for start, end in ranges:
        while index < len(removed) and removed[index][1] <= start:
            index += 1
        cursor = start
        probe = index
        while probe < len(removed) and removed[probe][0] < end:
            cut_start, cut_end = removed[probe]
            if cut_start > cursor:
                result.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
            if cursor >= end:
                break
            probe += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def intersect(ranges: Sequence[Range], other: Sequence[Range]) -> list[Range]:
    """What ``ranges`` and ``other`` (both merged) have in common."""
    result: list[Range] = []
    i = j = 0
    while i < len(ranges) and j < len(other):
        start = max(ranges[i][0], other[j][0])
        end = min(ranges[i][1], other[j][1])
        if start < end:
            result.append((start, end))
        if ranges[i][1] < other[j][1]:
            i += 1
        else:
            j += 1
    return result


def clip(ranges: Sequence[Range], start: datetime, end: datetime) -> list[Range]:
    """The pieces of ``ranges`` (merged) inside [start, end); finds the first by bisection, so
    cutting eight weeks into days costs a look at each day's own pieces only."""
    pieces: list[Range] = []
    index = bisect_right(ranges, start, key=lambda item: item[1])  # the first range ending after start
    while index < len(ranges) and ranges[index][0] < end:
        piece_start, piece_end = max(ranges[index][0], start), min(ranges[index][1], end)
        if piece_start < piece_end:
            pieces.append((piece_start, piece_end))
        index += 1
    return pieces


def total(ranges: Iterable[Range]) -> timedelta:
    return sum((end - start for start, end in ranges), timedelta(0))


def longest(ranges: Iterable[Range]) -> timedelta:
    return max((end - start for start, end in ranges), default=timedelta(0))
