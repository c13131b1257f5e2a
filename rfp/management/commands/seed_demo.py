"""`manage.py seed_demo`: demo data for trying the portal, safe to run again.

It writes the 2026 round (closed) and an open continuation round, demo suppliers with their facilities and
certifications, reviewers, a program lead, the two staff groups, and proposals in every status. Existing rows
are found by natural key (RFP reference, supplier EIN, user email, ...) and left alone or brought back to the
values below; nothing is ever created twice, so a second run writes nothing and records no audit event.

Every status change goes through rfp.services. History on the closed round is written with the clock moved
back to when it happened (see `_clock_at`), so the services' deadline checks pass as they did at the time.

`DEMO_PASSWORD` and `demo_logins()` are importable once Django is set up, e.g.
`python manage.py shell -c "from rfp.management.commands.seed_demo import DEMO_PASSWORD; print(DEMO_PASSWORD)"`.
"""

import itertools
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models import Q

from accounts.mfa import DEMO_TOTP_SECRET, totp_demo_device_ensure
from accounts.models import User
from rfp.enums import AssignmentStatus, DecisionOutcome, ProposalStatus
from rfp.models import (
    Addendum,
    Category,
    Clarification,
    Proposal,
    ReviewAssignment,
    ReviewerProfile,
    Rfp,
    Sector,
)
from rfp.selectors import proposal_unacknowledged_addenda, rubric_for_proposal
from rfp.services import (
    addendum_acknowledge,
    assignment_declare_no_conflict,
    proposal_assign_reviewers,
    proposal_create,
    proposal_decide,
    proposal_record_queue_entry,
    proposal_request_information,
    proposal_resubmit,
    proposal_run_checks,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
    review_save,
)
from suppliers.enums import CertificationKind, FacilityStatus, MemberRole
from suppliers.models import Certification, Facility, Supplier, SupplierMember

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - shared by every demo login, printed on purpose

PACIFIC = ZoneInfo("America/Los_Angeles")


def _pacific(text: str) -> datetime:
    """'2026-03-09 16:40' (or with seconds) read as Pacific wall-clock time, as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=PACIFIC)


def _open_round_closes_at() -> datetime:
    """The demo's open round stays open: at least to 2027-03-31, else to the end of the month three months ahead.

    The value only changes from one month to the next, so seeding twice on a day changes nothing.
    """
    today = datetime.now(PACIFIC).date()
    year, month = today.year + (today.month + 3) // 12, (today.month + 3) % 12 + 1  # the month after +3
    end_of_month = datetime(year, month, 1, tzinfo=PACIFIC) - timedelta(seconds=1)
    return max(_pacific("2027-03-31 23:59:59"), end_of_month)


# ---------------------------------------------------------------------------------------------------------------
# Rounds
# ---------------------------------------------------------------------------------------------------------------

RFP_2026 = "AI-INFRA-2026"
RFP_OPEN = "AI-INFRA-2026-R2"

RFPS: list[dict[str, Any]] = [
    {
        "reference": RFP_2026,
        "created": "2026-01-12 09:00",
        "values": {
            "title": "AI infrastructure supply: US manufacturing, 2026 round",
            "description": (
                "The buyer seeks US manufacturers able to supply its AI infrastructure build-out in three "
                "sectors: datacenter equipment (racks, servers, networking, cooling, power systems), consumer "
                "electronics (modules, tooling, equipment, final assembly) and robotics components (motors, "
                "gearboxes, power electronics, actuators). Proposals are reviewed on a rolling basis.\n\n"
                'Deadline assumption: the source announcement only says proposals are accepted "through June '
                '2026"; it gives no day or time. This portal assumes the deadline is 30 June 2026 at 23:59:59 '
                "Pacific time (America/Los_Angeles), that is 1 July 2026 06:59:59 UTC. Confirm the deadline "
                "with the buyer before relying on it."
            ),
            "opens_at": _pacific("2026-01-15 09:00"),
            "closes_at": _pacific("2026-06-30 23:59:59"),
            "display_time_zone": "America/Los_Angeles",
            "rolling_review": True,
            "reviewers_per_proposal": 2,
            "review_due_days": 10,
        },
    },
    {
        "reference": RFP_OPEN,
        "created": "2026-10-28 09:00",
        "values": {
            "title": "AI infrastructure supply: US manufacturing, continuation round (demo)",
            "description": (
                "Demo continuation round. It exists so the portal can be tried while a round is open: the 2026 "
                "round closed on 30 June 2026. Same three sectors (datacenter, consumer electronics, robotics), "
                "same rules and rubrics, rolling review. Proposals and companies in this round are made up."
            ),
            "opens_at": _pacific("2026-11-01 09:00"),
            "closes_at": _open_round_closes_at(),
            "display_time_zone": "America/Los_Angeles",
            "rolling_review": True,
            "reviewers_per_proposal": 2,
            "review_due_days": 10,
        },
    },
]

ADDENDA: list[dict[str, Any]] = [
    {
        "rfp": RFP_2026,
        "number": 1,
        "values": {
            "title": "Rack power density bands and evidence for liquid cooling",
            "body": (
                "Datacenter proposals should state rack power density per rack as designed, and the heat "
                "rejection per rack at a 30 °C facility water supply for direct-to-chip and rear-door designs. "
                "Attach test reports where they exist; design calculations are accepted for racks not yet built."
            ),
            "published_at": _pacific("2026-02-20 10:00"),
        },
    },
]

CLARIFICATIONS: list[dict[str, Any]] = [
    {
        "rfp": RFP_2026,
        "question": "Can one company submit proposals in more than one sector?",
        "asked": "2026-02-03 14:12",
        "asked_by": "owner@triangleboard.example",
        "values": {
            "answer": (
                "Yes. A company may submit one proposal per sector in each round; each proposal is reviewed "
                "on its own against that sector's rubric."
            ),
            "answered_at": _pacific("2026-02-10 11:00"),
            "is_published": True,
        },
    },
]

# ---------------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------------

SECTOR_NAMES = {"datacenter": "Datacenter", "consumer-electronics": "Consumer electronics", "robotics": "Robotics"}

PROGRAM_LEAD = {"email": "lead@buyer.example", "full_name": "Jordan Whitfield"}

REVIEWERS: list[dict[str, str]] = [
    {"email": "priya.natarajan@buyer.example", "full_name": "Priya Natarajan", "sector": "datacenter"},
    {"email": "marcus.odell@buyer.example", "full_name": "Marcus O'Dell", "sector": "datacenter"},
    {"email": "grace.liu@buyer.example", "full_name": "Grace Liu", "sector": "consumer-electronics"},
    {"email": "tomas.herrera@buyer.example", "full_name": "Tomás Herrera", "sector": "consumer-electronics"},
    {"email": "hannah.becker@buyer.example", "full_name": "Hannah Becker", "sector": "robotics"},
    {"email": "samuel.okafor@buyer.example", "full_name": "Samuel Okafor", "sector": "robotics"},
]

REVIEWERS_GROUP = "Reviewers"
PROGRAM_LEADS_GROUP = "Program leads"

# ---------------------------------------------------------------------------------------------------------------
# Suppliers: made-up companies with identifiers that pass suppliers.validators.
# ---------------------------------------------------------------------------------------------------------------


def _workforce(electricians: int, machinists: int, technicians: int, assemblers: int, engineers: int) -> dict:
    return {
        "electricians": electricians,
        "machinists": machinists,
        "technicians": technicians,
        "assemblers": assemblers,
        "engineers": engineers,
    }


SUPPLIERS: list[dict[str, Any]] = [
    {
        "key": "lonestar",
        "values": {
            "legal_name": "Lone Star Rack Systems, Inc.",
            "dba": "Lone Star Rack",
            "ein": "74-3829156",
            "uei": "LSR7K2M9QX4T",
            "cage": "7LSR3",
            "naics_codes": ["332322", "333415", "334111"],
            "hq_address_line1": "4800 Industrial Oaks Blvd",
            "hq_city": "Austin",
            "hq_state": "TX",
            "hq_zip": "78744",
            "website": "https://lonestarrack.example",
            "employee_count": 640,
        },
        "members": [
            ("owner@lonestarrack.example", "Dolores Alvarez", MemberRole.OWNER),
            ("editor@lonestarrack.example", "Kevin Tran", MemberRole.EDITOR),
            ("viewer@lonestarrack.example", "Ruth Okonkwo", MemberRole.VIEWER),
        ],
        "facilities": [
            {
                "name": "Austin Rack Integration Plant",
                "address_line1": "4800 Industrial Oaks Blvd",
                "city": "Austin",
                "state": "TX",
                "zip_code": "78744",
                "status": FacilityStatus.OPERATING,
                "floor_area_sqft": 310_000,
                "site_power_mw": Decimal("18.50"),
                "grid_operator": "ERCOT (Austin Energy)",
                **_workforce(42, 55, 88, 260, 47),
            },
            {
                "name": "Chandler Liquid Cooling Plant",
                "address_line1": "2200 W Germann Rd",
                "city": "Chandler",
                "state": "AZ",
                "zip_code": "85226",
                "status": FacilityStatus.EXPANDING,
                "floor_area_sqft": 145_000,
                "site_power_mw": Decimal("9.00"),
                "grid_operator": "SRP (Salt River Project)",
                **_workforce(18, 20, 35, 90, 22),
            },
        ],
        "certifications": [
            {
                "kind": CertificationKind.ISO_9001,
                "number": "FM 748213",
                "name": "",
                "issued_by": "BSI",
                "expires_on": date(2028, 3, 14),
                "facility": "Austin Rack Integration Plant",
            },
            {
                "kind": CertificationKind.UL,
                "number": "E512874",
                "name": "UL 2416 cabinets and rack systems",
                "issued_by": "UL Solutions",
                "expires_on": None,
                "facility": "Austin Rack Integration Plant",
            },
            {
                "kind": CertificationKind.ISO_14001,
                "number": "EMS-611094",
                "name": "",
                "issued_by": "DNV",
                "expires_on": date(2027, 10, 31),
                "facility": None,
            },
        ],
    },
    {
        "key": "buckeye",
        "values": {
            "legal_name": "Buckeye Power Conversion LLC",
            "dba": "",
            "ein": "31-4470852",
            "uei": "BPC3H8W2NJ6R",
            "cage": "3BPC8",
            "naics_codes": ["335311", "335999", "334419"],
            "hq_address_line1": "1180 Scioto Works Drive",
            "hq_city": "Columbus",
            "hq_state": "OH",
            "hq_zip": "43215",
            "website": "https://buckeyepower.example",
            "employee_count": 410,
        },
        "members": [("owner@buckeyepower.example", "Nathan Kowalski", MemberRole.OWNER)],
        "facilities": [
            {
                "name": "Columbus Power Systems Works",
                "address_line1": "1180 Scioto Works Drive",
                "city": "Columbus",
                "state": "OH",
                "zip_code": "43215",
                "status": FacilityStatus.OPERATING,
                "floor_area_sqft": 220_000,
                "site_power_mw": Decimal("24.00"),
                "grid_operator": "PJM (AEP Ohio)",
                **_workforce(64, 30, 72, 150, 38),
            },
        ],
        "certifications": [
            {
                "kind": CertificationKind.ISO_9001,
                "number": "QMS-OH-20931",
                "name": "",
                "issued_by": "NSF-ISR",
                "expires_on": date(2027, 5, 31),
                "facility": "Columbus Power Systems Works",
            },
            {
                "kind": CertificationKind.UL,
                "number": "E498112",
                "name": "UL 891 switchboards",
                "issued_by": "UL Solutions",
                "expires_on": None,
                "facility": "Columbus Power Systems Works",
            },
        ],
    },
    {
        "key": "triangle",
        "values": {
            "legal_name": "Triangle Board Works, Inc.",
            "dba": "",
            "ein": "56-2918374",
            "uei": "TBW5Z7D1KQ9M",
            "cage": "5TBW1",
            "naics_codes": ["334418", "334419"],
            "hq_address_line1": "3100 Alston Crossing Road",
            "hq_city": "Durham",
            "hq_state": "NC",
            "hq_zip": "27703",
            "website": "https://triangleboard.example",
            "employee_count": 280,
        },
        "members": [("owner@triangleboard.example", "Alicia Brennan", MemberRole.OWNER)],
        "facilities": [
            {
                "name": "Durham SMT and Box Build",
                "address_line1": "3100 Alston Crossing Road",
                "city": "Durham",
                "state": "NC",
                "zip_code": "27703",
                "status": FacilityStatus.OPERATING,
                "floor_area_sqft": 98_000,
                "site_power_mw": Decimal("6.50"),
                "grid_operator": "Duke Energy Carolinas",
                **_workforce(12, 8, 64, 140, 26),
            },
        ],
        "certifications": [
            {
                # Expired on purpose: the demo shows an expired certificate.
                "kind": CertificationKind.ISO_9001,
                "number": "CERT-0921-NC",
                "name": "",
                "issued_by": "Intertek",
                "expires_on": date(2026, 9, 30),
                "facility": "Durham SMT and Box Build",
            },
            {
                "kind": CertificationKind.OTHER,
                "number": "IPC-CIT-30418",
                "name": "IPC-A-610 Certified IPC Trainer program",
                "issued_by": "IPC",
                "expires_on": date(2027, 4, 30),
                "facility": None,
            },
        ],
    },
    {
        "key": "peachtree",
        "values": {
            "legal_name": "Peachtree Device Assembly Corp.",
            "dba": "Peachtree Assembly",
            "ein": "58-6612907",
            "uei": "PDA2R6V8XC3L",
            "cage": "8PDA4",
            "naics_codes": ["334310", "334418", "334220"],
            "hq_address_line1": "4750 Fulton Industrial Blvd SW",
            "hq_city": "Atlanta",
            "hq_state": "GA",
            "hq_zip": "30336",
            "website": "https://peachtreeassembly.example",
            "employee_count": 520,
        },
        "members": [("owner@peachtreeassembly.example", "Marcus Bell", MemberRole.OWNER)],
        "facilities": [
            {
                "name": "Fulton Industrial Final Assembly",
                "address_line1": "4750 Fulton Industrial Blvd SW",
                "city": "Atlanta",
                "state": "GA",
                "zip_code": "30336",
                "status": FacilityStatus.OPERATING,
                "floor_area_sqft": 260_000,
                "site_power_mw": Decimal("11.00"),
                "grid_operator": "Georgia Power (Southern Company)",
                **_workforce(20, 14, 70, 310, 30),
            },
        ],
        "certifications": [
            {
                "kind": CertificationKind.ISO_9001,
                "number": "US-QMS-44817",
                "name": "",
                "issued_by": "TÜV SÜD America",
                "expires_on": date(2027, 12, 15),
                "facility": "Fulton Industrial Final Assembly",
            },
            {
                "kind": CertificationKind.ISO_14001,
                "number": "US-EMS-44818",
                "name": "",
                "issued_by": "TÜV SÜD America",
                "expires_on": date(2027, 12, 15),
                "facility": "Fulton Industrial Final Assembly",
            },
        ],
    },
    {
        "key": "greatlakes",
        "values": {
            "legal_name": "Great Lakes Motion Co.",
            "dba": "",
            "ein": "38-5190446",
            "uei": "GLM8T4B7PW2K",
            "cage": "2GLM6",
            "naics_codes": ["335312", "333995"],
            "hq_address_line1": "2950 Featherstone Road",
            "hq_city": "Auburn Hills",
            "hq_state": "MI",
            "hq_zip": "48326",
            "website": "https://greatlakesmotion.example",
            "employee_count": 730,
        },
        "members": [("owner@greatlakesmotion.example", "Elena Sokolova", MemberRole.OWNER)],
        "facilities": [
            {
                "name": "Auburn Hills Motor and Actuator Plant",
                "address_line1": "2950 Featherstone Road",
                "city": "Auburn Hills",
                "state": "MI",
                "zip_code": "48326",
                "status": FacilityStatus.OPERATING,
                "floor_area_sqft": 280_000,
                "site_power_mw": Decimal("16.00"),
                "grid_operator": "MISO (DTE Electric)",
                **_workforce(38, 96, 84, 220, 58),
            },
        ],
        "certifications": [
            {
                "kind": CertificationKind.IATF_16949,
                "number": "IATF 0412775",
                "name": "",
                "issued_by": "NSF-ISR",
                "expires_on": date(2028, 6, 30),
                "facility": "Auburn Hills Motor and Actuator Plant",
            },
            {
                "kind": CertificationKind.ISO_9001,
                "number": "QMS-MI-58220",
                "name": "",
                "issued_by": "NSF-ISR",
                "expires_on": date(2028, 6, 30),
                "facility": "Auburn Hills Motor and Actuator Plant",
            },
        ],
    },
    {
        "key": "genesee",
        "values": {
            "legal_name": "Genesee Drive Technologies, Inc.",
            "dba": "",
            "ein": "16-7734210",
            "uei": "GDT6N3J9YH5S",
            "cage": "6GDT9",
            "naics_codes": ["333612"],
            "hq_address_line1": "180 Mill Race Street",
            "hq_city": "Rochester",
            "hq_state": "NY",
            "hq_zip": "14604",
            "website": "https://geneseedrive.example",
            "employee_count": 190,
        },
        "members": [("owner@geneseedrive.example", "Walter Pryce", MemberRole.OWNER)],
        "facilities": [
            {
                "name": "Rochester Precision Gear Works",
                "address_line1": "180 Mill Race Street",
                "city": "Rochester",
                "state": "NY",
                "zip_code": "14604",
                "status": FacilityStatus.OPERATING,
                "floor_area_sqft": 86_000,
                "site_power_mw": Decimal("4.50"),
                "grid_operator": "NYISO (RG&E)",
                **_workforce(9, 74, 22, 40, 19),
            },
        ],
        "certifications": [
            {
                "kind": CertificationKind.AS9100,
                "number": "AS9100D-55120",
                "name": "",
                "issued_by": "SAI Global",
                "expires_on": date(2027, 8, 1),
                "facility": "Rochester Precision Gear Works",
            },
            {
                "kind": CertificationKind.ISO_9001,
                "number": "QMS-NY-55121",
                "name": "",
                "issued_by": "SAI Global",
                "expires_on": date(2027, 8, 1),
                "facility": "Rochester Precision Gear Works",
            },
        ],
    },
    {
        "key": "cascade",
        "values": {
            "legal_name": "Cascade Power Devices, Inc.",
            "dba": "",
            "ein": "91-2287365",
            "uei": "CPD4W8F2MZ7V",
            "cage": "4CPD2",
            "naics_codes": ["334413", "335999"],
            "hq_address_line1": "21400 72nd Ave S",
            "hq_city": "Kent",
            "hq_state": "WA",
            "hq_zip": "98032",
            "website": "https://cascadepower.example",
            "employee_count": 350,
        },
        "members": [("owner@cascadepower.example", "Farah Haddad", MemberRole.OWNER)],
        "facilities": [
            {
                "name": "Kent Power Module Line",
                "address_line1": "21400 72nd Ave S",
                "city": "Kent",
                "state": "WA",
                "zip_code": "98032",
                "status": FacilityStatus.OPERATING,
                "floor_area_sqft": 120_000,
                "site_power_mw": Decimal("14.00"),
                "grid_operator": "Puget Sound Energy (BPA)",
                **_workforce(24, 18, 96, 110, 52),
            },
            {
                "name": "Goodyear Expansion Site",
                "address_line1": "1500 S Litchfield Technology Pkwy",
                "city": "Goodyear",
                "state": "AZ",
                "zip_code": "85338",
                "status": FacilityStatus.PLANNED,
                "floor_area_sqft": 180_000,
                "site_power_mw": Decimal("30.00"),
                "grid_operator": "APS (Arizona Public Service)",
                **_workforce(0, 0, 0, 0, 6),
            },
        ],
        "certifications": [
            {
                "kind": CertificationKind.ISO_9001,
                "number": "QMS-WA-77031",
                "name": "",
                "issued_by": "DNV",
                "expires_on": date(2027, 2, 28),
                "facility": "Kent Power Module Line",
            },
            {
                "kind": CertificationKind.UL,
                "number": "E530019",
                "name": "UL 1741 power conversion equipment",
                "issued_by": "UL Solutions",
                "expires_on": None,
                "facility": "Kent Power Module Line",
            },
        ],
    },
]

# ---------------------------------------------------------------------------------------------------------------
# Proposals: each is played through rfp.services, step by step, at the Pacific time given.
# Steps: create (proposal_create + proposal_update with the answers below), edit, submit, queue (what the worker
# does after a submit), assign (the worker's checks and reviewer assignment, at that time), review (a reviewer
# declares no conflict and submits scores at a level out of 5 with a recommendation), request_information,
# resubmit, shortlist, decline, withdraw. Each decision follows submitted reviews that recommend it.
# ---------------------------------------------------------------------------------------------------------------

PROPOSALS: list[dict[str, Any]] = [
    {
        "rfp": RFP_2026,
        "supplier": "lonestar",
        "sector": "datacenter",
        "title": "Liquid-cooled 132 kW AI racks built in Austin, Texas",
        "reviewer": "priya.natarajan@buyer.example",
        "fields": {
            "technical_narrative": (
                "Integrated 48U racks for AI training clusters: direct-to-chip single-phase cold plates, in-rack "
                "coolant distribution, 132 kW per rack at 30 °C facility water. Sheet metal, integration, leak "
                "test and burn-in in Austin; manifolds and CDUs from the Chandler plant from Q4 2026."
            ),
            "annual_capacity_units": 4_800,
            "capacity_ramp": "Q3 2026: 600 racks; Q4 2026: 1,000; Q1 2027: 1,400; Q2 2027: 1,800.",
            "lead_time_weeks": 14,
            "domestic_content_pct": Decimal("68.50"),
            "countries_of_origin": ["MX", "TW"],
            "site_power_mw": Decimal("27.50"),
            "sub_suppliers": ["Hill Country Sheet Metal LLC", "Pecos Cable Assemblies"],
            **_workforce(60, 75, 123, 350, 69),
        },
        "sector_answers": {
            "rack_power_density_kw": Decimal("132.0"),
            "cooling_type": "dtc_single_phase",
            "cooling_capacity_kw": Decimal("140.0"),
            "power_per_unit_kw": Decimal("132.00"),
            "annual_units": 4_800,
        },
        "commercial_terms": {
            "unit_price_usd": Decimal("286000.00"),
            "total_price_usd": Decimal("1372800000.00"),
            "price_validity_days": 120,
            "payment_terms": "Net 45; 20% deposit with the purchase order",
            "incoterms": "FCA Austin, TX",
            "notes": "Prices include leak test, burn-in and on-site acceptance support.",
        },
        "categories": ["racks", "cooling", "test-and-assembly"],
        "facilities": ["Austin Rack Integration Plant", "Chandler Liquid Cooling Plant"],
        "steps": [
            ("2026-02-16 10:00", "create"),
            ("2026-03-09 16:40", "submit"),
            ("2026-03-09 16:42", "queue"),
            ("2026-03-16 09:05", "assign"),
            (
                "2026-03-24 15:10",
                "review",
                "priya.natarajan@buyer.example",
                "shortlist",
                5,
                "132 kW per rack at 30 °C water is backed by the leak and burn-in test reports; the Austin ramp "
                "is credible.",
            ),
            (
                "2026-03-25 11:40",
                "review",
                "marcus.odell@buyer.example",
                "shortlist",
                4,
                "Strong capacity and test data; Chandler CDU line is new, so watch the Q4 2026 start.",
            ),
            (
                "2026-08-14 11:00",
                "shortlist",
                "Strongest US capacity in the sector with a credible ramp; liquid cooling design backed by test "
                "data. Shortlisted for commercial negotiation.",
            ),
        ],
    },
    {
        "rfp": RFP_2026,
        "supplier": "buckeye",
        "sector": "datacenter",
        "title": "800 V DC power shelves and busway for AI data halls",
        "reviewer": "marcus.odell@buyer.example",
        "fields": {
            "technical_narrative": (
                "33 kW power shelves and 800 V DC overhead busway for AI data halls, designed and built in "
                "Columbus. Switchboards listed to UL 891; busway listing in progress."
            ),
            "annual_capacity_units": 12_000,
            "capacity_ramp": "Q3 2026: 1,500 shelves; Q4 2026: 2,500; 2027: 3,000 per quarter.",
            "lead_time_weeks": 18,
            "domestic_content_pct": Decimal("74.00"),
            "countries_of_origin": ["CA", "JP"],
            "site_power_mw": Decimal("6.00"),
            "sub_suppliers": ["Maumee Copper Fabrication"],
            **_workforce(40, 12, 36, 80, 21),
        },
        "sector_answers": {
            "rack_power_density_kw": Decimal("140.0"),
            "cooling_type": "air",
            "power_per_unit_kw": Decimal("33.00"),
            "annual_units": 12_000,
        },
        "commercial_terms": {
            "unit_price_usd": Decimal("18500.00"),
            "total_price_usd": Decimal("222000000.00"),
            "price_validity_days": 90,
            "payment_terms": "Net 30",
            "incoterms": "FCA Columbus, OH",
        },
        "categories": ["power-systems", "power-electronics"],
        "facilities": ["Columbus Power Systems Works"],
        "steps": [
            ("2026-04-20 09:30", "create"),
            ("2026-05-05 14:20", "submit"),
            ("2026-05-05 14:22", "queue"),
            ("2026-05-20 10:10", "assign"),
            (
                "2026-05-29 16:05",
                "review",
                "marcus.odell@buyer.example",
                "request_info",
                3,
                "Good shelf design, but no efficiency curve and the busway listing has no date: ask before scoring "
                "it higher.",
            ),
            (
                "2026-07-10 13:45",
                "request_information",
                "Please send the efficiency curve of the 33 kW shelf from 10% to 100% load, and say when the "
                "800 V busway listing will be complete and by which laboratory.",
            ),
        ],
    },
    {
        "rfp": RFP_2026,
        "supplier": "cascade",
        "sector": "datacenter",
        "title": "Silicon carbide power stages for 800 V rack power",
        "reviewer": "priya.natarajan@buyer.example",
        "fields": {
            "technical_narrative": "SiC half-bridge power stages for rack-level 800 V DC conversion. (Draft.)",
            "lead_time_weeks": 20,
        },
        "sector_answers": {},
        "commercial_terms": {},
        "categories": ["power-electronics"],
        "facilities": [],
        # Never submitted: shows a draft the deadline left behind.
        "steps": [("2026-06-18 15:00", "create")],
    },
    {
        "rfp": RFP_2026,
        "supplier": "triangle",
        "sector": "consumer-electronics",
        "title": "High-mix SMT and box build for edge AI devices",
        "reviewer": "grace.liu@buyer.example",
        "fields": {
            "technical_narrative": (
                "Four SMT lines with 3D AOI and X-ray, conformal coating and box build for edge inference "
                "devices and sensor modules, built to IPC-A-610 Class 2."
            ),
            "annual_capacity_units": 300_000,
            "capacity_ramp": "25,000 units per month from Q3 2026; a fifth line in 2027 if volumes justify it.",
            "lead_time_weeks": 10,
            "domestic_content_pct": Decimal("41.00"),
            "countries_of_origin": ["TW", "MY", "CN"],
            "site_power_mw": Decimal("2.50"),
            "sub_suppliers": [],
            **_workforce(6, 4, 40, 90, 14),
        },
        "sector_answers": {
            "smt_lines": 4,
            "placements_per_hour": 180_000,
            "final_assembly_units_per_month": 25_000,
            "ipc_class": 2,
        },
        "commercial_terms": {
            "unit_price_usd": Decimal("42.80"),
            "total_price_usd": Decimal("12840000.00"),
            "price_validity_days": 60,
            "payment_terms": "Net 30",
            "incoterms": "EXW Durham, NC",
        },
        "categories": ["modules", "final-assembly"],
        "facilities": ["Durham SMT and Box Build"],
        "steps": [
            ("2026-03-20 11:00", "create"),
            ("2026-04-02 17:05", "submit"),
            ("2026-04-02 17:07", "queue"),
            ("2026-04-10 09:30", "assign"),
            (
                "2026-04-16 14:25",
                "review",
                "grace.liu@buyer.example",
                "decline",
                2,
                "25,000 units a month is well below the category's need, and 41% domestic content is low.",
            ),
            (
                "2026-04-17 10:50",
                "review",
                "tomas.herrera@buyer.example",
                "decline",
                2,
                "Good workmanship, but the ISO 9001 certificate lapses in September with no audit booked.",
            ),
            (
                "2026-07-22 14:00",
                "decline",
                "US capacity (25,000 units a month) is below what the category needs, domestic content is 41%, "
                "and the ISO 9001 certificate expires on 30 September 2026 with no recertification audit booked.",
            ),
        ],
    },
    {
        "rfp": RFP_2026,
        "supplier": "peachtree",
        "sector": "consumer-electronics",
        "title": "Final assembly of AI PCs and smart displays in Atlanta",
        "reviewer": "tomas.herrera@buyer.example",
        "fields": {
            "technical_narrative": (
                "Six SMT lines and two automated final-assembly lines for AI PCs and smart displays, with "
                "functional test, imaging and pack-out in Atlanta."
            ),
            "annual_capacity_units": 720_000,
            "capacity_ramp": "Q3 2026: 30,000 a month; Q4 2026: 45,000; Q1 2027: 60,000.",
            "lead_time_weeks": 12,
            "domestic_content_pct": Decimal("52.50"),
            "countries_of_origin": ["KR", "TW", "VN"],
            "site_power_mw": Decimal("4.00"),
            "sub_suppliers": ["Chattahoochee Plastics Inc."],
            **_workforce(10, 6, 44, 210, 18),
        },
        "sector_answers": {
            "smt_lines": 6,
            "placements_per_hour": 420_000,
            "final_assembly_units_per_month": 60_000,
            "ipc_class": 2,
        },
        "commercial_terms": {
            "unit_price_usd": Decimal("61.00"),
            "total_price_usd": Decimal("43920000.00"),
            "price_validity_days": 90,
            "payment_terms": "Net 45",
            "incoterms": "FCA Atlanta, GA",
        },
        "categories": ["final-assembly", "modules"],
        "facilities": ["Fulton Industrial Final Assembly"],
        "steps": [
            ("2026-05-01 10:00", "create"),
            ("2026-05-18 11:30", "submit"),
            ("2026-05-18 11:32", "queue"),
            ("2026-05-28 09:00", "assign"),
            (
                "2026-06-05 13:30",
                "review",
                "tomas.herrera@buyer.example",
                "request_info",
                3,
                "The ramp to 60,000 a month depends on a second shift the proposal does not staff yet.",
            ),
            (
                "2026-06-15 16:20",
                "request_information",
                "The ramp to 60,000 units a month seems to rely on a second shift. How many people will you hire "
                "for it, and by when?",
            ),
            (
                "2026-06-21 10:00",
                "edit",
                {
                    "capacity_ramp": (
                        "Q3 2026: 30,000 a month (one shift); Q4 2026: 45,000 (second shift from October, "
                        "120 assemblers hired from August); Q1 2027: 60,000."
                    ),
                    "assemblers": 330,
                },
            ),
            (
                "2026-06-22 09:15",
                "resubmit",
                "Yes: the second shift starts in October 2026. We hire 120 assemblers from August with the "
                "Georgia Quick Start program; the updated ramp is in the proposal.",
            ),
            ("2026-06-22 09:17", "queue"),
            ("2026-06-22 09:20", "assign"),
        ],
    },
    {
        "rfp": RFP_2026,
        "supplier": "greatlakes",
        "sector": "robotics",
        "title": "Frameless BLDC motors and integrated actuators for humanoid joints",
        "reviewer": "hannah.becker@buyer.example",
        "fields": {
            "technical_narrative": (
                "Frameless brushless motors and integrated joint actuators (motor, strain-wave gear, encoder, "
                "SiC drive) for humanoid and collaborative robots, built on automotive IATF 16949 lines."
            ),
            "annual_capacity_units": 150_000,
            "capacity_ramp": "Q3 2026: 20,000 actuators; Q4 2026: 35,000; 2027: 45,000 per quarter.",
            "lead_time_weeks": 16,
            "domestic_content_pct": Decimal("63.00"),
            "countries_of_origin": ["JP", "DE"],
            "site_power_mw": Decimal("5.50"),
            "sub_suppliers": ["Huron Magnetics LLC"],
            **_workforce(14, 40, 36, 120, 30),
        },
        "sector_answers": {
            "component_type": "actuator",
            "rated_torque_nm": Decimal("40.00"),
            "peak_torque_nm": Decimal("120.00"),
            "gear_ratio": Decimal("50.00"),
            "power_device_technology": "sic_mosfet",
            "magnet_country_of_origin": "US",
        },
        "commercial_terms": {
            "unit_price_usd": Decimal("1450.00"),
            "total_price_usd": Decimal("217500000.00"),
            "price_validity_days": 120,
            "payment_terms": "Net 60",
            "incoterms": "FCA Auburn Hills, MI",
        },
        "categories": ["motors", "actuators"],
        "facilities": ["Auburn Hills Motor and Actuator Plant"],
        "steps": [
            ("2026-02-25 13:00", "create"),
            ("2026-03-30 15:45", "submit"),
            ("2026-03-30 15:47", "queue"),
            ("2026-04-06 10:00", "assign"),
            (
                "2026-05-04 11:20",
                "request_information",
                "Give the continuous torque derating above 40 °C ambient and the source of the NdFeB magnets.",
            ),
            (
                "2026-05-12 09:40",
                "resubmit",
                "Continuous torque falls 1.2% per °C above 40 °C ambient. Magnets are sintered NdFeB made in "
                "the US by our sub-supplier Huron Magnetics; a second source is qualified in Japan.",
            ),
            ("2026-05-12 09:42", "queue"),
            ("2026-05-12 09:45", "assign"),
            (
                "2026-05-18 10:15",
                "review",
                "hannah.becker@buyer.example",
                "shortlist",
                4,
                "Automotive-grade lines and a US magnet source; the torque derating answer is what we needed.",
            ),
            (
                "2026-05-19 15:00",
                "review",
                "samuel.okafor@buyer.example",
                "shortlist",
                5,
                "Best US capacity in the robotics sector, with certified lines and a second magnet source.",
            ),
            (
                "2026-07-30 15:30",
                "shortlist",
                "High US capacity on certified automotive lines; US magnet supply lowers supply-chain risk.",
            ),
        ],
    },
    {
        "rfp": RFP_2026,
        "supplier": "genesee",
        "sector": "robotics",
        "title": "Strain-wave and planetary gearboxes for robot joints",
        "reviewer": "samuel.okafor@buyer.example",
        "fields": {
            "technical_narrative": (
                "Strain-wave gearboxes (ratios 50 to 160) and precision planetary gearboxes for robot joints, "
                "ground and assembled in Rochester."
            ),
            "annual_capacity_units": 40_000,
            "capacity_ramp": "10,000 units a quarter from Q4 2026.",
            "lead_time_weeks": 22,
            "domestic_content_pct": Decimal("81.00"),
            "countries_of_origin": ["DE"],
            "site_power_mw": Decimal("1.80"),
            "sub_suppliers": [],
            **_workforce(3, 40, 10, 18, 8),
        },
        "sector_answers": {
            "component_type": "gearbox",
            "rated_torque_nm": Decimal("60.00"),
            "peak_torque_nm": Decimal("180.00"),
            "gear_ratio": Decimal("100.00"),
            "power_device_technology": "n_a",
        },
        "commercial_terms": {
            "unit_price_usd": Decimal("690.00"),
            "total_price_usd": Decimal("27600000.00"),
            "price_validity_days": 60,
            "payment_terms": "Net 30",
            "incoterms": "EXW Rochester, NY",
        },
        "categories": ["gearboxes"],
        "facilities": ["Rochester Precision Gear Works"],
        "steps": [
            ("2026-04-15 10:00", "create"),
            ("2026-05-12 15:00", "submit"),
            ("2026-05-12 15:02", "queue"),
            (
                "2026-06-10 08:30",
                "withdraw",
                "Our grinding capacity is committed to an automotive program through 2027.",
            ),
        ],
    },
    # The open round: a submitted proposal waiting for the worker, a complete draft and an unfinished one.
    {
        "rfp": RFP_OPEN,
        "supplier": "cascade",
        "sector": "robotics",
        "title": "GaN motor-drive inverters for humanoid and AMR joints",
        "reviewer": "samuel.okafor@buyer.example",
        "fields": {
            "technical_narrative": (
                "48 V gallium-nitride inverters for joint motors, 600 W continuous per axis, with field-oriented "
                "control firmware and functional-safety STO input. Made on the Kent power module line."
            ),
            "annual_capacity_units": 200_000,
            "capacity_ramp": "Q1 2027: 30,000; Q2 2027: 50,000; then 60,000 a quarter.",
            "lead_time_weeks": 12,
            "domestic_content_pct": Decimal("58.00"),
            "countries_of_origin": ["TW", "JP"],
            "site_power_mw": Decimal("3.20"),
            "sub_suppliers": ["Puyallup Magnetics", "SEP Power"],  # screens as a hit against the sample list
            **_workforce(8, 4, 48, 60, 28),
        },
        "sector_answers": {
            "component_type": "power_electronics",
            "power_device_technology": "gan",
        },
        "commercial_terms": {
            "unit_price_usd": Decimal("118.00"),
            "total_price_usd": Decimal("23600000.00"),
            "price_validity_days": 90,
            "payment_terms": "Net 30",
            "incoterms": "FCA Kent, WA",
        },
        "categories": ["power-electronics"],
        "facilities": ["Kent Power Module Line"],
        "steps": [("2026-11-04 10:00", "create"), ("2026-11-18 15:30", "submit")],
    },
    {
        "rfp": RFP_OPEN,
        "supplier": "buckeye",
        "sector": "datacenter",
        "title": "800 V DC power shelves for 2027 AI data halls",
        "reviewer": "marcus.odell@buyer.example",
        "fields": {
            "technical_narrative": (
                "33 kW power shelves for 800 V DC rack power, 2027 volumes, with the busway now listed to UL 857. "
                "Designed and built in Columbus."
            ),
            "annual_capacity_units": 14_000,
            "capacity_ramp": "3,500 shelves a quarter through 2027.",
            "lead_time_weeks": 16,
            "domestic_content_pct": Decimal("76.00"),
            "countries_of_origin": ["CA", "JP"],
            "site_power_mw": Decimal("6.00"),
            "sub_suppliers": ["Maumee Copper Fabrication"],
            **_workforce(40, 12, 36, 80, 21),
        },
        "sector_answers": {
            "rack_power_density_kw": Decimal("140.0"),
            "cooling_type": "air",
            "power_per_unit_kw": Decimal("33.00"),
            "annual_units": 14_000,
        },
        "commercial_terms": {
            "unit_price_usd": Decimal("17900.00"),
            "total_price_usd": Decimal("250600000.00"),
            "price_validity_days": 90,
            "payment_terms": "Net 30",
            "incoterms": "FCA Columbus, OH",
        },
        "categories": ["power-systems", "power-electronics"],
        "facilities": ["Columbus Power Systems Works"],
        # Under review with one review in and the other past its due date: the service levels' overdue example.
        "steps": [
            ("2026-11-03 10:00", "create"),
            ("2026-11-10 14:00", "submit"),
            ("2026-11-10 14:02", "queue"),
            ("2026-11-10 14:05", "assign"),
            (
                "2026-11-16 11:30",
                "review",
                "marcus.odell@buyer.example",
                "shortlist",
                4,
                "The listed busway closes the gap from the 2026 round; efficiency curve now attached.",
            ),
        ],
    },
    {
        "rfp": RFP_OPEN,
        "supplier": "lonestar",
        "sector": "datacenter",
        "title": "Rear-door and direct-to-chip racks, 2027 volumes",
        "actor": "editor@lonestarrack.example",
        "reviewer": "priya.natarajan@buyer.example",
        "fields": {
            "technical_narrative": (
                "2027 volumes of our 132 kW direct-to-chip rack and a 60 kW rear-door heat exchanger rack for "
                "inference halls, built in Austin and Chandler."
            ),
            "annual_capacity_units": 7_200,
            "capacity_ramp": "1,800 racks a quarter through 2027.",
            "lead_time_weeks": 12,
            "domestic_content_pct": Decimal("71.00"),
            "countries_of_origin": ["MX", "TW"],
            "site_power_mw": Decimal("27.50"),
            "sub_suppliers": ["Hill Country Sheet Metal LLC"],
            **_workforce(60, 75, 123, 350, 69),
        },
        "sector_answers": {
            "rack_power_density_kw": Decimal("132.0"),
            "cooling_type": "rear_door_hx",
            "cooling_capacity_kw": Decimal("60.0"),
            "annual_units": 7_200,
        },
        "commercial_terms": {
            "unit_price_usd": Decimal("279000.00"),
            "price_validity_days": 120,
            "payment_terms": "Net 45",
            "incoterms": "FCA Austin, TX",
        },
        "categories": ["racks", "cooling"],
        "facilities": ["Austin Rack Integration Plant", "Chandler Liquid Cooling Plant"],
        # A complete draft: sign in as its editor and submit it.
        "steps": [("2026-11-12 14:00", "create")],
    },
    {
        "rfp": RFP_OPEN,
        "supplier": "genesee",
        "sector": "robotics",
        "title": "Strain-wave gearboxes for robot joints, 2027 offer",
        "reviewer": "samuel.okafor@buyer.example",
        "fields": {
            "technical_narrative": "Strain-wave gearboxes from a second grinding cell commissioned in 2027.",
            "domestic_content_pct": Decimal("81.00"),
        },
        "sector_answers": {"component_type": "gearbox"},
        "commercial_terms": {},
        "categories": ["gearboxes"],
        "facilities": ["Rochester Precision Gear Works"],
        # Unfinished: the portal lists what it still needs.
        "steps": [("2026-11-20 09:00", "create")],
    },
]


def demo_logins() -> list[tuple[str, str]]:
    """(role, email) of every demo login; all share DEMO_PASSWORD."""
    logins = [("Program lead", PROGRAM_LEAD["email"])]
    logins += [(f"Reviewer, {SECTOR_NAMES[r['sector']]}", r["email"]) for r in REVIEWERS]
    for supplier in SUPPLIERS:
        name = supplier["values"]["legal_name"]
        logins += [
            (f"Supplier {MemberRole(role).label.lower()}, {name}", email) for email, _, role in supplier["members"]
        ]
    return logins


# ---------------------------------------------------------------------------------------------------------------
# Machinery
# ---------------------------------------------------------------------------------------------------------------


@contextmanager
def _clock_at(moment: datetime) -> Iterator[None]:
    """Demo seeder only: run the services as if at `moment` (a second passes per reading), so history on a
    closed round is written while it was open. This moves the process's clock (auto_now fields included) until
    the block ends."""
    start = moment.astimezone(UTC)
    ticks = itertools.count()

    def now() -> datetime:
        return start + timedelta(seconds=next(ticks))

    with mock.patch("django.utils.timezone.now", new=now):
        yield


class _Tally:
    """What a run wrote, by model: the second run of the seed must report nothing."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()

    def note(self, label: str, *, created: bool = False, updated: bool = False) -> None:
        if created:
            self.created[label] += 1
        elif updated:
            self.updated[label] += 1

    @property
    def empty(self) -> bool:
        return not self.created and not self.updated


def _label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural)


def _upsert(
    tally: _Tally,
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    create_only: dict[str, Any] | None = None,
) -> models.Model:
    """Find the row by natural key; create it, or change only the fields that differ (and save only then)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(create_only or {}))
        obj.full_clean()
        obj.save()
        tally.note(_label(model), created=True)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save()
        tally.note(_label(model), updated=True)
    return obj


def _set_m2m(tally: _Tally, label: str, manager, wanted: list[models.Model]) -> None:
    """Make a many-to-many set exactly `wanted`, writing only when it differs."""
    present = set(manager.values_list("pk", flat=True))
    if present != {obj.pk for obj in wanted}:
        manager.set(wanted)
        tally.note(label, created=not present, updated=bool(present))


def demo_logins_table() -> str:
    logins = demo_logins()
    role_width = max(len(role) for role, _ in logins)
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {role:<{role_width}}  {email}" for role, email in logins]
    lines += [
        "The program lead and the reviewers also enter a code from an authenticator app (second factor):",
        f"  add the demo secret {DEMO_TOTP_SECRET} (time-based, 6 digits, 30 s) to one, or run",
        "  `python manage.py demo_totp_code` for the code of the moment.",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Load demo data: the closed 2026 round, an open continuation round, suppliers, reviewers, a program "
        "lead and proposals in every status. Safe to run again: existing demo rows are kept, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-logins", action="store_true", help="Leave out the table of demo logins (make run prints it)."
        )

    def handle(self, *args, no_logins: bool = False, **options) -> None:
        tally = _Tally()
        with transaction.atomic():
            users = self._people(tally)
            suppliers = self._suppliers(tally, users)
            rfps = self._rounds(tally, users, suppliers)
            self._proposals(tally, users, suppliers, rfps)
        self._report(tally, rfps)
        if not no_logins:
            self.stdout.write("")
            self.stdout.write(demo_logins_table())

    # People ------------------------------------------------------------------------------------------------

    def _user(self, tally: _Tally, email: str, values: dict[str, Any]) -> User:
        user = self._user_row(tally, email, values)
        # Demo people sign in at once: their address counts as verified (sign-up otherwise requires it).
        _, created = EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if created:
            tally.note("verified email addresses", created=True)
        return user

    def _user_row(self, tally: _Tally, email: str, values: dict[str, Any]) -> User:
        with _clock_at(_pacific("2026-01-12 09:00")):
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(email=email, date_joined=_pacific("2026-01-12 09:00"), **values)
                user.set_password(DEMO_PASSWORD)
                user.full_clean()
                user.save()
                tally.note(_label(User), created=True)
                return user
            changed = [name for name, value in values.items() if getattr(user, name) != value]
            for name in changed:
                setattr(user, name, values[name])
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                changed.append("password")
            if changed:
                user.save()
                tally.note(_label(User), updated=True)
            return user

    def _people(self, tally: _Tally) -> dict[str, User]:
        users: dict[str, User] = {}
        sectors = {sector.code: sector for sector in Sector.objects.all()}
        reviewers_group = self._group(
            tally,
            REVIEWERS_GROUP,
            Permission.objects.filter(content_type__app_label__in=["rfp", "suppliers"], codename__startswith="view_"),
        )
        leads_group = self._group(
            tally,
            PROGRAM_LEADS_GROUP,
            Permission.objects.filter(
                Q(content_type__app_label__in=["rfp", "suppliers", "jobs"])
                | Q(content_type__app_label="audit", codename__startswith="view_")
            ),
        )
        lead = self._user(
            tally,
            PROGRAM_LEAD["email"],
            {
                "full_name": PROGRAM_LEAD["full_name"],
                "buyer_role": User.BuyerRole.PROGRAM_LEAD,
                "is_staff": True,
                "is_superuser": True,  # demo only: the lead can open every admin page
                "is_active": True,
            },
        )
        self._join(tally, lead, leads_group)
        self._authenticator(tally, lead)
        users[lead.email] = lead
        for spec in REVIEWERS:
            reviewer = self._user(
                tally,
                spec["email"],
                {
                    "full_name": spec["full_name"],
                    "buyer_role": User.BuyerRole.REVIEWER,
                    "is_staff": True,
                    "is_superuser": False,
                    "is_active": True,
                },
            )
            self._join(tally, reviewer, reviewers_group)
            self._authenticator(tally, reviewer)
            profile = _upsert(
                tally, ReviewerProfile, {"user": reviewer}, {"max_open_assignments": 20, "is_active": True}
            )
            _set_m2m(tally, "reviewer sector lists", profile.sectors, [sectors[spec["sector"]]])
            users[reviewer.email] = reviewer
        return users

    def _authenticator(self, tally: _Tally, user: User) -> None:
        """Buyer logins need a TOTP code: each demo one gets the demo authenticator (`make run` prints its secret)."""
        if totp_demo_device_ensure(user):
            tally.note("authenticator apps", created=True)

    def _group(self, tally: _Tally, name: str, permissions) -> Group:
        group = Group.objects.filter(name=name).first()
        if group is None:
            group = Group.objects.create(name=name)
            tally.note("groups", created=True)
        _set_m2m(tally, f"permission sets ({name})", group.permissions, list(permissions))
        return group

    def _join(self, tally: _Tally, user: User, group: Group) -> None:
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            tally.note("group memberships", created=True)

    # Suppliers ---------------------------------------------------------------------------------------------

    def _suppliers(self, tally: _Tally, users: dict[str, User]) -> dict[str, Supplier]:
        suppliers: dict[str, Supplier] = {}
        for spec in SUPPLIERS:
            values = dict(spec["values"])
            ein = values.pop("ein")
            with _clock_at(_pacific("2026-01-12 09:00")):
                supplier = _upsert(tally, Supplier, {"ein": ein}, values)
                for email, full_name, role in spec["members"]:
                    user = self._user(
                        tally,
                        email,
                        {
                            "full_name": full_name,
                            "buyer_role": User.BuyerRole.NONE,
                            "is_staff": False,
                            "is_superuser": False,
                            "is_active": True,
                        },
                    )
                    users[email] = user
                    _upsert(tally, SupplierMember, {"supplier": supplier, "user": user}, {"role": role})
                facilities = {}
                for facility_spec in spec["facilities"]:
                    values = dict(facility_spec)
                    name = values.pop("name")
                    facilities[name] = _upsert(tally, Facility, {"supplier": supplier, "name": name}, values)
                for cert_spec in spec["certifications"]:
                    values = dict(cert_spec)
                    lookup = {"supplier": supplier, "kind": values.pop("kind"), "number": values.pop("number")}
                    facility_name = values.pop("facility")
                    values["facility"] = facilities[facility_name] if facility_name else None
                    _upsert(tally, Certification, lookup, values)
            suppliers[spec["key"]] = supplier
        return suppliers

    # Rounds ------------------------------------------------------------------------------------------------

    def _rounds(self, tally: _Tally, users: dict[str, User], suppliers: dict[str, Supplier]) -> dict[str, Rfp]:
        rfps: dict[str, Rfp] = {}
        all_sectors = list(Sector.objects.filter(code__in=SECTOR_NAMES))
        for spec in RFPS:
            with _clock_at(_pacific(spec["created"])):
                rfp = _upsert(tally, Rfp, {"reference": spec["reference"]}, spec["values"])
                _set_m2m(tally, "RFP sector lists", rfp.sectors, all_sectors)
            rfps[rfp.reference] = rfp
        for spec in ADDENDA:
            _upsert(tally, Addendum, {"rfp": rfps[spec["rfp"]], "number": spec["number"]}, spec["values"])
        for spec in CLARIFICATIONS:
            asker = users[spec["asked_by"]]
            supplier = SupplierMember.objects.get(user=asker).supplier
            with _clock_at(_pacific(spec["asked"])):
                _upsert(
                    tally,
                    Clarification,
                    {"rfp": rfps[spec["rfp"]], "question": spec["question"]},
                    spec["values"],
                    create_only={"supplier": supplier, "asked_by": asker},
                )
        return rfps

    # Proposals ---------------------------------------------------------------------------------------------

    def _proposals(
        self, tally: _Tally, users: dict[str, User], suppliers: dict[str, Supplier], rfps: dict[str, Rfp]
    ) -> None:
        sectors = {sector.code: sector for sector in Sector.objects.all()}
        lead = users[PROGRAM_LEAD["email"]]
        for spec in PROPOSALS:
            rfp, supplier, sector = rfps[spec["rfp"]], suppliers[spec["supplier"]], sectors[spec["sector"]]
            if Proposal.objects.filter(rfp=rfp, supplier=supplier, sector=sector).exists():
                continue  # already seeded (and perhaps moved on by someone trying the demo): leave it be
            owner = next(users[email] for email, _, role in self._members(spec["supplier"]) if role == MemberRole.OWNER)
            actor = users[spec["actor"]] if "actor" in spec else owner
            reviewer = users[spec["reviewer"]]
            proposal: Proposal | None = None
            for when, action, *argument in spec["steps"]:
                with _clock_at(_pacific(when)):
                    if action == "create":
                        proposal = proposal_create(
                            rfp=rfp, supplier=supplier, sector=sector, actor=actor, title=spec["title"]
                        )
                        proposal_update(
                            proposal=proposal,
                            actor=actor,
                            fields=spec["fields"],
                            sector_answers=spec["sector_answers"],
                            commercial_terms=spec["commercial_terms"],
                            categories=list(Category.objects.filter(sector=sector, code__in=spec["categories"])),
                            facilities=list(Facility.objects.filter(supplier=supplier, name__in=spec["facilities"])),
                        )
                    elif action == "edit":
                        proposal_update(proposal=proposal, actor=actor, fields=argument[0])
                    elif action == "submit":
                        for addendum in proposal_unacknowledged_addenda(proposal=proposal):
                            addendum_acknowledge(addendum=addendum, supplier=supplier, actor=actor)
                        proposal_submit(proposal=proposal, actor=actor)
                    elif action == "queue":
                        proposal_record_queue_entry(proposal_id=proposal.pk, version=proposal.version)
                    elif action == "assign":
                        proposal_run_checks(proposal_id=proposal.pk, version=proposal.version)
                        proposal_assign_reviewers(proposal_id=proposal.pk, version=proposal.version)
                    elif action == "review":
                        self._review(
                            proposal,
                            reviewer=users[argument[0]],
                            recommendation=argument[1],
                            level=argument[2],
                            comments=argument[3],
                        )
                    elif action == "request_information":
                        proposal_request_information(proposal=proposal, actor=reviewer, question=argument[0])
                    elif action == "resubmit":
                        proposal_resubmit(proposal=proposal, actor=actor, response=argument[0])
                    elif action in ("shortlist", "decline"):
                        outcome = DecisionOutcome.SHORTLISTED if action == "shortlist" else DecisionOutcome.DECLINED
                        proposal_decide(proposal=proposal, actor=lead, outcome=outcome, rationale=argument[0])
                    elif action == "withdraw":
                        proposal_withdraw(proposal=proposal, actor=actor, reason=argument[0])
                    else:
                        raise ValueError(f"Unknown demo step {action!r}")
                    proposal.refresh_from_db()
            tally.note(_label(Proposal), created=True)

    @staticmethod
    def _review(proposal: Proposal, *, reviewer: User, recommendation: str, level: int, comments: str) -> None:
        """The reviewer declares no conflict and submits every criterion at about `level` (out of 5)."""
        assignment = ReviewAssignment.objects.get(
            proposal=proposal, reviewer=reviewer, status=AssignmentStatus.ASSIGNED
        )
        assignment_declare_no_conflict(assignment=assignment, actor=reviewer)
        criteria = rubric_for_proposal(proposal=proposal).criteria.order_by("position")
        # Every third criterion a point lower, so reviews are not flat rows of one number.
        scores = {c.code: max(0, min(c.max_score, level - (i % 3 == 2))) for i, c in enumerate(criteria)}
        review_save(
            assignment=assignment,
            actor=reviewer,
            scores=scores,
            comments=comments,
            recommendation=recommendation,
            submit=True,
        )

    @staticmethod
    def _members(key: str) -> list[tuple[str, str, str]]:
        return next(spec["members"] for spec in SUPPLIERS if spec["key"] == key)

    # Report ------------------------------------------------------------------------------------------------

    def _report(self, tally: _Tally, rfps: dict[str, Rfp]) -> None:
        out = self.stdout
        if tally.empty:
            out.write("Nothing new: the demo data was already in place; no row was created or changed.")
        else:
            if tally.created:
                out.write("Created: " + ", ".join(f"{n} {label}" for label, n in sorted(tally.created.items())))
            if tally.updated:
                out.write(
                    "Brought back to the demo values: "
                    + ", ".join(f"{n} {label}" for label, n in sorted(tally.updated.items()))
                )
        out.write("")
        for rfp in rfps.values():
            local_close = rfp.closes_at.astimezone(rfp.tz)
            counts = Counter(Proposal.objects.filter(rfp=rfp).values_list("status", flat=True))
            statuses = ", ".join(
                f"{counts[status]} {ProposalStatus(status).label.lower()}"
                for status in ProposalStatus
                if counts[status]
            )
            out.write(f"{rfp.reference} (closes {local_close:%Y-%m-%d %H:%M:%S %Z}): {statuses or 'no proposals'}")
