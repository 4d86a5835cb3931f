"""The performance system: indicator definitions, monthly returns, Council Plan actions.

161 councilwide indicators across the 8 directorates, tagged to the Council Plan's
five priorities. Each indicator's typical value is set against its target so the
story reads true (EHC plans late, temporary accommodation high, recycling a bit
short, benefits processing good); monthly noise and a gentle trend do the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from onecouncil.calendar import FiscalPeriod, FiscalQuarter
from onecouncil.simulate._common import (
    PRIOR_YEAR,
    YEAR,
    Landing,
    at,
    insert_bad,
    iso,
    periods_to,
    quarter_snapshots,
    rng_for,
    uk,
    working_day_after,
)
from onecouncil.simulate.org import PRIORITIES, Org

P1, P2, P3, P4, P5 = range(5)  # index into PRIORITIES

# name, unit, polarity, frequency (m/q/a), aggregation, decimals, typical, target,
# priority, denominator (ratio only)
_SPECS: dict[str, tuple] = {
    "ADS": (
        ("Percentage of adult social care assessments completed within 28 days",
         "%", "higher", "m", "ratio", 1, 78, 85, P3, 320),
        ("Number of people receiving long-term adult social care support",
         "number", "none", "m", "last", 0, 4100, None, None, None),
        ("Permanent admissions to residential and nursing care, aged 65+, per 100,000 population",
         "rate", "lower", "q", "sum", 1, 131, 120, P1, None),
        ("Percentage of older people still at home 91 days after discharge into reablement",
         "%", "higher", "q", "ratio", 1, 82, 85, P1, 150),
        ("Percentage of safeguarding enquiries where the risk was reduced or removed",
         "%", "higher", "q", "ratio", 1, 91, 90, P1, 120),
        ("Number of adult safeguarding concerns received",
         "number", "none", "m", "sum", 0, 420, None, None, None),
        ("Percentage of people using social care who receive direct payments",
         "%", "higher", "m", "last", 1, 24.5, 28, P3, None),
        ("Average weekly cost of residential care for older people",
         "£", "lower", "m", "mean", 0, 1080, 1010, None, None),
        ("Days of delayed discharge attributable to social care",
         "days", "lower", "m", "sum", 0, 210, 180, P1, None),
        ("Percentage of carers' assessments completed within 28 days",
         "%", "higher", "m", "ratio", 1, 71, 80, P3, 80),
        ("Number of people waiting for a social care assessment",
         "number", "lower", "m", "last", 0, 380, 300, P3, None),
        ("Percentage of adults with a learning disability in paid employment",
         "%", "higher", "q", "last", 1, 5.8, 7, P2, None),
        ("Percentage of adults with a learning disability living in their own home or with family",
         "%", "higher", "q", "last", 1, 86, 85, P4, None),
        ("Average days from referral to start of a home care package",
         "days", "lower", "m", "mean", 1, 9.5, 7, None, None),
        ("Percentage of annual care package reviews completed",
         "%", "higher", "m", "ratio", 1, 62, 75, None, 350),
        ("Number of new deprivation of liberty safeguards applications",
         "number", "none", "m", "sum", 0, 170, None, None, None),
        ("Smoking prevalence in adults", "%", "lower", "a", "last", 1, 12.1, 11, P1, None),
        ("Percentage of eligible residents offered an NHS Health Check",
         "%", "higher", "q", "ratio", 1, 4.6, 5, P1, 14000),
        ("Successful completions of drug treatment (non-opiate users)",
         "%", "higher", "q", "ratio", 1, 31, 35, P1, 200),
        ("Percentage of new birth visits completed within 14 days",
         "%", "higher", "m", "ratio", 1, 92, 90, P1, 390),
        ("Chlamydia detection rate per 100,000 aged 15-24",
         "rate", "higher", "q", "last", 0, 1650, 1800, P1, None),
        ("Number of adults completing a reablement service",
         "number", "higher", "m", "sum", 0, 104, 100, None, None),
        ("Percentage of adult social care complaints answered within 20 working days",
         "%", "higher", "m", "ratio", 1, 74, 85, None, 25),
        ("Percentage of people satisfied with their care and support",
         "%", "higher", "a", "last", 1, 62, 65, P1, None),
    ),
    "CHS": (
        ("Percentage of child and family assessments completed within 45 working days",
         "%", "higher", "m", "ratio", 1, 84, 90, P3, 260),
        ("Number of children in care", "number", "none", "m", "last", 0, 410, None, None, None),
        ("Children in care per 10,000 children aged under 18",
         "rate", "lower", "m", "last", 1, 60.5, 58, P3, None),
        ("Number of children subject to a child protection plan",
         "number", "none", "m", "last", 0, 290, None, None, None),
        ("Percentage of child protection plans lasting two years or more",
         "%", "lower", "m", "ratio", 1, 3.5, 3, P3, 60),
        ("Percentage of children's social care referrals within 12 months of a previous one",
         "%", "lower", "m", "ratio", 1, 21, 20, P3, 450),
        ("Percentage of children in care with three or more placements in the year",
         "%", "lower", "m", "ratio", 1, 9.5, 10, P3, 410),
        ("Percentage of children in care placed more than 20 miles from home",
         "%", "lower", "m", "ratio", 1, 16, 12, P3, 410),
        ("Number of children in care placed in residential homes",
         "number", "lower", "m", "last", 0, 42, 35, None, None),
        ("Number of approved in-house foster carer households",
         "number", "higher", "q", "last", 0, 128, 140, P3, None),
        ("Percentage of care leavers aged 19-21 in education, employment or training",
         "%", "higher", "q", "ratio", 1, 57, 60, P2, 180),
        ("Percentage of care leavers aged 19-21 in suitable accommodation",
         "%", "higher", "q", "ratio", 1, 93, 92, P4, 180),
        ("Percentage of EHC plans issued within 20 weeks (excluding exceptions)",
         "%", "higher", "m", "ratio", 1, 48, 60, P3, 70),
        ("Number of requests for an EHC needs assessment",
         "number", "none", "m", "sum", 0, 95, None, None, None),
        ("Percentage of pupils attending a good or outstanding school",
         "%", "higher", "q", "last", 1, 88, 90, P3, None),
        ("Persistent absence rate in secondary schools",
         "%", "lower", "q", "last", 1, 21.5, 19, P3, None),
        ("Number of permanent exclusions", "number", "lower", "q", "sum", 0, 9, 7, P3, None),
        ("Percentage of children offered a place at their first-preference secondary school",
         "%", "higher", "a", "last", 1, 86, 88, P3, None),
        ("Take-up of funded early education by eligible 2-year-olds",
         "%", "higher", "q", "ratio", 1, 72, 80, P3, 1100),
        ("Percentage of 16-17 year olds not in education, employment or training, or not known",
         "%", "lower", "m", "ratio", 1, 4.9, 4.5, P2, 7600),
        ("First-time entrants to the youth justice system",
         "number", "lower", "q", "sum", 0, 14, 15, P1, None),
        ("Percentage of early help assessments closed with needs met",
         "%", "higher", "m", "ratio", 1, 77, 80, None, 140),
        ("Number of referrals to children's social care",
         "number", "none", "m", "sum", 0, 380, None, None, None),
        ("Percentage of children's social worker posts filled by agency staff",
         "%", "lower", "m", "ratio", 1, 18, 12, None, 210),
        ("Average caseload per children's social worker",
         "number", "lower", "m", "mean", 1, 19.5, 18, None, None),
        ("Percentage of children in care visited within statutory timescales",
         "%", "higher", "m", "ratio", 1, 93, 95, P3, 410),
    ),
    "ENP": (
        ("Percentage of household waste sent for reuse, recycling and composting",
         "%", "higher", "m", "ratio", 1, 48, 52, P5, 8500),
        ("Residual household waste per household (kg)",
         "number", "lower", "m", "sum", 1, 38, 36, P5, None),
        ("Missed bin collections per 100,000 collections",
         "rate", "lower", "m", "mean", 1, 42, 50, P1, None),
        ("Number of fly-tipping incidents reported",
         "number", "lower", "m", "sum", 0, 310, 280, P1, None),
        ("Percentage of fly-tipping incidents cleared within 2 working days",
         "%", "higher", "m", "ratio", 1, 91, 95, P1, 310),
        ("Percentage of principal roads where maintenance should be considered",
         "%", "lower", "a", "last", 1, 3.1, 4, P1, None),
        ("Percentage of non-principal roads where maintenance should be considered",
         "%", "lower", "a", "last", 1, 6.8, 7, None, None),
        ("Percentage of category 1 highway defects made safe within 24 hours",
         "%", "higher", "m", "ratio", 1, 93, 98, P1, 240),
        ("Percentage of streetlight faults repaired within 5 working days",
         "%", "higher", "m", "ratio", 1, 89, 90, P1, 300),
        ("Number of public electric vehicle charge points (cumulative)",
         "number", "higher", "q", "last", 0, 410, 450, P5, None),
        ("Council operational carbon emissions (tonnes CO2e)",
         "number", "lower", "q", "sum", 0, 2450, 2300, P5, None),
        ("Percentage of the council fleet that is electric or ultra-low emission",
         "%", "higher", "q", "last", 1, 22, 30, P5, None),
        ("Number of trees planted", "number", "higher", "q", "sum", 0, 2100, 2500, P5, None),
        ("Percentage of food premises rated 4 or 5 for food hygiene",
         "%", "higher", "q", "last", 1, 93, 92, P1, None),
        ("Percentage of high-risk food inspections completed on time",
         "%", "higher", "q", "ratio", 1, 96, 100, P1, 80),
        ("Percentage of noise complaints responded to within 5 working days",
         "%", "higher", "m", "ratio", 1, 87, 90, P1, 170),
        ("Number of licensing applications received",
         "number", "none", "m", "sum", 0, 240, None, None, None),
        ("Percentage of licence applications determined within statutory timescales",
         "%", "higher", "m", "ratio", 1, 97, 98, None, 240),
        ("Percentage of residents satisfied with parks and open spaces",
         "%", "higher", "a", "last", 1, 78, 80, P1, None),
        ("Number of garden waste subscriptions",
         "number", "higher", "q", "last", 0, 52000, 55000, P5, None),
        ("Percentage of council buildings with a Display Energy Certificate rated C or better",
         "%", "higher", "a", "last", 1, 44, 50, P5, None),
        ("Commercial property portfolio occupancy",
         "%", "higher", "q", "last", 1, 91, 93, P2, None),
        ("Percentage of reactive property repairs completed within target time",
         "%", "higher", "m", "ratio", 1, 84, 90, None, 420),
        ("Average days to remove offensive graffiti",
         "days", "lower", "m", "mean", 1, 1.4, 1, P1, None),
    ),
    "HRG": (
        ("Number of households in temporary accommodation",
         "number", "lower", "m", "last", 0, 820, 700, P4, None),
        ("Number of households in bed and breakfast accommodation",
         "number", "lower", "m", "last", 0, 140, 90, P4, None),
        ("Number of families with children in bed and breakfast for more than 6 weeks",
         "number", "lower", "m", "last", 0, 3, 0, P4, None),
        ("Percentage of homelessness cases where homelessness was prevented",
         "%", "higher", "m", "ratio", 1, 54, 60, P4, 210),
        ("Number of homelessness approaches",
         "number", "none", "m", "sum", 0, 430, None, None, None),
        ("Number of people sleeping rough (monthly snapshot)",
         "number", "lower", "m", "last", 0, 18, 10, P4, None),
        ("Number of new affordable homes delivered",
         "number", "higher", "q", "sum", 0, 95, 125, P4, None),
        ("Number of new council homes started",
         "number", "higher", "q", "sum", 0, 28, 40, P4, None),
        ("Average length of stay in temporary accommodation (days)",
         "days", "lower", "m", "mean", 0, 310, 270, P4, None),
        ("Number of households on the housing register",
         "number", "none", "m", "last", 0, 14800, None, None, None),
        ("Number of empty homes brought back into use",
         "number", "higher", "q", "sum", 0, 22, 25, P4, None),
        ("Number of HMO licences issued", "number", "none", "q", "sum", 0, 85, None, None, None),
        ("Percentage of disabled facilities grant cases completed within 6 months",
         "%", "higher", "q", "ratio", 1, 64, 75, P3, 60),
        ("Number of category 1 hazards removed from private rented homes",
         "number", "higher", "q", "sum", 0, 48, 50, P4, None),
        ("Net additional homes delivered",
         "number", "higher", "a", "last", 0, 1850, 1767, P4, None),
        ("Average cost per night of temporary accommodation",
         "£", "lower", "m", "mean", 2, 58.4, 52, None, None),
        ("Percentage of housing register applications assessed within 28 days",
         "%", "higher", "m", "ratio", 1, 69, 85, P4, 310),
        ("Regeneration programme homes completed (cumulative)",
         "number", "higher", "q", "last", 0, 140, 160, P4, None),
    ),
    "PLP": (
        ("Percentage of major planning applications determined in time",
         "%", "higher", "q", "ratio", 1, 86, 90, P2, 30),
        ("Percentage of minor planning applications determined in time",
         "%", "higher", "m", "ratio", 1, 81, 85, P2, 70),
        ("Percentage of other planning applications determined in time",
         "%", "higher", "m", "ratio", 1, 88, 90, None, 180),
        ("Number of planning applications received",
         "number", "none", "m", "sum", 0, 290, None, None, None),
        ("Percentage of planning appeals allowed", "%", "lower", "q", "ratio", 1, 28, 30, None, 25),
        ("Number of planning enforcement cases closed",
         "number", "higher", "m", "sum", 0, 48, 50, None, None),
        ("Planning fee income", "£", "higher", "m", "sum", 0, 290000, 340000, P2, None),
        ("Percentage of building regulation applications checked within 15 working days",
         "%", "higher", "m", "ratio", 1, 92, 95, None, 140),
        ("Building control market share", "%", "higher", "q", "last", 1, 58, 60, None, None),
        ("Number of businesses supported by the growth hub",
         "number", "higher", "q", "sum", 0, 160, 150, P2, None),
        ("Number of residents supported into employment",
         "number", "higher", "q", "sum", 0, 120, 150, P2, None),
        ("Claimant count rate", "%", "lower", "m", "last", 1, 3.6, 3.5, P2, None),
        ("Number of visits to leisure centres",
         "number", "higher", "m", "sum", 0, 118000, 115000, P1, None),
        ("Attendance at council-funded arts and heritage events",
         "number", "higher", "q", "sum", 0, 24000, 22000, P2, None),
        ("Percentage of city centre retail units occupied",
         "%", "higher", "q", "last", 1, 89, 90, P2, None),
        ("Number of apprenticeship starts in Milton Keynes",
         "number", "higher", "q", "sum", 0, 640, 700, P2, None),
        ("Percentage of City Plan 2050 milestones met",
         "%", "higher", "q", "last", 0, 75, 100, P4, None),
        ("Number of neighbourhood plans made (cumulative)",
         "number", "higher", "a", "last", 0, 38, 40, None, None),
    ),
    "FIN": (
        ("Council tax collected against profile",
         "%", "higher", "m", "last", 1, 99.6, 100, None, None),
        ("Business rates collected against profile",
         "%", "higher", "m", "last", 1, 99.2, 100, None, None),
        ("Average days to process new housing benefit claims",
         "days", "lower", "m", "mean", 1, 17.5, 18, P3, None),
        ("Average days to process housing benefit changes of circumstances",
         "days", "lower", "m", "mean", 1, 6.1, 7, P3, None),
        ("Average days to process council tax reduction claims",
         "days", "lower", "m", "mean", 1, 19, 20, P3, None),
        ("Percentage of undisputed invoices paid within 30 days",
         "%", "higher", "m", "ratio", 1, 94, 95, P2, 9000),
        ("Percentage of invoices from local small businesses paid within 10 days",
         "%", "higher", "m", "ratio", 1, 82, 85, P2, 1500),
        ("Percentage of council spend with local suppliers",
         "%", "higher", "q", "ratio", 1, 41, 45, P2, 48000000),
        ("Sundry debt over 90 days old",
         "£", "lower", "m", "last", 0, 4200000, 3500000, None, None),
        ("Average working days lost to sickness per FTE (rolling 12 months)",
         "days", "lower", "m", "last", 2, 9.8, 8.5, None, None),
        ("Staff turnover (rolling 12 months)", "%", "lower", "q", "last", 1, 12.4, 12, None, None),
        ("Percentage of posts filled by agency workers",
         "%", "lower", "m", "ratio", 1, 7.8, 6, None, 2500),
        ("Percentage of staff up to date with mandatory training",
         "%", "higher", "q", "last", 1, 86, 95, None, None),
        ("ICT service desk calls resolved at first contact",
         "%", "higher", "m", "ratio", 1, 71, 70, None, 5200),
        ("ICT core system availability", "%", "higher", "m", "mean", 2, 99.82, 99.5, None, None),
        ("Number of cyber security incidents", "number", "lower", "m", "sum", 0, 1, 0, None, None),
        ("Gender pay gap (median)", "%", "lower", "a", "last", 1, 6.2, 5, P3, None),
        ("Percentage of procurement spend through compliant contracts",
         "%", "higher", "q", "ratio", 1, 93, 95, None, 42000000),
        ("Social value committed through council contracts",
         "£", "higher", "q", "sum", 0, 1400000, 1250000, P2, None),
        ("Percentage of planned budget savings delivered",
         "%", "higher", "q", "last", 1, 78, 90, None, None),
    ),
    "LAG": (
        ("Percentage of Freedom of Information requests answered within 20 working days",
         "%", "higher", "m", "ratio", 1, 86, 90, None, 140),
        ("Percentage of subject access requests answered within one month",
         "%", "higher", "m", "ratio", 1, 72, 90, None, 35),
        ("Number of data breaches reported to the ICO",
         "number", "lower", "q", "sum", 0, 1, 0, None, None),
        ("Number of personal data breaches recorded",
         "number", "lower", "m", "sum", 0, 9, 8, None, None),
        ("Percentage of committee minutes published within 10 working days",
         "%", "higher", "m", "ratio", 1, 95, 100, None, 14),
        ("Percentage of properties responding to the annual electoral canvass",
         "%", "higher", "a", "last", 1, 91, 92, None, None),
        ("Percentage of the internal audit plan delivered to date",
         "%", "higher", "q", "last", 1, 42, 45, None, None),
        ("Percentage of high-priority audit recommendations implemented on time",
         "%", "higher", "q", "ratio", 1, 71, 90, None, 14),
        ("Number of fraud referrals investigated",
         "number", "none", "q", "sum", 0, 38, None, None, None),
        ("Value of fraud and error identified",
         "£", "none", "q", "sum", 0, 185000, None, None, None),
        ("Percentage of legal instructions acknowledged within 2 working days",
         "%", "higher", "m", "ratio", 1, 96, 95, None, 160),
        ("Number of Ombudsman complaints upheld",
         "number", "lower", "q", "sum", 0, 4, 3, None, None),
        ("Percentage of corporate risks reviewed on time",
         "%", "higher", "q", "ratio", 1, 88, 100, None, 16),
    ),
    "STE": (
        ("Percentage of calls answered", "%", "higher", "m", "ratio", 1, 89, 90, None, 22000),
        ("Average call waiting time (seconds)",
         "number", "lower", "m", "mean", 0, 148, 120, None, None),
        ("Percentage of customer contacts made online",
         "%", "higher", "m", "ratio", 1, 56, 60, None, 55000),
        ("Percentage of stage 1 complaints answered within 10 working days",
         "%", "higher", "m", "ratio", 1, 78, 85, None, 290),
        ("Number of compliments received", "number", "higher", "m", "sum", 0, 120, 100, None, None),
        ("Percentage of residents satisfied with the way the council runs things",
         "%", "higher", "a", "last", 1, 58, 60, P1, None),
        ("Followers across council social media channels",
         "number", "higher", "q", "last", 0, 81000, 85000, None, None),
        ("Website user satisfaction", "%", "higher", "m", "mean", 1, 64, 70, None, None),
        ("Number of library visits", "number", "higher", "m", "sum", 0, 61000, 60000, P1, None),
        ("Number of library e-loans", "number", "higher", "m", "sum", 0, 23000, 20000, P3, None),
        ("Number of residents helped at community hubs",
         "number", "higher", "m", "sum", 0, 3100, 3000, P3, None),
        ("Number of anti-social behaviour incidents reported",
         "number", "lower", "m", "sum", 0, 620, 600, P1, None),
        ("Percentage of anti-social behaviour cases resolved within 28 days",
         "%", "higher", "m", "ratio", 1, 79, 80, P1, 110),
        ("Number of domestic abuse referrals to support services",
         "number", "none", "m", "sum", 0, 240, None, None, None),
        ("Number of volunteers supported through community programmes",
         "number", "higher", "q", "sum", 0, 410, 400, P3, None),
        ("Voluntary sector grant funding awarded",
         "£", "none", "q", "sum", 0, 260000, None, None, None),
        ("Percentage of Council Plan actions on track or complete",
         "%", "higher", "q", "last", 1, 74, 80, None, None),
        ("Percentage of residents who feel safe outside after dark",
         "%", "higher", "a", "last", 1, 61, 65, P1, None),
    ),
}
_NOT_PUBLIC = (
    "Number of cyber security incidents", "Number of data breaches reported to the ICO",
    "Number of personal data breaches recorded", "Value of fraud and error identified",
    "Number of fraud referrals investigated", "Percentage of posts filled by agency workers",
    "Average working days lost to sickness per FTE (rolling 12 months)",
    "Percentage of children's social worker posts filled by agency staff",
    "Percentage of corporate risks reviewed on time", "Sundry debt over 90 days old",
    "Percentage of planned budget savings delivered",
    "Number of families with children in bed and breakfast for more than 6 weeks",
)
_FREQ = {"m": "monthly", "q": "quarterly", "a": "annual"}


@dataclass
class Indicator:
    id: str
    name: str
    directorate: str
    unit: str
    polarity: str
    frequency: str
    aggregation: str
    decimals: int
    typical: float
    target: float | None
    target_prev: float | None
    tolerance: float | None
    priority: str
    owner: str
    public: bool
    denominator: float | None
    trend: float  # relative change per month
    centre: float  # where this year's values sit
    history_centre: float  # where last year's sat
    spread: float  # month-to-month noise (standard deviation, in the indicator's unit)


def build_indicators(org: Org, seed: int) -> list[Indicator]:
    rng = rng_for(seed, "indicators")
    heads = {d.code: [s.head for s in org.services_of(d.code)] for d in org.directorates}
    out: list[Indicator] = []
    for d, specs in _SPECS.items():
        for n, (name, unit, pol, freq, agg, dec, typ, target, pri, den) in enumerate(specs, 1):
            tol = None
            if unit == "%" and target is not None and target >= 30 and rng.random() < 0.35:
                tol = float(rng.choice([1.0, 2.0, 2.5, 3.0]))
            elif unit == "number" and dec == 0 and target is not None and target < 200:
                tol = float(max(1, round(0.15 * target)))  # small counts are noisy
            prev = None
            if target is not None:
                step = abs(target) * 0.03 or 1.0
                prev = target - step if pol == "higher" else target + step
                prev = round(prev, dec) if dec else round(prev)
                if unit == "%" and prev > 100:
                    prev = 100.0
                if rng.random() < 0.08:
                    prev = None  # a new target this year
            centre, history, spread = _centres(rng, name, pol, float(typ), target, tol, unit)
            out.append(Indicator(
                id=f"PI-{d}-{n:02d}", name=name, directorate=d, unit=unit, polarity=pol,
                frequency=_FREQ[freq], aggregation=agg, decimals=dec, typical=float(typ),
                target=None if target is None else float(target), target_prev=prev,
                tolerance=tol, priority="" if pri is None else PRIORITIES[pri],
                owner=heads[d][int(rng.integers(len(heads[d])))],
                public=name not in _NOT_PUBLIC, denominator=den,
                trend=float(rng.normal(0, 0.002)), centre=centre, history_centre=history,
                spread=spread,
            ))
    assert len(out) == 161, len(out)
    return out


def _num(x: float | None, decimals: int) -> str:
    if x is None:
        return ""
    return f"{x:.{decimals}f}"


def write_indicators(landing: Landing, indicators: list[Indicator]) -> None:
    header = ["indicator_id", "indicator_name", "directorate_code", "frequency", "polarity",
              "unit", "aggregation", "decimals", "council_plan_priority", "target_2024_25",
              "target_2025_26", "tolerance", "owner", "is_public"]
    rows = [[i.id, i.name, i.directorate, i.frequency, i.polarity, i.unit, i.aggregation,
             str(i.decimals), i.priority, _num(i.target_prev, i.decimals),
             _num(i.target, i.decimals), _num(i.tolerance, 1), i.owner,
             "Y" if i.public else "N"] for i in indicators]
    landing.write_csv(
        "performance/indicators", "Indicator_Definitions_2025-26.csv", header, rows,
        arrived_at=at(date(2025, 4, 2), 8, 0),
        note="161 indicators; targets as wide target_2024_25 / target_2025_26 columns; "
             f"{sum(not i.public for i in indicators)} not public.",
    )


def _period_ends(ind: Indicator, fy_start: int) -> list[date]:
    """Every period end of the indicator's frequency in one fiscal year."""
    fy = YEAR if fy_start == YEAR.start_year else PRIOR_YEAR
    if ind.frequency == "monthly":
        return [FiscalPeriod(fy, p).last_day for p in range(1, 13)]
    if ind.frequency == "quarterly":
        return [FiscalQuarter(fy, q).last_day for q in (1, 2, 3, 4)]
    return [fy.last_day]


# Indicators whose story is fixed: the pressures councillors will ask about, and the
# services doing well. Everything else is drawn: most Green, some Amber, a few Red.
_STORY_RED = ("EHC plans issued", "households in temporary accommodation",
              "bed and breakfast accommodation", "posts filled by agency staff",
              "more than 20 miles", "waiting for a social care assessment", "Planning fee income",
              "subject access requests", "high-priority audit recommendations")
_STORY_GREEN = ("new housing benefit claims", "council tax reduction claims", "new birth visits",
                "food premises rated", "Number of library e-loans", "ICT core system availability")


def _centres(rng, name: str, polarity: str, typical: float, target: float | None,
             tolerance: float | None, unit: str) -> tuple[float, float, float]:
    """(this year's centre, last year's centre, noise) for one indicator."""
    tol = tolerance if tolerance is not None else (abs(target) * 0.05 if target else 0.0)
    if target is None or polarity == "none" or not tol:
        return typical, typical * (1 + rng.normal(0, 0.06)), abs(typical) * 0.035
    sign = 1 if polarity == "higher" else -1
    if any(k in name for k in _STORY_RED):
        band = "red"
    elif any(k in name for k in _STORY_GREEN):
        band = "green"
    else:
        band = str(rng.choice(["green", "amber", "red"], p=[0.65, 0.2, 0.15]))
    offset = {"green": rng.uniform(0.5, 2.0), "amber": -rng.uniform(0.3, 0.7),
              "red": -rng.uniform(1.6, 3.5)}[band]
    centre = target + sign * offset * tol
    history = centre - sign * rng.normal(0.4, 0.8) * tol  # most a little better this year
    if unit == "%":
        centre, history = min(99.8, max(0.5, centre)), min(99.8, max(0.5, history))
    return max(0.0, centre), max(0.0, history), 0.25 * tol


def _value(ind: Indicator, rng, months_from_start: int, history: bool) -> tuple[float, str, str]:
    """(value, numerator, denominator) for one period."""
    centre = (ind.history_centre if history else ind.centre) * (1 + ind.trend * months_from_start)
    if ind.aggregation == "ratio":
        den = max(5, int(round(ind.denominator * (1 + rng.normal(0, 0.08)))))
        share = min(1.0, max(0.0, (centre + rng.normal(0, ind.spread)) / 100))
        num = int(round(share * den))
        return num / den * 100, str(num), str(den)
    if ind.unit == "number" and ind.aggregation in ("sum", "last") and centre < 200:
        v = float(rng.poisson(max(centre, 0.0)))
    else:
        v = centre + rng.normal(0, ind.spread)
    if ind.unit == "%":
        v = min(100.0, max(0.0, v))
    return max(0.0, v), "", ""


def _fmt_value(ind: Indicator, v: float) -> str:
    return f"{v:.{ind.decimals + (1 if ind.aggregation == 'ratio' else 0)}f}"


def write_indicator_values(landing: Landing, org: Org, indicators: list[Indicator],
                           through: FiscalPeriod, seed: int) -> None:
    header = ["indicator_id", "period_end", "value", "numerator", "denominator", "status",
              "commentary", "submitted_by", "submitted_at"]
    # values for the whole year (and the year before), drawn once: files for earlier
    # periods are the same whatever `through` is
    values: dict[tuple[str, date], tuple[str, str, str]] = {}
    for ind in indicators:
        rng = rng_for(seed, "indicator-values", ind.id)
        for fy_start in (PRIOR_YEAR.start_year, YEAR.start_year):
            for end in _period_ends(ind, fy_start):
                months = (end.year - YEAR.start_year) * 12 + end.month - 4
                v, num, den = _value(ind, rng, months, fy_start != YEAR.start_year)
                values[(ind.id, end)] = (_fmt_value(ind, v), num, den)

    def stamp(end: date, rng, days: int = 8) -> str:
        d = working_day_after(end, days + int(rng.integers(0, 4)))
        t = datetime.combine(d, datetime.min.time()) + timedelta(
            minutes=int(rng.integers(8 * 60, 18 * 60)))
        return t.strftime("%Y-%m-%dT%H:%M:00")

    def row(ind: Indicator, end: date, status: str, rng, when: str | None = None,
            comment: str = "") -> list[str]:
        v, num, den = values[(ind.id, end)]
        return [ind.id, iso(end), v, num, den, status, comment, ind.owner,
                when or stamp(end, rng)]

    previous_rows: dict[str, list[str]] = {}
    for fp in periods_to(through):
        p = fp.period
        rng = rng_for(seed, "indicator-file", p)
        rows: list[list[str]] = []
        if p == 1:  # 2024-25 history, so direction of travel has a year-ago value
            for ind in indicators:
                for end in _period_ends(ind, PRIOR_YEAR.start_year):
                    rows.append(row(ind, end, "final", rng))
        due = [i for i in indicators if i.frequency == "monthly"
               or (i.frequency == "quarterly" and p % 3 == 0)
               or (i.frequency == "annual" and p == 12)]
        monthly_due = [i for i in due if i.frequency == "monthly"]
        missing = {monthly_due[int(k)].id for k in rng.choice(len(monthly_due), size=3,
                                                             replace=False)}
        if p % 3 == 0:
            qdue = [i for i in due if i.frequency == "quarterly"]
            missing.add(qdue[int(rng.integers(len(qdue)))].id)
        end_of = {"monthly": fp.last_day, "quarterly": fp.last_day, "annual": fp.last_day}
        this_rows: list[list[str]] = []
        for ind in due:
            if ind.id in missing:
                continue
            status = "provisional" if rng.random() < 0.08 else (
                "" if rng.random() < 0.04 else "final")
            comment = ""
            if ind.target is not None and ind.polarity != "none":
                v = float(values[(ind.id, end_of[ind.frequency])][0])
                worse = v < ind.target if ind.polarity == "higher" else v > ind.target
                if worse and rng.random() < 0.7:
                    comment = _COMMENTS[int(rng.integers(len(_COMMENTS)))]
            this_rows.append(row(ind, end_of[ind.frequency], status, rng, comment=comment))
        # resubmissions: last month's provisional values confirmed with a later stamp
        for old in list(previous_rows.values())[:2]:
            again = list(old)
            again[5] = "final"
            again[6] = "Resubmitted: validated figure."
            again[8] = stamp(fp.last_day, rng, 3)
            this_rows.append(again)
        # one value corrected within the file: same period, a later submitted_at
        first = this_rows[int(rng.integers(len(this_rows)))]
        fixed = list(first)
        fixed[6] = "Corrected: earlier return keyed in error."
        fixed[8] = (datetime.fromisoformat(first[8]) + timedelta(hours=2)).strftime(
            "%Y-%m-%dT%H:%M:00")
        this_rows.append(fixed)
        previous_rows = {r[0]: r for r in this_rows if r[5] == "provisional"}
        rows += this_rows
        items = []
        kinds = ["not a number", "status outside set", "duplicate row"]
        for k in range(1 + p % 2):
            kind = kinds[(p + k) % 3]
            j = len(rows) - len(this_rows) + int(rng.integers(len(this_rows)))
            bad = list(rows[j])
            if kind == "duplicate row":
                items.append((bad, "second row with the same indicator_id, period_end and "
                              "submitted_at", j))
                continue
            bad[8] = bad[8][:-5] + "59:59"  # its own submitted_at: not also a duplicate
            if kind == "not a number":
                bad[2] = "n/a"
                bad[3] = bad[4] = ""
                items.append((bad, "value 'n/a' is not a number", -1))
            else:
                bad[5] = "draft"
                items.append((bad, "status 'draft' outside provisional/final", -1))
        rows, badset = insert_bad(rng, rows, items)
        arrived = at(working_day_after(fp.last_day, 12), 8, 30)
        landing.write_csv(
            "performance/indicator_values", f"Indicator_Returns_2025-26_P{p:02d}.csv", header,
            rows, arrived_at=arrived, bad=badset,
            note=("Includes the full 2024-25 history. " if p == 1 else "")
                 + f"{len(missing)} due indicators not returned; provisional values; "
                 "resubmissions with a later submitted_at.",
            extra={"not_returned": sorted(missing)},
        )
    landing.say(f"indicator values: {len(periods_to(through))} files")


_COMMENTS = (
    "Performance below target; improvement plan agreed at directorate leadership team.",
    "Demand higher than forecast this month.",
    "Staffing vacancies affecting timeliness; recruitment under way.",
    "Data being validated; expect improvement next month.",
    "Seasonal dip, consistent with last year.",
)

# ----------------------------------------------------------------------------- plan actions

_ACTION_TITLES: dict[int, tuple[tuple[str, str], ...]] = {
    P1: (("Roll out food waste collections to all households", "ENP"),
         ("Open two new community safety hubs", "STE"),
         ("Complete the Redway resurfacing programme phase 1", "ENP"),
         ("Deliver the Healthy Weight action plan", "ADS"),
         ("Launch the Safer Streets programme in Bletchley and Fishermead", "STE"),
         ("Refresh the Joint Health and Wellbeing Strategy", "ADS"),
         ("Increase leisure centre concessions for low-income residents", "PLP"),
         ("Install 200 additional CCTV cameras in hotspot areas", "STE"),
         ("Deliver the play area renewal programme", "ENP"),
         ("Introduce a Public Spaces Protection Order for the city centre", "LAG"),
         ("Commission a new integrated sexual health service", "ADS"),
         ("Complete the street lighting LED conversion", "ENP")),
    P2: (("Deliver the MK growth hub business support programme", "PLP"),
         ("Adopt the Social Value Policy in all major contracts", "FIN"),
         ("Create 150 council apprenticeships", "FIN"),
         ("Open the Central Milton Keynes skills centre", "PLP"),
         ("Deliver the city centre vacant units programme", "PLP"),
         ("Pay local small businesses within 10 days", "FIN"),
         ("Launch the inclusive employment charter", "PLP"),
         ("Support 300 residents into work through the employment hub", "PLP"),
         ("Deliver the Theatre District public realm improvements", "PLP"),
         ("Agree the MK visitor economy strategy", "PLP"),
         ("Publish the council's workforce equality plan", "FIN"),
         ("Extend supported employment for adults with learning disabilities", "ADS")),
    P3: (("Expand the Household Support Fund offer through community hubs", "STE"),
         ("Reduce waiting times for adult social care assessments", "ADS"),
         ("Open two new family hubs", "CHS"),
         ("Improve the timeliness of EHC plans", "CHS"),
         ("Deliver the children's placement sufficiency strategy", "CHS"),
         ("Launch a digital inclusion programme for older residents", "STE"),
         ("Extend free school meal holiday activities", "CHS"),
         ("Review the council tax reduction scheme", "FIN"),
         ("Deliver the care leavers' local offer", "CHS"),
         ("Recruit 30 new in-house foster carer households", "CHS"),
         ("Deliver the carers' strategy action plan", "ADS"),
         ("Publish the tackling poverty strategy", "STE")),
    P4: (("Start 100 new council homes", "HRG"),
         ("Acquire 50 homes to reduce temporary accommodation costs", "HRG"),
         ("End the use of bed and breakfast for families beyond six weeks", "HRG"),
         ("Submit the MK City Plan 2050 for examination", "PLP"),
         ("Complete phase 2 of the Lakes Estate regeneration", "HRG"),
         ("Introduce selective licensing for private rented homes", "HRG"),
         ("Deliver the rough sleeping prevention programme", "HRG"),
         ("Bring 25 empty homes back into use", "HRG"),
         ("Deliver the extra care scheme at Fenny Stratford", "ADS"),
         ("Agree the affordable housing supplementary planning document", "PLP"),
         ("Complete the Fishermead regeneration masterplan", "HRG"),
         ("Improve disabled facilities grant completion times", "HRG")),
    P5: (("Publish the council's net zero roadmap", "ENP"),
         ("Install 150 new public electric vehicle charge points", "ENP"),
         ("Plant 10,000 trees across Milton Keynes", "ENP"),
         ("Decarbonise the civic offices heating system", "ENP"),
         ("Convert 30% of the council fleet to electric", "ENP"),
         ("Install solar car ports at the civic offices", "ENP"),
         ("Deliver the flood alleviation scheme in Newport Pagnell", "ENP"),
         ("Launch the community climate action fund", "ENP"),
         ("Improve household recycling to 52%", "ENP"),
         ("Complete the Bletchley leisure centre decarbonisation", "PLP"),
         ("Publish a local nature recovery strategy", "PLP"),
         ("Embed carbon impact assessments in committee reports", "LAG")),
}


def write_plan_actions(landing: Landing, through: FiscalPeriod, seed: int) -> None:
    rng = rng_for(seed, "plan-actions")
    actions = []
    n = 0
    for pri, titles in _ACTION_TITLES.items():
        for title, lead in titles:
            n += 1
            due = date(2025, 6, 30) + timedelta(days=int(rng.integers(0, 640)))
            due = date(due.year, due.month, 28 if due.month == 2 else 30 if due.month in (
                4, 6, 9, 11) else 31)
            actions.append({"id": f"CPA-{n:02d}", "title": title, "priority": PRIORITIES[pri],
                            "lead": lead, "due": due, "start": float(rng.uniform(0, 45)),
                            "pace": float(rng.uniform(4, 14)), "trouble": float(rng.random())})
    header = ["action_id", "action_title", "priority", "lead_directorate_code", "fiscal_year",
              "quarter", "status", "due_date", "percent_complete", "update_text"]
    snapshots = quarter_snapshots(through)
    for q, fq in snapshots:
        qend = fq.last_day
        qrng = rng_for(seed, "plan-actions", q)
        rows = []
        for a in actions:
            months = 3 * q
            pct = min(100.0, a["start"] + a["pace"] * months * (0.6 if a["trouble"] > 0.8 else 1))
            months_left = (a["due"].year - qend.year) * 12 + a["due"].month - qend.month
            needed = (100 - pct) / max(months_left, 0.5)
            if pct >= 100:
                status, text = "complete", "Action completed."
            elif a["start"] < 5 and q == 1 and a["trouble"] < 0.15:
                status, text = "not started", "Due to start later in the year."
            elif a["due"] < qend or needed > 2.2 * a["pace"]:
                status, text = "off track", "Delayed: revised plan going to the next board."
            elif a["trouble"] > 0.8 or needed > 1.3 * a["pace"]:
                status, text = "at risk", "Some slippage; mitigation agreed with the lead member."
            else:
                status, text = "on track", "Progressing to plan."
            rows.append([a["id"], a["title"], a["priority"], a["lead"], str(fq.year),
                         str(fq.quarter),
                         status, uk(a["due"]), f"{round(pct):d}", text])
        j = int(qrng.integers(len(rows)))
        row = list(rows.pop(j))
        row[6] = "amber"
        rows, bad = insert_bad(qrng, rows, [(row, "status 'amber' outside the allowed set", -1)])
        arrived = at(working_day_after(qend, 18), 9, 0)
        landing.write_csv(
            "performance/plan_actions", f"Council_Plan_Actions_{fq.year}_Q{fq.quarter}.csv",
            header, rows, arrived_at=arrived, bad=bad,
            note=f"{fq} update on {len(actions)} Council Plan actions; one status "
                 "given as a RAG colour ('amber') rather than a status word.")
    landing.say(f"plan actions: {len(snapshots)} files")
