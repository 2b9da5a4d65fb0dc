"""Yearly totals of monthly series, by calendar year or by a fiscal year starting in another month.

India reports trade by April–March fiscal year, the US by calendar year; a total is only ever shown with the
year it covers spelled out, and a year with missing months is marked incomplete rather than summed as if whole.
Entry point: `yearly_totals()`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from .corpus import SeriesPoint


@dataclass(frozen=True)
class YearTotal:
    label: str  # "2024" or "FY2024–25"
    covers: str  # "January–December 2024" or "April 2024 – March 2025"
    total: Decimal
    months: int

    @property
    def complete(self) -> bool:
        return self.months == 12


def _fiscal_year(year: int, month: int, start_month: int) -> int:
    return year if month >= start_month else year - 1


def yearly_totals(points: Sequence[SeriesPoint], start_month: int = 1) -> list[YearTotal]:
    """Sum monthly points into years that start in `start_month` (1: calendar years)."""
    buckets: dict[int, list[SeriesPoint]] = {}
    for point in points:
        if point.period.month is None or point.period.day is not None:
            raise ValueError(f"{point.period} is not a month")
        buckets.setdefault(_fiscal_year(point.period.year, point.period.month, start_month), []).append(point)
    totals = []
    for year in sorted(buckets):
        months = buckets[year]
        total = sum((p.value for p in months), Decimal(0))
        if start_month == 1:
            label, covers = str(year), f"January–December {year}"
        else:
            end_year = year + 1
            end_month = start_month - 1
            label = f"FY{year}–{str(end_year)[-2:]}"
            covers = f"{calendar.month_name[start_month]} {year} – {calendar.month_name[end_month]} {end_year}"
        totals.append(YearTotal(label, covers, total, len({p.period.month for p in months})))
    return totals
