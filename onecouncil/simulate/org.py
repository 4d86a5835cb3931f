"""The simulated organisation: directorates, services, cost centres, accounts, suppliers.

Built once per seed and shared by every source system, so the ledger, the forecast,
the indicators and the risk register all talk about the same council. The
structure (names, codes, sizes, the finance story) is fixed; the seed chooses
people's names, how cost centres split up, and the like.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from onecouncil.simulate._common import person_names, rng_for

PRIORITIES = (
    "cleaner, safer and healthier communities",
    "a diverse and inclusive economy",
    "tackling social inequalities",
    "decent, affordable homes",
    "action on climate change",
)

# code, name
DIRECTORATES = (
    ("ADS", "Adult Services"),
    ("CHS", "Children's Services"),
    ("ENP", "Environment and Property"),
    ("HRG", "Housing and Regeneration"),
    ("PLP", "Planning and Placemaking"),
    ("FIN", "Finance and Resources"),
    ("LAG", "Law and Governance"),
    ("STE", "Strategy and Engagement"),
)

# directorate, service name, kind, gross expenditure £m, income £m,
# story (full-year forecast variance as a share of gross expenditure), cost-centre activities
SERVICES = (
    ("ADS", "Adult Social Care Operations", "care", 58, 11, 0.030,
     ("Locality Team", "Hospital Discharge Team", "Reablement", "Occupational Therapy",
      "Duty and Assessment", "Day Opportunities", "Carers Support")),
    ("ADS", "Adult Social Care Commissioning", "care", 62, 16, 0.058,
     ("Residential Care Older People", "Nursing Care", "Home Care", "Extra Care",
      "Direct Payments", "Supported Living", "Market Management")),
    ("ADS", "Learning Disabilities and Mental Health", "care", 30, 4, 0.020,
     ("Learning Disability Team", "Mental Health Social Work", "Transitions",
      "Community Support", "Supported Employment")),
    ("ADS", "Public Health", "staff", 13, 13, 0.0,
     ("Health Protection", "Sexual Health", "Drug and Alcohol", "Healthy Child Programme",
      "Health Improvement")),
    ("ADS", "Safeguarding and Quality", "staff", 4, 0.3, 0.0,
     ("Safeguarding Adults Board", "Quality Assurance", "DoLS Team", "Principal Social Worker")),
    ("CHS", "Children's Social Care", "staff", 26, 2, 0.010,
     ("Children in Need Team", "Child Protection", "MASH", "Court Team", "Leaving Care",
      "Disabled Children's Team", "Family Support")),
    ("CHS", "Children's Placements", "care", 30, 1.5, 0.125,
     ("Residential Placements", "Independent Fostering", "In-house Fostering",
      "Semi-independent Placements", "Special Guardianship", "Adoption Allowances")),
    ("CHS", "Education and Inclusion", "staff", 15, 8, 0.0,
     ("School Improvement", "Admissions", "Attendance", "Virtual School", "Early Years")),
    ("CHS", "Special Educational Needs and Disabilities", "transport", 14, 3, 0.045,
     ("SEND Assessment", "Home to School Transport", "SEND Transport", "Educational Psychology",
      "Specialist Teaching")),
    ("CHS", "Early Help and Youth", "staff", 6, 1, 0.0,
     ("Children's Centres", "Youth Service", "Youth Offending", "Family Hubs")),
    ("ENP", "Waste and Recycling", "contract", 28, 6, 0.006,
     ("Kerbside Collection", "Household Recycling Centres", "Street Cleansing",
      "Waste Disposal", "Garden Waste", "Bulky Waste")),
    ("ENP", "Highways and Transport", "contract", 18, 5, 0.0,
     ("Highways Maintenance", "Street Lighting", "Winter Maintenance", "Traffic Management",
      "Passenger Transport", "Parking Services")),
    ("ENP", "Parks and Open Spaces", "contract", 8, 1, 0.0,
     ("Parks Maintenance", "Landscape", "Play Areas", "Bereavement Services", "Trees")),
    ("ENP", "Environmental Health and Licensing", "staff", 4, 2.5, 0.0,
     ("Food Safety", "Licensing", "Pollution Control", "Trading Standards")),
    ("ENP", "Property and Facilities", "contract", 14, 9, 0.0,
     ("Civic Offices", "Commercial Estate", "Facilities Management", "Energy Management",
      "Building Maintenance")),
    ("ENP", "Climate and Sustainability", "staff", 1.5, 0.2, -0.02,
     ("Climate Programme", "Sustainability Team")),
    ("HRG", "Housing Options and Homelessness", "staff", 6, 1.5, 0.015,
     ("Housing Options", "Homelessness Prevention", "Rough Sleeping", "Housing Register")),
    ("HRG", "Temporary Accommodation", "ta", 22, 12, 0.150,
     ("Nightly Paid Accommodation", "Bed and Breakfast", "Private Sector Leasing",
      "Hostels", "TA Management")),
    ("HRG", "Housing Strategy and Regeneration", "staff", 3, 0.5, 0.0,
     ("Housing Strategy", "Regeneration Programme", "Affordable Housing")),
    ("HRG", "Private Sector Housing", "staff", 2, 0.8, 0.0,
     ("HMO Licensing", "Housing Standards", "Disabled Facilities Grants")),
    ("PLP", "Development Management", "fees", 5, 4.5, 0.060,
     ("Major Applications", "Householder Applications", "Planning Enforcement",
      "Planning Support")),
    ("PLP", "Planning Policy", "staff", 2, 0.1, -0.080,
     ("Local Plan", "Neighbourhood Planning", "Infrastructure Planning")),
    ("PLP", "Economic Development", "staff", 2.5, 0.5, 0.0,
     ("Business Support", "Skills and Employment", "Inward Investment")),
    ("PLP", "Culture and Leisure", "contract", 6, 2, 0.0,
     ("Arts Development", "Leisure Centres", "Sports Development", "Heritage")),
    ("PLP", "Building Control", "fees", 1.5, 1.2, 0.0,
     ("Building Regulations", "Dangerous Structures")),
    ("FIN", "Finance", "central", 9, 1, 0.0,
     ("Financial Management", "Accountancy", "Treasury Management", "Insurance",
      "Corporate Finance")),
    ("FIN", "Revenues and Benefits", "benefits", 70, 68, 0.0,
     ("Council Tax", "Business Rates", "Housing Benefit", "Benefits Assessment",
      "Local Welfare Provision")),
    ("FIN", "Procurement", "staff", 1.2, 0.1, -0.060,
     ("Procurement Team", "Contract Management")),
    ("FIN", "ICT and Digital", "staff", 11, 1, -0.025,
     ("ICT Infrastructure", "Applications Support", "Digital Services", "Service Desk",
      "Cyber Security")),
    ("FIN", "HR and Organisational Development", "staff", 4, 0.5, 0.0,
     ("HR Advisory", "Payroll", "Learning and Development", "Health and Safety")),
    ("LAG", "Legal Services", "staff", 5, 1.5, 0.008,
     ("Litigation", "Property Law", "Childcare Legal", "Contracts Legal")),
    ("LAG", "Democratic Services", "staff", 3, 0.05, 0.0,
     ("Committee Services", "Members' Support", "Mayoralty")),
    ("LAG", "Elections and Electoral Registration", "staff", 1.2, 0.1, 0.0,
     ("Electoral Registration", "Elections")),
    ("LAG", "Internal Audit and Risk", "staff", 1, 0.1, 0.0,
     ("Internal Audit", "Risk Management", "Counter Fraud")),
    ("LAG", "Information Governance", "staff", 0.8, 0.0, 0.0,
     ("Information Governance", "Records Management")),
    ("STE", "Customer Services", "staff", 4, 0.2, 0.0,
     ("Contact Centre", "Customer Service Centre", "Complaints")),
    ("STE", "Communications and Marketing", "staff", 1.5, 0.3, 0.0,
     ("Communications", "Marketing", "Web Team")),
    ("STE", "Policy and Insight", "staff", 1.2, 0.0, 0.0,
     ("Policy", "Performance and Insight", "Partnerships")),
    ("STE", "Community Safety", "staff", 2.5, 0.6, 0.0,
     ("Community Safety Partnership", "CCTV", "Anti-social Behaviour")),
    ("STE", "Libraries and Community Hubs", "staff", 5, 0.6, 0.0,
     ("Central Library", "Community Libraries", "Community Hubs", "Archives")),
)

AREAS = ("North", "South", "East", "West", "Central", "Bletchley", "Wolverton", "Newport Pagnell",
         "Olney", "Stony Stratford", "Kents Hill", "Shenley", "Westcroft", "Fishermead")

ACCOUNTS_BY_GROUP: dict[str, tuple[str, ...]] = {
    "Employees": (
        "Salaries - Scale 1-6", "Salaries - Scale 7-9", "Salaries - Scale 10-12",
        "Salaries - Senior Management", "Salaries - Social Workers",
        "Salaries - Occupational Therapists", "Salaries - Care Workers", "Salaries - Teachers",
        "Salaries - Chief Officers", "Employer's National Insurance",
        "Employer's Pension Contributions", "Pension Strain Costs", "Overtime",
        "Overtime - Weekend", "Standby and Call-out", "Shift Allowances",
        "Agency Staff - Social Workers", "Agency Staff - Care", "Agency Staff - Professional",
        "Agency Staff - Administrative", "Agency Staff - Interim Managers", "Sessional Staff",
        "Casual Staff", "Honoraria", "Market Supplements", "Car Allowances",
        "Essential User Allowances", "Training Courses", "Training - Professional Qualifications",
        "Apprenticeship Levy", "Recruitment Advertising", "Recruitment Agency Fees", "DBS Checks",
        "Occupational Health", "Redundancy Costs", "Employee Assistance Programme",
    ),
    "Premises": (
        "Rents", "Rents - Temporary Accommodation Leases", "Business Rates", "Electricity", "Gas",
        "Water Charges", "Sewerage", "Heating Oil", "Building Repairs - Reactive",
        "Building Repairs - Planned", "Building Maintenance Contract", "Grounds Maintenance",
        "Cleaning Contract", "Cleaning Materials", "Security Services", "Fire Safety",
        "Lift Maintenance", "Legionella Testing", "Asbestos Management", "Pest Control",
        "Waste Collection - Premises", "Service Charges", "Premises Insurance",
        "Furniture and Fittings", "Window Cleaning", "Tree Works", "Playground Maintenance",
        "Street Lighting Energy", "Street Lighting Maintenance", "Car Park Maintenance",
        "Void Property Costs", "Dilapidations",
    ),
    "Transport": (
        "Vehicle Fuel", "Vehicle Repairs and Maintenance", "Vehicle Hire", "Vehicle Leasing",
        "Vehicle Insurance", "Vehicle Tax and Licences", "Tyres", "Public Transport Fares",
        "Taxi Fares", "Home to School Transport Contracts", "SEND Transport Contracts",
        "Adult Social Care Transport", "Travel Expenses", "Mileage - Casual User", "Rail Fares",
        "Parking Permits", "Concessionary Fares Reimbursement", "Bus Service Subsidies",
    ),
    "Supplies and Services": (
        "Equipment - Purchase", "Equipment - Maintenance", "Equipment - Hire",
        "Furniture Purchase", "Clothing and Uniforms", "Protective Clothing", "Laundry",
        "Catering Provisions", "Catering Equipment", "Printing", "Stationery", "Photocopying",
        "Postage", "Courier Services", "Books and Publications", "Library Book Fund",
        "Newspapers and Periodicals", "Advertising", "Publicity and Promotion",
        "Marketing Materials", "Telephones - Fixed Line", "Telephones - Mobile",
        "Telephones - Call Charges", "Data Lines", "ICT Hardware", "ICT Software Licences",
        "ICT Software Maintenance", "ICT Cloud Services", "ICT Consumables",
        "ICT Support Contracts", "Audio Visual Equipment", "Consultants",
        "Consultants - Technical", "Consultants - Financial", "Legal Fees - External",
        "Barristers' Fees", "Court Fees", "Expert Witness Fees", "Audit Fees - External",
        "Bank Charges", "Card Processing Fees", "Insurance Premiums", "Insurance Claims Excess",
        "Subscriptions", "Professional Memberships", "Conference Fees", "Hospitality",
        "Members' Allowances", "Members' Expenses", "Civic Expenses", "Election Costs",
        "Election Canvass Costs", "Grants to Voluntary Organisations",
        "Grants to Parish Councils", "Grants - Community Projects",
        "Contributions to Partnerships", "Medical Supplies", "Pharmaceuticals",
        "Drug and Alcohol Services", "Sexual Health Services", "Health Visiting Contract",
        "School Nursing Contract", "Waste Disposal Contract", "Waste Collection Contract",
        "Recycling Processing", "Landfill Tax", "Highways Maintenance Contract",
        "Winter Maintenance", "Road Markings and Signs", "Traffic Signals Maintenance",
        "Planning Inquiry Costs", "Land Searches", "Translation and Interpreting",
        "Cash Collection Services", "Debt Recovery Agency", "Miscellaneous Expenses",
        "Assistive Technology", "Community Alarms", "Software Development", "Survey Costs",
    ),
    "Third Party Payments": (
        "Residential Care - Older People", "Residential Care - Learning Disabilities",
        "Residential Care - Mental Health", "Residential Care - Physical Disabilities",
        "Nursing Care - Older People", "Nursing Care - Dementia",
        "Supported Living - Learning Disabilities", "Supported Living - Mental Health",
        "Home Care - Older People", "Home Care - Physical Disabilities", "Extra Care Housing",
        "Day Care - External", "Shared Lives", "Reablement Services", "Direct Payments - Adults",
        "Direct Payments - Children", "Respite Care", "Residential Placements - Children",
        "Independent Fostering Agencies", "In-house Foster Carer Payments",
        "Special Guardianship Allowances", "Adoption Allowances", "Semi-independent Living",
        "Secure Accommodation", "Unaccompanied Asylum Seeker Placements", "Care Leavers Support",
        "Independent Special School Fees", "Independent Non-Maintained Special Schools",
        "Alternative Provision", "Youth Offending Partnership", "Bed and Breakfast Accommodation",
        "Nightly Paid Accommodation", "Private Sector Leasing", "Hostel Contracts",
        "Payments to Other Local Authorities", "Payments to NHS Bodies",
    ),
    "Transfer Payments": (
        "Housing Benefit - Rent Allowances", "Housing Benefit - Rent Rebates",
        "Housing Benefit - Non HRA Rebates", "Discretionary Housing Payments",
        "Council Tax Reduction Hardship", "Local Welfare Provision", "Household Support Fund",
        "School Uniform Grants", "Free School Meals Vouchers", "Business Grants",
        "Concessionary Awards", "Bursaries", "Energy Rebate Payments", "Section 17 Payments",
    ),
    "Support Services": (
        "Recharge - Finance", "Recharge - HR", "Recharge - ICT", "Recharge - Legal",
        "Recharge - Property", "Recharge - Customer Services", "Recharge - Democratic Services",
        "Recharge - Procurement", "Recharge - Internal Audit", "Recharge - Insurance",
        "Recharge - Accommodation", "Recharge - Payroll", "Recharge - Communications",
        "Recharge - Transport Fleet", "Recharge - Business Support",
        "Recharge - Corporate Management", "Recharge - Information Governance",
        "Recharge - Health and Safety",
    ),
    "Capital Financing": (
        "Minimum Revenue Provision", "Interest Payable - PWLB", "Interest Payable - Market Loans",
        "Interest Payable - Temporary Borrowing", "Revenue Contribution to Capital",
        "Finance Lease Charges", "PFI Unitary Charge", "Debt Management Expenses",
        "Depreciation", "Impairment",
    ),
    "Income": (
        "Sales", "Fees and Charges - General", "Planning Application Fees",
        "Pre-application Advice Fees", "Building Control Fees", "Land Charges Fees",
        "Licensing Fees", "Registration Fees", "Parking Fees", "Penalty Charge Notices",
        "Bus Lane Enforcement", "Garden Waste Subscriptions", "Bulky Waste Charges",
        "Trade Waste Income", "Recycling Credits", "Sale of Recyclates",
        "Cemetery and Crematorium Fees", "Library Charges", "Room Hire", "Leisure Income",
        "Rents Received", "Commercial Property Rents", "Service Charges Recovered",
        "Client Contributions - Residential Care", "Client Contributions - Non-residential Care",
        "Deferred Payment Income", "Continuing Healthcare Contributions", "Better Care Fund",
        "Public Health Grant", "Dedicated Schools Grant", "Housing Benefit Subsidy",
        "Housing Benefit Admin Grant", "Homelessness Prevention Grant",
        "Rough Sleeping Initiative Grant", "Household Support Fund Grant",
        "Market Sustainability Grant", "Social Care Grant", "Improved Better Care Fund",
        "Youth Justice Grant", "Unaccompanied Asylum Seeker Grant", "Other Government Grants",
        "Contributions from NHS", "Contributions from Other Local Authorities",
        "Contributions from Partners", "Section 106 Contributions", "Recharges to Capital",
        "Recharges to HRA", "Recharges to Schools", "Court Costs Recovered",
        "Legal Fees Recovered", "Investment Interest", "Dividends", "Insurance Recoveries",
        "Donations", "Miscellaneous Income", "Council Tax Summons Costs",
    ),
}
GROUP_PREFIX = {g: str(i + 1) for i, g in enumerate(ACCOUNTS_BY_GROUP)}

# Which accounts a cost centre of each kind of service uses: group -> (share of gross,
# candidate account names). Income is handled separately.
_E = "Employees"
PROFILE: dict[str, dict[str, float]] = {
    "care": {"Employees": 0.22, "Third Party Payments": 0.66, "Supplies and Services": 0.06,
             "Transport": 0.03, "Premises": 0.015, "Support Services": 0.015},
    "staff": {"Employees": 0.68, "Supplies and Services": 0.17, "Premises": 0.06,
              "Transport": 0.03, "Support Services": 0.06},
    "contract": {"Employees": 0.2, "Supplies and Services": 0.42, "Premises": 0.2,
                 "Transport": 0.12, "Support Services": 0.06},
    "transport": {"Employees": 0.3, "Transport": 0.55, "Supplies and Services": 0.1,
                  "Support Services": 0.05},
    "ta": {"Employees": 0.08, "Third Party Payments": 0.52, "Premises": 0.3,
           "Supplies and Services": 0.07, "Support Services": 0.03},
    "fees": {"Employees": 0.72, "Supplies and Services": 0.16, "Premises": 0.03,
             "Transport": 0.03, "Support Services": 0.06},
    "benefits": {"Employees": 0.07, "Transfer Payments": 0.9, "Supplies and Services": 0.02,
                 "Support Services": 0.01},
    "central": {"Employees": 0.35, "Capital Financing": 0.45, "Supplies and Services": 0.15,
                "Support Services": 0.05},
}

# Preferred accounts (by name fragment) for some services, so placements post to placements.
SERVICE_ACCOUNT_HINTS: dict[str, tuple[str, ...]] = {
    "Adult Social Care Operations": ("Reablement", "Day Care", "Direct Payments - Adults",
                                     "Respite", "Shared Lives", "Home Care"),
    "Adult Social Care Commissioning": ("Residential Care - Older", "Nursing Care", "Home Care",
                                        "Extra Care", "Direct Payments - Adults",
                                        "Supported Living"),
    "Learning Disabilities and Mental Health": ("Learning Disabilities", "Mental Health",
                                                "Supported Living", "Day Care"),
    "Children's Placements": ("Residential Placements - Children", "Independent Fostering",
                              "In-house Foster", "Special Guardianship", "Adoption Allowances",
                              "Semi-independent", "Secure Accommodation"),
    "Temporary Accommodation": ("Bed and Breakfast", "Nightly Paid", "Private Sector Leasing",
                                "Hostel Contracts", "Rents - Temporary", "Void Property"),
    "Special Educational Needs and Disabilities": ("SEND Transport", "Home to School",
                                                   "Taxi Fares", "Independent Special School"),
    "Revenues and Benefits": ("Housing Benefit", "Discretionary Housing", "Council Tax Reduction",
                              "Local Welfare", "Household Support"),
    "Waste and Recycling": ("Waste", "Recycling", "Landfill", "Vehicle"),
    "Highways and Transport": ("Highways", "Winter", "Road Markings", "Traffic Signals",
                               "Street Lighting", "Bus Service", "Concessionary"),
    "Finance": ("Minimum Revenue", "Interest Payable", "Revenue Contribution", "Audit Fees",
                "Bank Charges", "Insurance"),
    "Public Health": ("Sexual Health", "Drug and Alcohol", "Health Visiting", "School Nursing"),
    "ICT and Digital": ("ICT", "Software", "Data Lines", "Telephones"),
}
SERVICE_INCOME_HINTS: dict[str, tuple[str, ...]] = {
    "Adult Social Care Commissioning": ("Client Contributions", "Better Care Fund",
                                        "Market Sustainability", "Continuing Healthcare"),
    "Adult Social Care Operations": ("Client Contributions - Non", "Improved Better Care",
                                     "Contributions from NHS"),
    "Public Health": ("Public Health Grant",),
    "Revenues and Benefits": ("Housing Benefit Subsidy", "Housing Benefit Admin",
                              "Council Tax Summons", "Court Costs"),
    "Temporary Accommodation": ("Rents Received", "Homelessness Prevention Grant",
                                "Housing Benefit Subsidy"),
    "Development Management": ("Planning Application Fees", "Pre-application"),
    "Building Control": ("Building Control Fees",),
    "Waste and Recycling": ("Garden Waste", "Bulky Waste", "Trade Waste", "Recyclates",
                            "Recycling Credits"),
    "Highways and Transport": ("Parking Fees", "Penalty Charge", "Bus Lane"),
    "Property and Facilities": ("Commercial Property Rents", "Service Charges Recovered",
                                "Room Hire"),
    "Education and Inclusion": ("Dedicated Schools Grant", "Recharges to Schools"),
}


@dataclass(frozen=True)
class Directorate:
    code: str
    name: str
    director: str


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    directorate: str
    head: str
    kind: str
    gross: float  # £ a year
    income: float  # £ a year
    story: float  # forecast variance as a share of gross expenditure, full year
    activities: tuple[str, ...]


@dataclass(frozen=True)
class CostCentre:
    code: str
    name: str
    service: str
    manager: str
    active_from: date | None
    active_to: date | None
    weight: float  # share of its service's money

    @property
    def active(self) -> bool:
        return self.active_to is None or self.active_to >= date(2025, 4, 1)


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    group: str

    @property
    def type(self) -> str:
        return "Income" if self.group == "Income" else "Expenditure"


@dataclass(frozen=True)
class Supplier:
    supplier_id: str
    name: str
    trade: str  # care | property | transport | ict | professional | goods | housing


@dataclass
class Org:
    directorates: list[Directorate]
    services: list[Service]
    cost_centres: list[CostCentre]
    accounts: list[Account]
    suppliers: list[Supplier]

    def service(self, code: str) -> Service:
        return self._services[code]

    def __post_init__(self) -> None:
        self._services = {s.code: s for s in self.services}

    @property
    def active_cost_centres(self) -> list[CostCentre]:
        return [c for c in self.cost_centres if c.active]

    def services_of(self, directorate: str) -> list[Service]:
        return [s for s in self.services if s.directorate == directorate]


_SUPPLIER_STEMS = (
    "Bletchley", "Wolverton", "Olney", "Newport", "Stony", "Ouzel", "Woburn", "Chiltern",
    "Bedford", "Buckingham", "Kingston", "Oakgrove", "Tattenhoe", "Willen", "Linford",
    "Campbell", "Redway", "Caldecotte", "Furzton", "Great Ouse", "Three Counties", "Midshires",
    "Anglia", "Vale", "Oxford", "Northampton", "Cotswold", "Meadow", "Beacon", "Keystone",
    "Horizon", "Summit", "Pinnacle", "Harbour", "Orchard", "Riverside", "Greenway", "Ashfield",
    "Bluebell", "Cedar", "Elm Tree", "Foxley", "Hazel", "Juniper", "Larch", "Maple", "Oakwood",
    "Primrose", "Rowan", "Willow", "Apex", "Crown", "Sterling", "Premier", "Unity", "Phoenix",
    "Castle", "Abbey", "Bridge", "Compass", "Crescent", "Heritage", "Kestrel", "Lantern",
    "Magpie", "Nexus", "Quantum", "Sapphire", "Trinity", "Zenith", "Café Bonté", "Zoë's",
    "Beaumont", "Chalk Hill", "Danesborough", "Emberton", "Fenny", "Hanslope", "Loughton",
)
_SUPPLIER_TRADES = {
    "care": ("Care", "Homecare", "Care Homes", "Living", "Support Services", "Healthcare",
             "Nursing Home", "Lodge Care", "Fostering", "Children's Homes"),
    "property": ("Facilities", "Building Services", "Electrical", "Plumbing & Heating",
                 "Roofing", "Cleaning Services", "Grounds Maintenance", "Construction",
                 "Security", "Energy"),
    "transport": ("Coaches", "Taxis", "Travel", "Motors", "Fleet Services", "Minibus Hire",
                  "Private Hire"),
    "ict": ("IT Solutions", "Digital", "Systems", "Software", "Networks", "Data"),
    "professional": ("Consulting", "Associates", "Partners", "Chambers", "Surveyors",
                     "Recruitment", "Training"),
    "goods": ("Supplies", "Stationers", "Print", "Catering", "Uniforms", "Office Supplies",
              "Equipment", "Signs"),
    "housing": ("Lettings", "Properties", "Guest House", "Hotels", "Homes", "Residential"),
}
_SUFFIXES = ("Ltd", "Limited", "Ltd", "Limited", "LLP", "plc", "CIC", "Ltd", "Trust", "& Co Ltd")
_TRADE_COUNTS = {"care": 260, "property": 260, "transport": 120, "ict": 120,
                 "professional": 200, "goods": 200, "housing": 120}


def build(seed: int) -> Org:
    """The organisation for this seed (row volumes do not change it)."""
    rng = rng_for(seed, "org")
    people = person_names(rng, 8 + len(SERVICES) + 700)
    pi = iter(people)
    directorates = [Directorate(code, name, next(pi)) for code, name in DIRECTORATES]

    services: list[Service] = []
    counters: dict[str, int] = {}
    for d, name, kind, gross, income, story, acts in SERVICES:
        counters[d] = counters.get(d, 0) + 1
        services.append(Service(f"{d}{counters[d]:02d}", name, d, next(pi), kind,
                                gross * 1e6, income * 1e6, story, acts))

    # ~600 cost centres: more for bigger services.
    sizes = np.array([np.sqrt(s.gross / 1e6) for s in services])
    n_cc = np.maximum(4, np.round(sizes / sizes.sum() * 600)).astype(int)
    managers = [next(pi) for _ in range(260)]
    cost_centres: list[CostCentre] = []
    number = 1000
    for s, n in zip(services, n_cc):
        weights = rng.gamma(1.5, 1.0, size=n)
        weights /= weights.sum()
        names: list[str] = []
        used: set[str] = set()
        for i in range(n):
            act = s.activities[i % len(s.activities)]
            if i < len(s.activities):
                nm = f"{s.name} - {act}"
            else:
                area = AREAS[(i // len(s.activities) - 1 + rng.integers(len(AREAS))) % len(AREAS)]
                nm = f"{act} - {area}"
            k = 2
            base = nm
            while nm in used:
                nm = f"{base} {k}"
                k += 1
            used.add(nm)
            names.append(nm)
        team_managers = [managers[j] for j in rng.choice(len(managers), size=max(1, n // 4 + 1))]
        for i in range(n):
            number += 1
            closed = rng.random() < 0.025 and i > 0
            active_from = date(2012 + int(rng.integers(0, 12)), 4, 1)
            active_to = date(2024, int(rng.integers(4, 13)), 1) if closed else None
            if active_to is not None:
                active_to = date(active_to.year, active_to.month, 28)
            cost_centres.append(CostCentre(
                f"CC{number}", names[i], s.code, team_managers[i % len(team_managers)],
                active_from, active_to, 0.0 if closed else float(weights[i]),
            ))
    # Renormalise weights over active cost centres per service.
    totals: dict[str, float] = {}
    for c in cost_centres:
        totals[c.service] = totals.get(c.service, 0.0) + c.weight
    cost_centres = [
        CostCentre(c.code, c.name, c.service, c.manager, c.active_from, c.active_to,
                   c.weight / totals[c.service]) for c in cost_centres
    ]

    accounts = [
        Account(f"{GROUP_PREFIX[g]}{(i + 1) * 10:04d}", name, g)
        for g, names in ACCOUNTS_BY_GROUP.items()
        for i, name in enumerate(names)
    ]

    suppliers: list[Supplier] = []
    seen: set[str] = set()
    sid = 100000
    for trade, count in _TRADE_COUNTS.items():
        made = 0
        while made < count:
            stem = _SUPPLIER_STEMS[rng.integers(len(_SUPPLIER_STEMS))]
            word = _SUPPLIER_TRADES[trade][rng.integers(len(_SUPPLIER_TRADES[trade]))]
            suffix = _SUFFIXES[rng.integers(len(_SUFFIXES))]
            name = f"{stem} {word} {suffix}"
            if name in seen:
                continue
            seen.add(name)
            sid += int(rng.integers(1, 40))
            suppliers.append(Supplier(f"S{sid}", name, trade))
            made += 1
    return Org(directorates, services, cost_centres, accounts, suppliers)
