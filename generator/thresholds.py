"""Direct procurement thresholds (direktupphandlingsgränser), per year and category.

Counted per participating party. Add a row when Upphandlingsmyndigheten publishes the
amounts for a new year; the rules and documents use the row of the spec's
`procurement.threshold_year`.
"""

from __future__ import annotations

# year -> category -> kronor. "sociala_tjanster" is social and other special services.
THRESHOLDS: dict[int, dict[str, int]] = {
    2024: {"ovriga": 700_000, "sociala_tjanster": 8_109_450},
}

SOURCE = (
    "Upphandlingsmyndigheten: beloppsgränser från 2024; "
    "SKR: Avtalssamverkan inom socialtjänsten (2023)"
)


def threshold(year: int, category: str) -> int | None:
    """The threshold in kronor for a year and category, or None if the year is not known."""
    return THRESHOLDS.get(year, {}).get(category)
