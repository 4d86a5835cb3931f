"""Published benchmark figures for the council and its CIPFA nearest neighbours.

The files come in the shapes of the real ones (../shared/data/benchmarks, gathered by
Trafford Data Lab from DEFRA, DWP, DLUHC, ONS and OHID): long format, one row per area
and period, periods as published (`2021/22`, `April 2025`, `2019 - 21`, `2024-12-31`),
`units` for `unit` in the DWP file, the indicator before the period in another, two
value columns in the vehicles file, area_type / compared_to_England / inequality in the
OHID one, England and a region as context rows. The areas are the real comparator set;
the figures are drawn (seeded), with the council where its own indicators put it:
temporary accommodation high (its Red indicator), recycling a little above the median.
The council's declarations say which way is better and link three benchmarks to its own
indicators.
"""

from __future__ import annotations

from datetime import date

from onecouncil.calendar import FiscalPeriod
from onecouncil.simulate._common import Landing, at, month_end, rng_for, working_day_after

COUNCIL = ("E06000042", "Milton Keynes")
# CIPFA nearest neighbours (2021), as in the published comparator list
COMPARATORS = (
    ("E06000030", "Swindon"), ("E06000007", "Warrington"), ("E08000029", "Solihull"),
    ("E06000025", "South Gloucestershire"), ("E08000007", "Stockport"), ("E06000014", "York"),
    ("E06000055", "Bedford"), ("E06000050", "Cheshire West and Chester"),
    ("E06000034", "Thurrock"), ("E08000002", "Bury"), ("E06000015", "Derby"),
    ("E06000031", "Peterborough"), ("E06000038", "Reading"), ("E06000035", "Medway"))
CONTEXT = (("E92000001", "England"), ("E12000008", "South East"))

TEMPORARY = "Households in temporary accommodation per 1,000 households"
RECYCLING = "Household waste sent for reuse, recycling or composting"
CLAIMANTS = "Claimants as a proportion of residents aged 16-64"
LIFE = "Healthy life expectancy at birth"
VEHICLES = ("Licensed vehicles - ultra low emission vehicles (ulev) and all vehicles "
            "including ulev")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _areas() -> list[tuple[str, str]]:
    return [COUNCIL, *COMPARATORS, *CONTEXT]


def _draw(rng, centre: float, spread: float, council_at: float, periods: int, drift: float,
          places: int) -> dict[str, list[str]]:
    """Per area, one figure per period: comparators around `centre`, the council at
    `council_at` standard deviations from it, every area drifting by `drift` a period."""
    out = {}
    for code, _ in _areas():
        base = centre + spread * (council_at if code == COUNCIL[0] else rng.normal(0, 1))
        if code in (c for c, _ in CONTEXT):
            base = centre + spread * rng.normal(0, 0.3)
        out[code] = [f"{base + drift * i + rng.normal(0, spread * 0.08):.{places}f}"
                     for i in range(periods)]
    return out


def write_benchmarks(landing: Landing, indicators: list, through: FiscalPeriod,
                     seed: int) -> None:
    arrived = at(working_day_after(through.last_day, 3), 10, 0)
    by_name = {i.name: i.id for i in indicators}

    landing.write_csv(
        "benchmark/comparators", "cipfa_nearest_neighbours_2021.csv",
        ["area_code", "area_name", "comparator_set", "is_council"],
        [[code, name, "CIPFA 2021", "Y" if code == COUNCIL[0] else "N"]
         for code, name in (COUNCIL, *COMPARATORS)],
        arrived_at=arrived, note="the council and its 14 CIPFA nearest neighbours")

    # DLUHC statutory homelessness: financial years, a plain long file
    rng = rng_for(seed, "benchmark", "temporary")
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2019, 2025)]
    drawn = _draw(rng, 2.1, 0.7, 2.6, len(years), 0.12, 1)
    rows = [[code, name, p, TEMPORARY, "Rate", "Households", drawn[code][i]]
            for code, name in _areas() for i, p in enumerate(years)]
    landing.write_csv("benchmark/measures", "temporary_accommodation.csv",
                      ["area_code", "area_name", "period", "indicator", "measure", "unit",
                       "value"], rows, arrived_at=arrived)

    # DEFRA waste: financial years, two measures in one file
    rng = rng_for(seed, "benchmark", "recycling")
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2018, 2024)]
    share = _draw(rng, 43.0, 6.0, 0.6, len(years), 0.3, 1)
    rows = []
    for code, name in _areas():
        for i, p in enumerate(years):
            rows.append([code, name, p, RECYCLING, "Percentage", "Waste", share[code][i]])
            if code not in (c for c, _ in CONTEXT):
                tonnes = float(share[code][i]) * float(rng.uniform(700, 1300))
                rows.append([code, name, p, RECYCLING, "Frequency", "Tonnes", f"{tonnes:.0f}"])
    landing.write_csv("benchmark/measures", "household_waste_recycling.csv",
                      ["area_code", "area_name", "period", "indicator", "measure", "unit",
                       "value"], rows, arrived_at=arrived)

    # DWP claimant count: months as `April 2025`, `units`, indicator before the period,
    # published two months after the month
    rng = rng_for(seed, "benchmark", "claimants")
    months: list[date] = []
    y, m = 2024, 4
    last = date(through.last_day.year, through.last_day.month, 1)
    while date(y, m, 1) <= last:
        months.append(month_end(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    months = months[:-2] or months[:1]
    rate = _draw(rng, 3.7, 0.8, 0.9, len(months), 0.01, 1)
    rows = [[code, name, CLAIMANTS, f"{_MONTHS[d.month - 1]} {d.year}", "Percentage",
             "Persons", rate[code][i]]
            for code, name in _areas() for i, d in enumerate(months)]
    # named for its last month: a longer run writes a later file, never other bytes here
    landing.write_csv("benchmark/measures", f"claimant_count_to_{months[-1]:%Y-%m}.csv",
                      ["area_code", "area_name", "indicator", "period", "measure", "units",
                       "value"], rows, arrived_at=arrived)

    # OHID Fingertips: three-year periods, a breakdown by sex, the publisher's comparison
    rng = rng_for(seed, "benchmark", "life")
    spans = [f"{y} - {(y + 2) % 100:02d}" for y in range(2015, 2020)]
    rows = []
    for sex, centre in (("Male", 63.0), ("Female", 64.0)):
        years = _draw(rng, centre, 1.6, 0.4, len(spans), 0.05, 1)
        for code, name in _areas():
            kind = {"E92000001": "Country", "E12000008": "Region"}.get(code, "UA")
            for i, p in enumerate(spans):
                compared = "Not compared" if kind == "Country" else str(
                    rng.choice(["Better", "Similar", "Worse"]))
                rows.append([code, name, kind, p, LIFE, "Life expectancy", "Years",
                             years[code][i], compared, sex])
    landing.write_csv("benchmark/measures", "healthy_life_expectancy.csv",
                      ["area_code", "area_name", "area_type", "period", "indicator", "measure",
                       "unit", "value", "compared_to_England", "inequality"],
                      rows, arrived_at=arrived)

    # DfT licensed vehicles: quarter-end dates, two value columns
    rng = rng_for(seed, "benchmark", "vehicles")
    ends = [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)]
    rows = []
    for code, name in _areas()[:-1]:
        fleet = float(rng.uniform(90_000, 380_000)) * (150 if code == "E92000001" else 1)
        for i, d in enumerate(ends):
            ulev = fleet * (0.04 + 0.004 * i) * float(rng.uniform(0.8, 1.3))
            rows.append([code, name, d.isoformat(), VEHICLES, "Frequency", "Vehicles",
                         f"{ulev:.0f}", f"{fleet * (1 + 0.002 * i):.0f}"])
    landing.write_csv("benchmark/measures", "licensed_vehicles.csv",
                      ["area_code", "area_name", "period", "indicator", "measure", "unit",
                       "value_ulev", "value_all_vehicles"], rows, arrived_at=arrived)

    landing.write_csv(
        "benchmark/indicators", "benchmark_indicators.csv",
        ["indicator", "measure", "polarity", "indicator_id", "short_name"],
        [[TEMPORARY, "", "lower", by_name.get("Number of households in temporary accommodation",
                                              ""), "Households in temporary accommodation"],
         [RECYCLING, "Percentage", "higher",
          by_name.get("Percentage of household waste sent for reuse, recycling and composting",
                      ""), "Household waste recycled"],
         [CLAIMANTS, "", "lower", by_name.get("Claimant count rate", ""), "Claimant rate"],
         [LIFE, "", "higher", "", "Healthy life expectancy"]],
        arrived_at=arrived, note="the council's polarity and links for four benchmarks")
