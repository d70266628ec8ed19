"""Data terms a reader sees that come from the data files or the loaders (OMB series names, Green Book
categories and statuses, the budget definitions), listed here so the catalogue extraction finds them; the views
translate them where they show them (``_(text)``). A test checks this list against the data."""
from i18n import N_

OMB_LABELS = (
    N_('051 Subtotal, Department of Defense-Military'),
    N_('053 Atomic energy defense activities'),
    N_('054 Defense-related activities'),
    N_('Family Housing'),
    N_('Military Construction'),
    N_('Military Personnel'),
    N_('National Defense'),
    N_('National defense'),
    N_('Operation and Maintenance'),
    N_('Other'),
    N_('Procurement'),
    N_('Research, Development, Test, and Evaluation'),
    N_('Total, National Defense'),
)

GREENBOOK_CATEGORIES = (
    N_('Air Force'),
    N_('Army'),
    N_('Defense-Wide'),
    N_('Family Housing'),
    N_('Military Construction'),
    N_('Military Personnel'),
    N_('Navy'),
    N_('Operation and Maintenance'),
    N_('Procurement'),
    N_('RDT&E'),
    N_('Retired Pay, Defense'),
    N_('Revolving and Management Funds'),
    N_('Trust, Receipts, and Other'),
)

GREENBOOK_STATUSES = (N_("actual"), N_("enacted"), N_("request"))

DEFINITIONS = {
    'outlays': N_("Outlays are the money the US government actually paid out during a fiscal year, whatever year Congress provided it. OMB's function 050 'National Defense' covers the Department of Defense (subfunction 051), atomic energy defense activities, mostly nuclear weapons work of the Department of Energy (053), and defense-related activities of other agencies (054). It excludes veterans' benefits."),
    'budget_authority': N_('Budget authority is what Congress makes available in a year for an agency to commit (mainly appropriations). Much of it is spent over later years — a ship is paid for over five years or more — so budget authority and outlays for the same year differ. The DoD Green Book reports the Department of Defense (051) only, including war and supplemental funding.'),
    'toa': N_("Total obligational authority (TOA) is the Department of Defense's measure of the value of the defense programme that can be financed in a year. It is close to budget authority but differs by certain transfers, unobligated balances and offsetting receipts."),
    'sipri': N_("SIPRI's military expenditure uses SIPRI's own, broader definition (for example it includes military pensions, and for the US part of the National Intelligence Program and estimated military aid to Ukraine), so its US figure is higher than OMB outlays or DoD budget authority. SIPRI reports calendar years, except for the USA, which it reports by US fiscal year. It is the only one of these sources that compares countries."),
    'fiscal_year': N_("The US fiscal year runs from 1 October to 30 September (FY2024 ended on 30 September 2024); before 1977 it ran from 1 July to 30 June. The three months July-September 1976 between the two (the 'transition quarter') are not shown."),
    'constant_dollars': N_("Constant dollars remove inflation by valuing every year at one year's prices: OMB uses FY2017 dollars, the Green Book FY2022 dollars and SIPRI 2023 US dollars. Figures in different constant dollars are not comparable with each other; current dollars are the amounts of each year."),
    'estimates': N_("OMB figures for 2026-2031 are estimates from the FY2027 budget, not actual spending. In the FY2022 Green Book, FY2021 is enacted and FY2022 is the President's request."),
}

SIPRI_ATTRIBUTION = N_('Information from the SIPRI Military Expenditure Database, https://doi.org/10.55163/CQGC9685')

# the annual method of troops_annual.csv (its "method" column)
METHODS = (
    N_("September report of each year (DMDC's fiscal-year-end snapshot); where a place has no September row that year (1950-56 reports are June only; some Iraq/Afghanistan estimates sit in other quarters), its latest row that year. Nothing is carried over from another year"),
)

# record kinds, statuses and decision types of data/deployments/*.yaml (loaders.deployments), and services
KINDS = (N_("deployment"), N_("exercise"), N_("mission"), N_("proposed"), N_("operation"), N_("decision"))
STATUSES = (N_("reported"), N_("historical"), N_("proposed"), N_("authorised"), N_("under-way"), N_("completed"),
            N_("rejected"), N_("cancelled"))
DECISION_TYPES = (N_("authorisation"), N_("agreement"), N_("vote"), N_("referendum"), N_("rejection"))
SERVICES = (N_("Army"), N_("Navy"), N_("Air Force"), N_("Marine Corps"), N_("Space Force"), N_("Coast Guard"))

# the first line of each table's documentation (loaders TableSpec.doc), shown on the Sources page
TABLE_DOCS = (
    N_('Curated geocoding cache: every place the project locates by name, with the origin of its coordinates.'),
    N_("Curated: what pycountry lacks or names differently (one row per code; empty cells keep pycountry's value)."),
    N_('DoD (051) budget authority, TOA and outlays by public-law title and by military department, FY1948-2022, from the FY2022 Green Book (Tables 6-1, 6-3, 6-8, 6-10, 6-11, 6-13).'),
    N_('Every report date in the upstream data, and whether its country rows exist.'),
    N_('Extract of the SIPRI Military Expenditure Database (April 2025), at most 20 countries, 1949-2024. Information from the SIPRI Military Expenditure Database, https://doi.org/10.55163/CQGC9685'),
    N_('Figures reported by others, each attributed, with the measure of our own data to compare with.'),
    N_('Multinational military exercises with US participation, 1980-2010, from MME v7.'),
    N_("One row per entity and year: September report of each year (DMDC's fiscal-year-end snapshot); where a place has no September row that year (1950-56 reports are June only; some Iraq/Afghanistan estimates sit in other quarters), its latest row that year. Nothing is carried over from another year."),
    N_("Political context for a country's timeline, each event attributed as its source reports it."),
    N_("Region of every entity with troop rows, from troopdata's region column (override file wins)."),
    N_('US military personnel by host (entity) and DMDC report date, 1950-2025, with provenance per row.'),
    N_("US military sites abroad (and in US territories), Cold War-2018, from David Vine's list via troopdata."),
    N_('US national defense outlays from OMB Historical Tables 3.1, 3.2 and 6.1 (FY2027 edition), by fiscal year.'),
)
