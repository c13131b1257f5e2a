"""The scale data of `manage.py seed_scale`: an RFP programme at the size of a real one, written in minutes.

Nothing here goes through the services (100,000 proposals one service call at a time would take hours); rows are
streamed to PostgreSQL with COPY in the shapes the services leave them in, so the invariants hold:

- `status` agrees with the dates and the rows around it: a draft has version 0 and no submit date; every other
  proposal has versions 1..version (immutable snapshots with their SHA-256, as `proposal_snapshot` builds them),
  a queue entry and its automated checks; in review and later there are assignments, reviews with one score per
  rubric criterion and the weighted score `review_weighted_score` gives; shortlisted and declined have a Decision
  and `decided_at`; withdrawn has `withdrawn_at`; an open request for information exists exactly when the status
  is `info_requested`. Every date is in the past and in order.
- references are `<round>-<sector abbreviation>-<supplier id>`, unique as `proposal_create` makes them.
- the audit events of every step are appended to the one hash chain of `audit.services`: under the chain's
  advisory lock, after the newest event, hashed by the same function, in time order, so `audit_chain_verify()`
  stays empty.

Seeded proposals carry no attachment files and no stored PDF summaries (they would need files in storage); the
deadline-rush drafts get their attachment through the portal during the benchmark.
"""

import hashlib
import json
import math
import random
import string
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from audit.services import _CHAIN_LOCK_KEY, _event_hash  # the chain's own lock and hash: one definition of a link
from rfp.enums import (
    AssignmentStatus,
    CheckOutcome,
    ConflictDeclaration,
    CoolingType,
    DecisionOutcome,
    PowerDeviceTechnology,
    ProposalStatus,
    Recommendation,
    RoboticsComponent,
)
from rfp.models import (
    Category,
    CommercialTerms,
    DatacenterDetails,
    Decision,
    ElectronicsDetails,
    InformationRequest,
    Proposal,
    ProposalCheck,
    ProposalVersion,
    Review,
    ReviewAssignment,
    ReviewerConflict,
    ReviewerProfile,
    Rfp,
    RoboticsDetails,
    Rubric,
    Score,
    Sector,
)
from suppliers.enums import CertificationKind, FacilityStatus, MemberRole
from suppliers.models import WORKFORCE_TRADES, Certification, Facility, Supplier, SupplierMember

S = ProposalStatus
SCALE_PREFIX = "SCALE-"
RUSH_REFERENCE = "SCALE-RUSH"
BENCH_PASSWORD = "bench-password-2026"  # noqa: S105 - every seeded login shares it; a benchmark database only
BENCH_TOTP_SECRET = "BENCHLEADJBSWY3DPEHPK3PXPTOTPKEY"  # noqa: S105 - the bench program lead's authenticator
LEAD_EMAIL = "lead@buyer.bench.example"
PROPOSALS_PER_ROUND_SHARE = 0.8  # of the supplier x sector pairs, so rounds are full but not every pair applies
REVIEWERS_PER_SECTOR_MIN = 4

# Where US electronics, power and robotics manufacturing sits, weighted roughly by its size.
STATES = {
    "TX": 14, "CA": 12, "OH": 8, "MI": 8, "NC": 7, "PA": 6, "IL": 6, "GA": 5, "IN": 5, "TN": 5, "AZ": 5, "NY": 4,
    "WI": 4, "MN": 4, "SC": 4, "AL": 3, "OR": 3, "WA": 3, "VA": 3, "MA": 3, "KY": 3, "MO": 2, "CO": 2, "UT": 2,
    "NV": 2, "IA": 2, "KS": 2, "OK": 2, "AR": 1, "MS": 1, "LA": 1, "NM": 1, "ID": 1, "NH": 1, "CT": 1,
}  # fmt: skip
GRID_OPERATORS = {
    "TX": "ERCOT", "CA": "CAISO", "OR": "BPA", "WA": "BPA", "NY": "NYISO", "MA": "ISO-NE", "CT": "ISO-NE",
    "NH": "ISO-NE", "OH": "PJM", "PA": "PJM", "VA": "PJM", "IL": "PJM", "MI": "MISO", "IN": "MISO", "WI": "MISO",
    "MN": "MISO", "IA": "MISO", "LA": "MISO", "MS": "MISO", "AR": "MISO", "MO": "MISO", "KY": "PJM",
    "OK": "SPP", "KS": "SPP", "NM": "SPP", "TN": "TVA", "AL": "TVA", "GA": "Georgia Power", "NC": "Duke Energy",
    "SC": "Duke Energy", "AZ": "APS", "NV": "NV Energy", "UT": "PacifiCorp", "ID": "Idaho Power", "CO": "Xcel Energy",
}  # fmt: skip
PLACES = (
    "Lone Star", "Buckeye", "Great Lakes", "Cascade", "Piedmont", "Ozark", "Sierra", "Keystone", "Blue Ridge",
    "Gulf Coast", "Prairie", "Red River", "Allegheny", "Mesa", "Columbia", "Tidewater", "Heartland", "Summit",
    "Catawba", "Chesapeake", "Brazos", "Genesee", "Wabash", "Cumberland", "Tri-County", "Pioneer", "Frontier",
    "Bluegrass", "Palmetto", "Peachtree", "Triangle", "Twin Cities", "Front Range", "Willamette", "Saguaro",
    "Iron Range", "Mohawk", "Hudson Valley", "Delta", "Badger", "Hoosier", "Magnolia", "Granite State",
    "Susquehanna", "Shenandoah", "Rio Grande", "Silver State", "Wasatch", "Snake River", "Big Sky",
)  # fmt: skip
PRODUCTS = {
    "datacenter": (
        "Rack Systems", "Power Conversion", "Thermal Solutions", "Liquid Cooling", "Busway", "Switchgear",
        "Cable Assemblies", "Optical Interconnect", "Server Integration", "Power Distribution", "Enclosures",
    ),
    "consumer-electronics": (
        "Board Works", "Device Assembly", "Electronics Manufacturing", "SMT Services", "Precision Tooling",
        "Display Modules", "Battery Packs", "Molded Components", "Test Systems",
    ),
    "robotics": (
        "Motion", "Drive Technologies", "Precision Gear", "Actuators", "Magnetics", "Servo Systems",
        "Motor Works", "Power Devices", "Automation",
    ),
}  # fmt: skip
SUFFIXES = ("Inc.", "LLC", "Corp.", "Co.", "Manufacturing, Inc.", "Industries LLC")
STREETS = ("Industrial Blvd", "Commerce Dr", "Technology Pkwy", "Enterprise Way", "Factory Rd", "Innovation Ct",
           "Manufacturers Row", "Logistics Ave", "Foundry St", "Research Dr")  # fmt: skip
FIRST_NAMES = ("Maria", "James", "Priya", "David", "Aisha", "Robert", "Mei", "Carlos", "Emily", "Daniel", "Sofia",
               "Kevin", "Fatima", "Brian", "Grace", "Luis", "Hannah", "Omar", "Laura", "Samuel")  # fmt: skip
LAST_NAMES = ("Garcia", "Smith", "Nguyen", "Johnson", "Patel", "Williams", "Chen", "Brown", "Okafor", "Miller",
              "Kowalski", "Davis", "Rodriguez", "Anderson", "Kim", "Thompson", "Hernandez", "Becker", "Liu",
              "Moore")  # fmt: skip
NAICS = {
    "datacenter": ("334111", "335311", "335313", "335999", "334418", "333415", "335929", "332322"),
    "consumer-electronics": ("334418", "334413", "334220", "334310", "334419", "326199", "333514"),
    "robotics": ("335312", "333612", "334413", "333613", "333995", "333248", "335999"),
}
TITLES = {
    "datacenter": (
        "Liquid-cooled 48U racks for AI training clusters", "Rear-door heat exchangers, 80 kW per rack",
        "800 V DC busway and power shelves", "Coolant distribution units, 1.2 MW", "Medium-voltage switchgear",
        "Structured cabling and 800G optical assemblies", "GPU server integration and burn-in",
        "Cold plates and manifolds for direct-to-chip cooling", "Power distribution units, 415 V three-phase",
    ),
    "consumer-electronics": (
        "SMT assembly of handset main boards", "Final assembly of tablets and laptops", "Camera and display modules",
        "Injection-mould tooling for device housings", "Battery pack assembly and formation",
        "In-circuit and functional test equipment", "Wearable device final assembly",
    ),
    "robotics": (
        "Frameless torque motors for humanoid joints", "Strain-wave gearboxes, ratios 50 to 160",
        "SiC motor drives, 48 V and 400 V", "Rotary actuators with integrated encoders",
        "Planetary gearboxes for AMR drive units", "Rare-earth-free motors for cobots", "Linear actuators, 5 kN",
    ),
}  # fmt: skip
NARRATIVE = (
    "We build {product} at our {city}, {state} plant, where {workforce} people work in {shifts} shifts.",
    "Our lines have shipped {shipped:,} units since {since}, with a field failure rate under {ppm} ppm.",
    "The proposal adds {capacity:,} units a year of US capacity within {lead} weeks of an order.",
    "Domestic content is {domestic}% today; the rest comes from {origins} and moves to US sources by {year}.",
    "The site has {power} MW of utility power from {grid} and room for a {sqft:,} sq ft expansion.",
    "Quality is run under {cert}; first-article inspection and PPAP are available to the buyer's engineers.",
)
CHECK_LABELS = {
    "completeness": "Completeness against the {sector} sector's required answers",
    "ein": "EIN shape and IRS prefix",
    "uei": "SAM.gov UEI shape",
    "cage": "CAGE code shape (US)",
    "naics": "NAICS 2022 codes",
    "facilities": "Facilities in the US, each ZIP code in its state",
    "certifications": "Certificates expired or expiring within 60 days",
    "screening_legal_name": "Restricted-party screening of the legal name",
    "screening_dba": "Restricted-party screening of the DBA",
}
QUESTIONS = (
    "Please send the thermal test report for the cold plate at 1,000 W per socket.",
    "What share of the stated capacity is already under contract with other customers?",
    "Give the origin of the magnets and the second source you qualified.",
    "Please confirm the lead time holds for an order of twice the stated volume.",
    "Send the IPC-A-610 audit of the line that would build these boards.",
)
RATIONALES = {
    DecisionOutcome.SHORTLISTED: "Strong US capacity and ramp; reviewers agree on the technical score.",
    DecisionOutcome.DECLINED: "Capacity and lead time fall short of the round's needs; scores below the cut.",
}
UEI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
CAGE_MIDDLE = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
EIN_PREFIXES = ("10", "11", "20", "26", "27", "30", "33", "35", "36", "41", "45", "46", "47", "52", "61", "74", "82")


# Enum `.values` builds a new list on each call: read once.
RECOMMENDATIONS = tuple(Recommendation.values)
FACILITY_STATUSES = tuple(FacilityStatus.values)
COOLING_TYPES = tuple(CoolingType.values)
ROBOTICS_COMPONENTS = tuple(RoboticsComponent.values)
POWER_DEVICES = tuple(PowerDeviceTechnology.values)
CERTIFICATE_KINDS = (
    CertificationKind.ISO_9001,
    CertificationKind.ISO_14001,
    CertificationKind.UL,
    CertificationKind.IATF_16949,
    CertificationKind.AS9100,
)


class SeedRefused(Exception):
    """seed_scale will not run: it already ran on this database, or the database is not PostgreSQL."""


@dataclass
class SeedReport:
    counts: dict[str, int] = field(default_factory=dict)
    rounds: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


class Table:
    """Rows of one model, in its concrete columns, buffered and sent with COPY (fields left out take defaults)."""

    def __init__(self, model: type[models.Model], writer: "Writer") -> None:
        self.model = model
        self.writer = writer
        self.fields = list(model._meta.concrete_fields)
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.attnames = [f.attname for f in self.fields]
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = writer.now
            else:
                self.defaults[f.attname] = f.get_default()  # "" for a CharField without one, None when nullable
        self.rows: list[tuple] = []
        self.count = 0
        self.next_id = 0
        self.last_id = -1

    def reserve(self, n: int) -> range:
        """Ids for n rows from the table's own sequence, so rows can name each other before they are written."""
        if n <= 0:
            return range(0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [self.model._meta.db_table])
            start = cursor.fetchone()[0]
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [self.model._meta.db_table, start + n - 1]
            )
        return range(start, start + n)

    def next(self) -> int:
        if self.next_id > self.last_id:
            block = self.reserve(5000)
            self.next_id, self.last_id = block.start, block.stop - 1
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, **values: Any) -> int:
        if "id" in self.attnames and "id" not in values:
            values["id"] = self.next()
        row = []
        for name in self.attnames:
            value = values[name] if name in values else self.defaults[name]
            if name in self.json:
                value = json.dumps(value, cls=DjangoJSONEncoder)
            row.append(value)
        self.rows.append(tuple(row))
        if len(self.rows) >= 20_000:
            self.flush()
        return values.get("id")

    def flush(self) -> None:
        if not self.rows:
            return
        raw = connection.connection
        with (
            raw.cursor() as cursor,
            cursor.copy(
                f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({self.columns}) FROM STDIN"
            ) as copy,
        ):
            for row in self.rows:
                copy.write_row(row)
        self.count += len(self.rows)
        self.rows.clear()


class Writer:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.tables: dict[type[models.Model], Table] = {}

    def __getitem__(self, model: type[models.Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, self)
        return self.tables[model]

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def counts(self) -> dict[str, int]:
        return {table.model._meta.label: table.count for table in self.tables.values()}


@dataclass
class Event:
    """An audit event waiting for its place in the chain: ordered by time, then by the order it was planned in."""

    occurred_at: datetime
    order: int
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    summary: str
    data: dict

    def sort_key(self):
        return (self.occurred_at, self.order)


class Seeder:
    def __init__(self, *, proposals: int, suppliers: int, rush: int, seed: int, out=None) -> None:
        if rush > suppliers:
            raise SeedRefused(f"--rush {rush} needs at least as many suppliers; --suppliers is {suppliers}.")
        self.n_proposals = proposals
        self.n_suppliers = suppliers
        self.n_rush = rush
        self.random = random.Random(seed)
        self.now = timezone.now().astimezone(UTC).replace(microsecond=0)
        self.writer = Writer(self.now)
        self.events: list[Event] = []
        self.out = out or (lambda text: None)
        self.emails: dict[int, str] = {}
        self.conflicts: dict[tuple[int, int], datetime] = {}
        self.proposal_count = 0
        self.password = make_password(BENCH_PASSWORD)  # one hash for every seeded login: hashing is slow on purpose

    # --- helpers -------------------------------------------------------------------------------------------------

    def between(self, start: datetime, end: datetime, *, low: float = 0.0, high: float = 1.0) -> datetime:
        if end <= start:
            return start
        span = (end - start).total_seconds()
        return start + timedelta(seconds=span * self.random.uniform(low, high))

    def event(self, at: datetime, action: str, proposal_id: int, summary: str, *, actor=None, data=None) -> None:
        self.events.append(
            Event(at, len(self.events), actor, action, "rfp.proposal", str(proposal_id), summary[:300], data or {})
        )

    # --- people and companies ------------------------------------------------------------------------------------

    def _user(self, *, email: str, full_name: str, joined: datetime, **extra) -> int:
        first, _, last = full_name.partition(" ")
        user_id = self.writer[User].add(
            email=email,
            password=self.password,
            full_name=full_name,
            first_name=first,
            last_name=last,
            date_joined=joined,
            is_active=True,
            **extra,
        )
        from allauth.account.models import EmailAddress

        self.writer[EmailAddress].add(user_id=user_id, email=email, verified=True, primary=True)
        self.emails[user_id] = email
        return user_id

    def _zip_table(self) -> dict[str, list[tuple[str, str]]]:
        """Real ZIP codes and their cities, per state (the offline table the facility check also uses)."""
        import zipcodes

        table: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in zipcodes.list_all():
            state = row.get("state")
            wanted = state in STATES and row.get("zip_code_type") == "STANDARD" and row.get("active")
            if wanted and len(table[state]) < 400:
                table[state].append((row["zip_code"], row["city"]))
        return table

    def _uei(self, index: int) -> str:
        head = "".join(self.random.choice(UEI_LETTERS) for _ in range(4))
        tail = []
        for _ in range(8):  # base-24 letters: unique per index, never nine digits in a row
            index, digit = divmod(index, len(UEI_LETTERS))
            tail.append(UEI_LETTERS[digit])
        return head + "".join(reversed(tail))

    def _cage(self, index: int) -> str:
        first, rest = divmod(index, len(CAGE_MIDDLE) ** 3 * 10)
        middle, last = divmod(rest, 10)
        chars = []
        for _ in range(3):
            middle, digit = divmod(middle, len(CAGE_MIDDLE))
            chars.append(CAGE_MIDDLE[digit])
        return f"{first % 10}{''.join(chars)}{last}"

    def seed_suppliers(self) -> None:
        rnd = self.random
        zips = self._zip_table()
        states = list(STATES)
        weights = list(STATES.values())
        self.suppliers: list[dict] = []
        supplier_ids = self.writer[Supplier].reserve(self.n_suppliers)
        for index, supplier_id in enumerate(supplier_ids):
            sector = rnd.choice(list(PRODUCTS))
            place = rnd.choice(PLACES)
            legal_name = f"{place} {rnd.choice(PRODUCTS[sector])} {rnd.choice(SUFFIXES)}"
            slug = "".join(ch for ch in f"{place}{legal_name.split()[-2]}".lower() if ch in string.ascii_lowercase)
            domain = f"{slug}{supplier_id}.example"
            state = rnd.choices(states, weights)[0]
            zip_code, city = rnd.choice(zips[state])
            created = self.now - timedelta(days=rnd.uniform(self.history_days + 30, self.history_days + 600))
            self.writer[Supplier].add(
                id=supplier_id,
                legal_name=legal_name,
                dba=f"{place} {sector.split('-')[0].title()}" if rnd.random() < 0.2 else "",
                ein=f"{rnd.choice(EIN_PREFIXES)}-{index:07d}",
                uei=self._uei(index),
                cage=self._cage(index) if rnd.random() < 0.7 else "",
                naics_codes=rnd.sample(NAICS[sector], rnd.randint(1, 3)),
                hq_address_line1=f"{rnd.randint(100, 9999)} {rnd.choice(STREETS)}",
                hq_city=city.title(),
                hq_state=state,
                hq_zip=zip_code,
                website=f"https://www.{domain}",
                employee_count=int(rnd.lognormvariate(5, 1.1)) + 5,
                created_at=created,
                updated_at=created,
            )
            full_name = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
            email = f"{full_name.split()[0].lower()}.{full_name.split()[1].lower()}@{domain}"
            owner = self._user(email=email, full_name=full_name, joined=created)
            self.writer[SupplierMember].add(
                supplier_id=supplier_id, user_id=owner, role=MemberRole.OWNER, joined_at=created
            )
            facilities = []
            for number in range(rnd.choices((1, 2, 3), (5, 3, 2))[0]):
                fstate = state if number == 0 else rnd.choices(states, weights)[0]
                fzip, fcity = rnd.choice(zips[fstate])
                workforce = {trade: int(rnd.lognormvariate(2.8, 0.9)) for trade in WORKFORCE_TRADES}
                name = f"{fcity.title()} {('Plant', 'Works', 'Campus', 'Assembly Center')[number % 4]}"
                fstatus = rnd.choices(FACILITY_STATUSES, (7, 2, 1))[0]
                power = Decimal(rnd.uniform(0.5, 60)).quantize(Decimal("0.01"))
                facility_id = self.writer[Facility].add(
                    supplier_id=supplier_id,
                    name=name,
                    address_line1=f"{rnd.randint(100, 9999)} {rnd.choice(STREETS)}",
                    city=fcity.title(),
                    state=fstate,
                    zip_code=fzip,
                    status=fstatus,
                    floor_area_sqft=rnd.randrange(20_000, 900_000, 1000),
                    site_power_mw=power,
                    grid_operator=GRID_OPERATORS.get(fstate, ""),
                    **workforce,
                )
                facilities.append((facility_id, fcity.title(), fstate, fzip, workforce, name, fstatus, power))
            certificates = []
            for kind in rnd.sample(CERTIFICATE_KINDS, rnd.randint(0, 2)):
                expires = (self.now + timedelta(days=rnd.randint(-60, 900))).date()
                self.writer[Certification].add(
                    supplier_id=supplier_id,
                    facility_id=facilities[0][0],
                    kind=kind,
                    number=f"{kind.upper()[:3]}-{rnd.randint(10000, 99999)}",
                    issued_by=rnd.choice(("UL Solutions", "BSI", "TÜV SÜD", "DNV", "Intertek")),
                    expires_on=expires,
                    created_at=created,
                )
                certificates.append(expires)
            self.suppliers.append(
                {
                    "id": supplier_id,
                    "legal_name": legal_name,
                    "owner": owner,
                    "state": state,
                    "facilities": facilities,
                    "certificates": certificates,
                    "has_dba": False,
                }
            )

    def seed_buyers(self) -> None:
        rnd = self.random
        self.lead = self._user(
            email=LEAD_EMAIL,
            full_name="Morgan Ellis",
            joined=self.now - timedelta(days=1000),
            is_staff=True,
            is_superuser=True,
            buyer_role=User.BuyerRole.PROGRAM_LEAD,
        )
        per_sector = max(REVIEWERS_PER_SECTOR_MIN, self.n_proposals // 1200)
        self.reviewers: dict[int, list[int]] = {}
        profiles = []
        for sector in self.sectors:
            ids = []
            for number in range(per_sector):
                full_name = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
                ids.append(
                    self._user(
                        email=f"reviewer.{sector.abbreviation.lower()}{number:04d}@buyer.bench.example",
                        full_name=full_name,
                        joined=self.now - timedelta(days=900),
                        is_staff=True,
                        buyer_role=User.BuyerRole.REVIEWER,
                    )
                )
            self.reviewers[sector.pk] = ids
            profiles.extend((user_id, sector) for user_id in ids)
        self.writer.flush()  # profiles below are written with the ORM and point at these users
        for user_id, sector in profiles:
            profile = ReviewerProfile.objects.create(user_id=user_id, max_open_assignments=10_000)
            profile.sectors.add(sector)

    # --- rounds and proposals ------------------------------------------------------------------------------------

    def seed_rounds(self) -> list[Rfp]:
        count = self.round_count
        rounds = []
        for number in range(1, count + 1):
            # The newest round is open today; each earlier one ran for 90 days and closed before the next opened.
            if number == count:
                closes = self.now + timedelta(days=45)
            else:
                closes = self.now - timedelta(days=100 * (count - number) + 20)
            opens = closes - timedelta(days=90) if number < count else self.now - timedelta(days=60)
            rfp = Rfp.objects.create(
                reference=f"{SCALE_PREFIX}R{number}",
                title=f"AI infrastructure supply, scale round {number}",
                description="Generated by seed_scale for benchmarks.",
                opens_at=opens,
                closes_at=closes,
                display_time_zone="America/Los_Angeles",
            )
            rfp.sectors.set(self.sectors)
            rounds.append(rfp)
        return rounds

    def _sector_details(self, sector_code: str, complete: bool) -> dict:
        rnd = self.random
        if sector_code == "datacenter":
            values = {
                "rack_power_density_kw": Decimal(rnd.uniform(15, 140)).quantize(Decimal("0.1")),
                "cooling_type": rnd.choice(COOLING_TYPES),
                "cooling_capacity_kw": Decimal(rnd.uniform(15, 150)).quantize(Decimal("0.1")),
                "power_per_unit_kw": Decimal(rnd.uniform(1, 120)).quantize(Decimal("0.01")),
                "annual_units": rnd.randrange(200, 50_000, 50),
            }
        elif sector_code == "consumer-electronics":
            values = {
                "smt_lines": rnd.randint(1, 40),
                "placements_per_hour": rnd.randrange(20_000, 2_000_000, 1000),
                "final_assembly_units_per_month": rnd.randrange(1000, 2_000_000, 500),
                "ipc_class": rnd.choice((1, 2, 2, 3)),
            }
        else:
            rated = Decimal(rnd.uniform(1, 400)).quantize(Decimal("0.01"))
            values = {
                "component_type": rnd.choice(ROBOTICS_COMPONENTS),
                "rated_torque_nm": rated,
                "peak_torque_nm": (rated * Decimal(rnd.uniform(1.5, 3.5))).quantize(Decimal("0.01")),
                "gear_ratio": Decimal(rnd.choice((1, 10, 50, 81, 101, 121, 160))),
                "power_device_technology": rnd.choice(POWER_DEVICES),
                "magnet_country_of_origin": rnd.choice(("US", "US", "JP", "DE", "CN", "VN")),
            }
        if not complete:
            values = {name: value for name, value in values.items() if rnd.random() < 0.5}
        return values

    def _narrative(self, supplier: dict, sector_code: str, values: dict) -> str:
        rnd = self.random
        facility = supplier["facilities"][0]
        sentences = rnd.sample(NARRATIVE, rnd.randint(3, len(NARRATIVE)))
        return " ".join(
            sentence.format(
                product=values["title"].split(",")[0].lower(),
                city=facility[1],
                state=facility[2],
                workforce=sum(facility[4].values()),
                shifts=rnd.choice(("two", "three")),
                shipped=rnd.randrange(10_000, 5_000_000, 1000),
                since=rnd.randint(1995, 2021),
                ppm=rnd.choice((50, 100, 200, 500)),
                capacity=values["annual_capacity_units"] or 0,
                lead=values["lead_time_weeks"] or 12,
                domestic=values["domestic_content_pct"] or 60,
                origins=", ".join(values["countries_of_origin"]) or "Mexico",
                year=rnd.randint(2027, 2030),
                power=facility[7],
                grid=GRID_OPERATORS.get(facility[2], "the local utility"),
                sqft=rnd.randrange(50_000, 500_000, 5000),
                cert=rnd.choice(("ISO 9001:2015", "IATF 16949", "AS9100D")),
            )
            for sentence in sentences
        )

    def _status_for(self, rfp: Rfp) -> str:
        if rfp.closes_at <= self.now:
            weights = {
                S.DRAFT: 6,
                S.WITHDRAWN: 5,
                S.DECLINED: 48,
                S.SHORTLISTED: 16,
                S.IN_REVIEW: 17,
                S.INFO_REQUESTED: 5,
                S.SUBMITTED: 3,
            }
        else:
            weights = {
                S.DRAFT: 22,
                S.WITHDRAWN: 4,
                S.DECLINED: 6,
                S.SHORTLISTED: 4,
                S.IN_REVIEW: 38,
                S.INFO_REQUESTED: 10,
                S.SUBMITTED: 16,
            }
        return self.random.choices(list(weights), list(weights.values()))[0]

    def seed_proposals(self, rounds: list[Rfp]) -> None:
        rnd = self.random
        pairs = [(s, sector) for s in range(self.n_suppliers) for sector in range(len(self.sectors))]
        remaining = self.n_proposals
        for position, rfp in enumerate(rounds):
            share = math.ceil(remaining / (len(rounds) - position))
            chosen = rnd.sample(pairs, min(share, len(pairs)))
            chosen.sort()
            for supplier_index, sector_index in chosen:
                self._proposal(rfp, self.suppliers[supplier_index], self.sectors[sector_index], self._status_for(rfp))
            remaining -= len(chosen)
            self.out(f"  {rfp.reference}: {len(chosen):,} proposals")

    def seed_rush(self) -> Rfp | None:
        """Complete drafts, one per rush supplier, in an open round: the deadline rush submits them over HTTP."""
        if not self.n_rush:
            return None
        rfp = Rfp.objects.create(
            reference=RUSH_REFERENCE,
            title="AI infrastructure supply, deadline rush",
            description="Generated by seed_scale: the drafts the benchmark's deadline rush submits.",
            opens_at=self.now - timedelta(days=30),
            closes_at=self.now + timedelta(days=2),
            display_time_zone="America/Los_Angeles",
        )
        rfp.sectors.set(self.sectors)
        for index in range(self.n_rush):
            self._proposal(rfp, self.suppliers[index], self.sectors[index % len(self.sectors)], S.DRAFT, complete=True)
        return rfp

    def _proposal(self, rfp: Rfp, supplier: dict, sector: Sector, status: str, *, complete: bool | None = None):
        rnd = self.random
        w = self.writer
        pid = w[Proposal].next()
        reference = f"{rfp.reference}-{sector.abbreviation}-{supplier['id']:05d}"
        owner = supplier["owner"]
        window_end = min(rfp.closes_at, self.now) - timedelta(minutes=5)
        created = self.between(rfp.opens_at, window_end, high=0.7)
        submitted_ever = status != S.DRAFT
        complete = submitted_ever if complete is None else complete
        if not complete:
            complete = rnd.random() < 0.4
        values = {
            "title": rnd.choice(TITLES[sector.code]),
            "annual_capacity_units": rnd.randrange(1000, 2_000_000, 100) if complete or rnd.random() < 0.6 else None,
            "current_annual_capacity_units": rnd.randrange(0, 500_000, 100),
            "lead_time_weeks": rnd.randint(4, 52) if complete or rnd.random() < 0.6 else None,
            "domestic_content_pct": Decimal(rnd.uniform(35, 100)).quantize(Decimal("0.01"))
            if complete or rnd.random() < 0.6
            else None,
            "site_power_mw": Decimal(rnd.uniform(0.2, 45)).quantize(Decimal("0.01"))
            if complete or rnd.random() < 0.6
            else None,
            "countries_of_origin": rnd.sample(["MX", "CA", "JP", "KR", "DE", "TW", "VN", "IN"], rnd.randint(0, 3)),
            "sub_suppliers": [
                f"{rnd.choice(PLACES)} {rnd.choice(PRODUCTS[sector.code])} {rnd.choice(SUFFIXES)}"
                for _ in range(rnd.randint(0, 2))
            ],
        }
        values["technical_narrative"] = self._narrative(supplier, sector.code, values) if complete else ""
        facilities = rnd.sample(supplier["facilities"], rnd.randint(1, len(supplier["facilities"])))
        categories = rnd.sample(self.categories[sector.pk], rnd.randint(1, min(3, len(self.categories[sector.pk]))))
        workforce = {trade: sum(f[4][trade] for f in facilities) for trade in WORKFORCE_TRADES}
        details = self._sector_details(sector.code, complete)
        terms = {
            "unit_price_usd": Decimal(rnd.uniform(20, 250_000)).quantize(Decimal("0.01")),
            "price_validity_days": rnd.choice((30, 60, 90, 180)),
            "payment_terms": rnd.choice(("Net 30", "Net 45", "Net 60", "30% with order, 70% on delivery")),
            "incoterms": rnd.choice(("EXW", "FCA", "DAP", "DDP")),
        }
        terms["total_price_usd"] = (terms["unit_price_usd"] * (values["annual_capacity_units"] or 1000)).quantize(
            Decimal("0.01")
        )
        if terms["total_price_usd"] >= Decimal("1e14"):
            terms["total_price_usd"] = None
        asks = {
            "asks_offtake_units": rnd.randrange(1000, 500_000, 500) if rnd.random() < 0.6 else None,
            "asks_co_investment_usd": Decimal(rnd.randrange(0, 50_000_000, 250_000)) if rnd.random() < 0.4 else None,
            "asks_prepayment_pct": Decimal(rnd.choice((0, 10, 20, 30))) if rnd.random() < 0.3 else None,
            "asks_notes": "",
        }

        # --- the timeline -------------------------------------------------------------------------------------
        self.event(created, "proposal.created", pid, f"{reference} drafted", actor=owner)
        edited = self.between(created, window_end, high=0.3)
        self.event(
            edited,
            "proposal.edited",
            pid,
            f"{reference} edited",
            actor=owner,
            data={
                "fields": sorted(["title", "technical_narrative", "annual_capacity_units"]),
                "sector_answers": sorted(details),
                "commercial_terms": sorted(terms),
                "categories": True,
                "facilities": True,
            },
        )
        row = {
            "id": pid,
            "rfp_id": rfp.pk,
            "supplier_id": supplier["id"],
            "sector_id": sector.pk,
            "reference": reference,
            "status": S.DRAFT,
            "version": 0,
            "created_at": created,
            "updated_at": edited,
            "capacity_ramp": "Q1: 20%, Q2: 45%, Q3: 75%, Q4: 100%" if complete else "",
            **values,
            **asks,
            **workforce,
        }
        versions: list[tuple[int, datetime]] = []
        info_requests: list[dict] = []
        moment = edited
        last_change = None

        def submit_version(at: datetime, number: int) -> None:
            versions.append((number, at))

        if submitted_ever:
            submitted = self.between(edited, window_end, low=0.1, high=0.95)
            submit_version(submitted, 1)
            row["submitted_at"] = submitted
            last_change = submitted
            moment = submitted
        review_horizon = self.now - timedelta(minutes=10)
        queued = assigned = None
        assignments: list[dict] = []
        decided = None
        withdrawn = None
        # A withdrawn proposal had got as far as this before the supplier withdrew it.
        reach = rnd.choice((S.SUBMITTED, S.IN_REVIEW)) if status == S.WITHDRAWN else status
        goes_to_review = reach in (S.IN_REVIEW, S.INFO_REQUESTED, S.SHORTLISTED, S.DECLINED)
        if submitted_ever and (reach != S.SUBMITTED or rnd.random() < 0.6):
            queued = moment + timedelta(seconds=rnd.uniform(1, 30))
            moment = queued
        if goes_to_review:
            # The checks ran and, with reviewers free, two were assigned and the review started.
            assigned = queued + timedelta(seconds=rnd.uniform(2, 60))
            moment = assigned
            last_change = assigned + timedelta(milliseconds=500)
        loop = goes_to_review and (reach == S.INFO_REQUESTED or (reach != S.IN_REVIEW and rnd.random() < 0.2))
        reviewers = rnd.sample(self.reviewers[sector.pk], 2) if goes_to_review else []
        # When it is decided or asked for more, both reviews were in first.
        reviews_done = 2 if reach in (S.SHORTLISTED, S.DECLINED, S.INFO_REQUESTED) else rnd.choice((0, 0, 1, 2))
        if not goes_to_review:
            reviews_done = 0
        review_end = review_horizon
        for number, reviewer in enumerate(reviewers):
            assignment_at = assigned + timedelta(milliseconds=number)
            conflict_first = rnd.random() < 0.02
            if conflict_first:
                # The first reviewer declared a conflict; the proposal went to another reviewer of the sector.
                other = rnd.choice([r for r in self.reviewers[sector.pk] if r not in reviewers])
                assignments.append({"reviewer": other, "assigned_at": assignment_at, "released": True})
                assignment_at = assignment_at + timedelta(minutes=rnd.uniform(5, 600))
            assignments.append(
                {"reviewer": reviewer, "assigned_at": assignment_at, "released": False, "done": number < reviews_done}
            )
        open_assignments = [a for a in assignments if not a["released"]]
        # Dates of the reviews and of what follows them, in order, all in the past.
        reviewed_by = None
        if open_assignments and reviews_done:
            start = max(a["assigned_at"] for a in open_assignments)
            limit = self.between(start, min(review_end, start + timedelta(days=25)), low=0.3)
            for a in open_assignments:
                if a["done"]:
                    a["declared_at"] = self.between(a["assigned_at"], limit, high=0.2)
                    a["reviewed_at"] = self.between(a["declared_at"], limit, low=0.3)
            reviewed_by = max(a["reviewed_at"] for a in open_assignments if a["done"])
            moment = reviewed_by
        for a in open_assignments:
            if not a["done"] and rnd.random() < 0.6:
                a["declared_at"] = self.between(a["assigned_at"], review_end, high=0.1)
        if loop:
            asked = self.between(moment, min(review_end, moment + timedelta(days=10)))
            info_requests.append({"requested_at": asked, "question": rnd.choice(QUESTIONS)})
            moment = asked
            last_change = asked
            if reach != S.INFO_REQUESTED:
                answered = self.between(asked, min(review_end, asked + timedelta(days=10)))
                info_requests[-1]["responded_at"] = answered
                info_requests[-1]["response"] = "Attached: the report and our answer; see section 3."
                submit_version(answered, 2)
                moment = answered
                last_change = answered
        if reach in (S.SHORTLISTED, S.DECLINED):
            decided = self.between(moment, min(review_end, moment + timedelta(days=30)), low=0.05)
            moment = decided
            last_change = decided
        if status == S.WITHDRAWN:
            withdrawn = self.between(moment, min(review_end, moment + timedelta(days=20)))
            last_change = withdrawn
        version = len(versions)
        row.update(
            status=status,
            version=version,
            queued_at=(versions[-1][1] + timedelta(seconds=3)) if (queued and version == 2) else queued,
            decided_at=decided,
            withdrawn_at=withdrawn,
            status_changed_at=last_change,
            updated_at=max(x for x in (edited, last_change, row.get("submitted_at")) if x is not None),
        )
        w[Proposal].add(**row)
        for category in categories:
            w[Proposal.categories.through].add(proposal_id=pid, category_id=category[0])
        for facility in facilities:
            w[Proposal.facilities.through].add(proposal_id=pid, facility_id=facility[0])
        w[self.detail_models[sector.code]].add(proposal_id=pid, **details)
        w[CommercialTerms].add(proposal_id=pid, **terms)

        # --- versions, receipts, queue entries and checks -----------------------------------------------------
        information_snapshot = []
        for number, at in versions:
            answered = [r for r in info_requests if r.get("responded_at") and r["responded_at"] <= at]
            information_snapshot = [
                {
                    "question": r["question"],
                    "requested_at": r["requested_at"],
                    "response": r.get("response", ""),
                    "responded_at": r.get("responded_at"),
                }
                for r in answered
            ]
            snapshot = self._snapshot(
                row, rfp, supplier, sector, categories, facilities, details, terms, information_snapshot
            )
            digest = hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()
            w[ProposalVersion].add(
                proposal_id=pid, number=number, snapshot=snapshot, sha256=digest, submitted_by_id=owner, submitted_at=at
            )
            action, previous, target = (
                ("submitted", S.DRAFT, S.SUBMITTED) if number == 1 else ("resubmitted", S.INFO_REQUESTED, S.IN_REVIEW)
            )
            self.event(
                at,
                f"proposal.{action}",
                pid,
                f"{reference}: {S(previous).label} → {S(target).label}",
                actor=owner,
                data={"from": previous, "to": target, "at": at.isoformat(), "version": number, "sha256": digest},
            )
            self.event(
                at,
                "proposal.receipt_issued",
                pid,
                f"Receipt for {reference} v{number} sent to {self.emails[owner]}",
                actor=owner,
                data={"version": number, "sha256": digest, "to": [self.emails[owner]], "cc": []},
            )
            if queued is None:
                continue
            entered = at + timedelta(seconds=3) if number == 2 else queued
            self.event(
                entered,
                "proposal.queued",
                pid,
                f"{reference} v{number} entered the review queue",
                data={"version": number},
            )
            self._checks(pid, number, entered + timedelta(seconds=1), supplier, sector, reference)

        # --- assignments, reviews, the decision ----------------------------------------------------------------
        started = False
        for a in assignments:
            assignment_id = w[ReviewAssignment].next()
            due = a["assigned_at"] + timedelta(days=rfp.review_due_days)
            self.event(
                a["assigned_at"],
                "review.assigned",
                pid,
                f"{reference}: reviewer assigned, review due {due:%b %-d, %Y}",
                data={"assignment": assignment_id, "reviewer": a["reviewer"], "version": 1, "due_at": due.isoformat()},
            )
            if not started:
                started = True
                at = a["assigned_at"] + timedelta(milliseconds=500)
                self.event(
                    at,
                    "proposal.review_started",
                    pid,
                    f"{reference}: Submitted → In review",
                    data={"from": S.SUBMITTED, "to": S.IN_REVIEW, "at": at.isoformat()},
                )
            if a["released"]:
                released = a["assigned_at"] + timedelta(minutes=rnd.uniform(1, 240))
                w[ReviewAssignment].add(
                    id=assignment_id,
                    proposal_id=pid,
                    reviewer_id=a["reviewer"],
                    status=AssignmentStatus.RELEASED,
                    assigned_at=a["assigned_at"],
                    due_at=due,
                    conflict_declaration=ConflictDeclaration.CONFLICT,
                    conflict_declared_at=released,
                    released_at=released,
                    conflict_note="Former employer within the last two years.",
                )
                self.event(
                    released,
                    "review.released_for_conflict",
                    pid,
                    f"{reference}: reviewer declared a conflict and was released",
                    actor=a["reviewer"],
                    data={"assignment": assignment_id},
                )
                self.conflicts.setdefault((a["reviewer"], supplier["id"]), released)
                continue
            declared = a.get("declared_at")
            w[ReviewAssignment].add(
                id=assignment_id,
                proposal_id=pid,
                reviewer_id=a["reviewer"],
                status=AssignmentStatus.COMPLETED if a.get("done") else AssignmentStatus.ASSIGNED,
                assigned_at=a["assigned_at"],
                due_at=due,
                conflict_declaration=ConflictDeclaration.NO_CONFLICT if declared else ConflictDeclaration.UNDECLARED,
                conflict_declared_at=declared,
            )
            if declared:
                self.event(
                    declared,
                    "review.no_conflict_declared",
                    pid,
                    f"{reference}: reviewer declared no conflict",
                    actor=a["reviewer"],
                    data={"assignment": assignment_id},
                )
            if a.get("done"):
                self._review(pid, assignment_id, a, sector, reference, reach)
        for request in info_requests:
            request_id = w[InformationRequest].add(
                proposal_id=pid,
                question=request["question"],
                requested_by_id=self.lead,
                requested_at=request["requested_at"],
                response=request.get("response", ""),
                responded_by_id=owner if request.get("responded_at") else None,
                responded_at=request.get("responded_at"),
            )
            self.event(
                request["requested_at"],
                "proposal.information_requested",
                pid,
                f"{reference}: In review → Information requested",
                actor=self.lead,
                data={
                    "from": S.IN_REVIEW,
                    "to": S.INFO_REQUESTED,
                    "at": request["requested_at"].isoformat(),
                    "information_request": request_id,
                },
            )
        if decided:
            outcome = DecisionOutcome.SHORTLISTED if status == S.SHORTLISTED else DecisionOutcome.DECLINED
            w[Decision].add(
                proposal_id=pid,
                outcome=outcome,
                rationale=RATIONALES[outcome],
                decided_by_id=self.lead,
                decided_at=decided,
            )
            self.event(
                decided,
                f"proposal.{outcome}",
                pid,
                f"{reference}: In review → {S(status).label}",
                actor=self.lead,
                data={"from": S.IN_REVIEW, "to": status, "at": decided.isoformat()},
            )
        if withdrawn:
            previous = S.IN_REVIEW if started else S.SUBMITTED
            self.event(
                withdrawn,
                "proposal.withdrawn",
                pid,
                f"{reference}: {S(previous).label} → Withdrawn",
                actor=owner,
                data={
                    "from": previous,
                    "to": S.WITHDRAWN,
                    "at": withdrawn.isoformat(),
                    "reason": "Capacity committed to another customer.",
                },
            )
        self.proposal_count += 1

    def _snapshot(self, row, rfp, supplier, sector, categories, facilities, details, terms, information) -> dict:
        snapshot = {
            "reference": row["reference"],
            "rfp": rfp.reference,
            "supplier": {"id": supplier["id"], "legal_name": supplier["legal_name"]},
            "sector": sector.code,
            "title": row["title"],
            "technical_narrative": row["technical_narrative"],
            "categories": sorted(c[1] for c in categories),
            "facilities": [
                {
                    "id": f[0],
                    "name": f[5],
                    "city": f[1],
                    "state": f[2],
                    "zip_code": f[3],
                    "status": f[6],
                    "site_power_mw": f[7],
                    **f[4],
                }
                for f in sorted(facilities)
            ],
            "current_annual_capacity_units": row["current_annual_capacity_units"],
            "annual_capacity_units": row["annual_capacity_units"],
            "capacity_ramp": row["capacity_ramp"],
            "lead_time_weeks": row["lead_time_weeks"],
            "domestic_content_pct": row["domestic_content_pct"],
            "countries_of_origin": row["countries_of_origin"],
            "site_power_mw": row["site_power_mw"],
            "sub_suppliers": row["sub_suppliers"],
            "workforce": {trade: row[trade] for trade in WORKFORCE_TRADES},
            "asks": {
                "offtake_units": row["asks_offtake_units"],
                "co_investment_usd": row["asks_co_investment_usd"],
                "prepayment_pct": row["asks_prepayment_pct"],
                "notes": row["asks_notes"],
            },
            "information_requests": information,
            "sector_details": details,
            "commercial_terms": terms,
            "attachments": [],
        }
        return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))

    def _checks(self, pid, version, at, supplier, sector, reference) -> None:
        rnd = self.random
        outcomes = {}
        codes = ["completeness", "ein", "uei", "cage", "naics", "facilities", "certifications", "screening_legal_name"]
        for code in codes:
            outcome = CheckOutcome.PASS
            if code == "certifications" and any(
                expires <= (self.now + timedelta(days=60)).date() for expires in supplier["certificates"]
            ):
                outcome = CheckOutcome.WARNING
            elif code == "screening_legal_name" and rnd.random() < 0.03:
                outcome = rnd.choice((CheckOutcome.WARNING, CheckOutcome.FAIL))
            outcomes[code] = outcome
            label = CHECK_LABELS[code].format(sector=sector.name)
            self.writer[ProposalCheck].add(
                proposal_id=pid,
                version=version,
                code=code,
                label=label,
                outcome=outcome,
                detail=f"{label}: {CheckOutcome(outcome).label.lower()}.",
                data={},
                created_at=at,
            )
        counted = {value: sum(1 for o in outcomes.values() if o == value) for value in CheckOutcome.values}
        self.event(
            at,
            "proposal.checked",
            pid,
            f"{reference} v{version} checked: {counted['pass']} passed, {counted['warning']} warned, "
            f"{counted['fail']} failed",
            data={
                "version": version,
                "outcomes": counted,
                "failed": [c for c, o in outcomes.items() if o == CheckOutcome.FAIL],
                "warned": [c for c, o in outcomes.items() if o == CheckOutcome.WARNING],
            },
        )

    def _review(self, pid, assignment_id, assignment, sector, reference, reach) -> None:
        rnd = self.random
        criteria = self.criteria[sector.pk]
        leaning = {S.SHORTLISTED: (3, 5), S.DECLINED: (0, 3)}.get(reach, (1, 5))
        values = {c["id"]: min(c["max_score"], rnd.randint(*leaning)) for c in criteria}
        total_weight = sum((c["weight"] for c in criteria), Decimal(0))
        earned = sum((c["weight"] * Decimal(values[c["id"]]) / Decimal(c["max_score"]) for c in criteria), Decimal(0))
        weighted = (earned / total_weight * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        recommendation = {
            S.SHORTLISTED: Recommendation.SHORTLIST,
            S.DECLINED: Recommendation.DECLINE,
            S.INFO_REQUESTED: Recommendation.REQUEST_INFO,
        }.get(reach) or rnd.choice(RECOMMENDATIONS)
        review_id = self.writer[Review].add(
            assignment_id=assignment_id,
            rubric_id=self.rubrics[sector.pk],
            recommendation=recommendation,
            comments="Capacity figures are credible; the ramp depends on the second line.",
            weighted_score=weighted,
            submitted_at=assignment["reviewed_at"],
        )
        for criterion in criteria:
            self.writer[Score].add(review_id=review_id, criterion_id=criterion["id"], value=values[criterion["id"]])
        self.event(
            assignment["reviewed_at"],
            "review.submitted",
            pid,
            f"{reference}: reviewer submitted a review, weighted score {weighted}",
            actor=assignment["reviewer"],
            data={
                "assignment": assignment_id,
                "review": review_id,
                "rubric": self.rubrics[sector.pk],
                "scores": {c["code"]: values[c["id"]] for c in sorted(criteria, key=lambda c: c["code"])},
                "weighted_score": str(weighted),
                "recommendation": recommendation,
            },
        )

    # --- the audit chain ---------------------------------------------------------------------------------------

    def write_audit_chain(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        newest = AuditEvent.objects.order_by("-id").values_list("occurred_at", flat=True).first()
        self.events.sort(key=Event.sort_key)
        if newest is not None and self.events and self.events[0].occurred_at < newest:
            self.out("  note: the seeded history is older than events already in the chain; it is appended after them")
        table = self.writer[AuditEvent]
        for event in self.events:
            data = json.loads(json.dumps(event.data, default=str))
            fields = {
                "occurred_at": event.occurred_at.isoformat(),
                "actor_id": event.actor_id,
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "summary": event.summary,
                "data": data,
            }
            digest = _event_hash(previous_hash=previous, fields=fields)
            table.add(
                occurred_at=event.occurred_at,
                actor_id=event.actor_id,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                summary=event.summary,
                data=data,
                previous_hash=previous,
                hash=digest,
            )
            previous = digest
        table.flush()
        count = len(self.events)
        self.events.clear()
        return count

    # --- the whole run -------------------------------------------------------------------------------------------

    def run(self) -> SeedReport:
        import time

        started = time.monotonic()
        if connection.vendor != "postgresql":
            raise SeedRefused("seed_scale writes with COPY and needs PostgreSQL: set DATABASE_URL to postgres://...")
        existing = Rfp.objects.filter(reference__startswith=SCALE_PREFIX).order_by("reference").first()
        if existing is not None:
            raise SeedRefused(
                f"seed_scale already ran on this database: round {existing.reference} holds "
                f"{existing.proposals.count():,} proposals. It seeds a database once; use a fresh one "
                "(`make bench` creates and drops its own)."
            )
        self.sectors = list(Sector.objects.order_by("position"))
        if len(self.sectors) < 3:
            raise SeedRefused("The sectors are missing: run `manage.py migrate` first (rfp's migration seeds them).")
        self.detail_models = {
            "datacenter": DatacenterDetails,
            "consumer-electronics": ElectronicsDetails,
            "robotics": RoboticsDetails,
        }
        self.categories = defaultdict(list)
        for category in Category.objects.order_by("position"):
            self.categories[category.sector_id].append((category.pk, category.code))
        self.rubrics = {}
        self.criteria = {}
        for rubric in Rubric.objects.filter(rfp=None).prefetch_related("criteria"):
            self.rubrics[rubric.sector_id] = rubric.pk
            self.criteria[rubric.sector_id] = [
                {"id": c.pk, "code": c.code, "weight": c.weight, "max_score": c.max_score}
                for c in rubric.criteria.all()
            ]
        pairs = self.n_suppliers * len(self.sectors)
        self.round_count = max(1, math.ceil(self.n_proposals / (pairs * PROPOSALS_PER_ROUND_SHARE)))
        self.history_days = 100 * self.round_count + 60
        report = SeedReport()
        with transaction.atomic():
            self.out(f"suppliers: {self.n_suppliers:,} with owners, facilities and certificates")
            self.seed_suppliers()
            self.seed_buyers()
            rounds = self.seed_rounds()
            self.out(f"proposals: {self.n_proposals:,} in {len(rounds)} round(s)")
            self.seed_proposals(rounds)
            rush = self.seed_rush()
            for (reviewer, supplier), at in sorted(self.conflicts.items()):
                self.writer[ReviewerConflict].add(
                    reviewer_id=reviewer, supplier_id=supplier, reason="Former employer.", declared_at=at
                )
            self.writer.flush()
            self.out(f"audit events: {len(self.events):,}, hash-chained")
            self.write_audit_chain()
            self._lead_authenticator()
        report.counts = self.writer.counts()
        report.rounds = [r.reference for r in rounds] + ([rush.reference] if rush else [])
        report.seconds = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return report

    def _lead_authenticator(self) -> None:
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(User.objects.get(pk=self.lead), BENCH_TOTP_SECRET)


def seed_scale(*, proposals: int, suppliers: int, rush: int = 0, seed: int = 2026, out=None) -> SeedReport:
    """Fill this (PostgreSQL) database once; SeedRefused when it already holds a scale seed."""
    seeder = Seeder(proposals=proposals, suppliers=suppliers, rush=rush, seed=seed, out=out)
    return seeder.run()


def rush_drafts() -> list[dict]:
    """The deadline rush's drafts: reference, the owner's email, and the proposal's current title."""
    rows = (
        Proposal.objects.filter(rfp__reference=RUSH_REFERENCE, status=S.DRAFT).select_related("supplier").order_by("pk")
    )
    owners = dict(
        SupplierMember.objects.filter(role=MemberRole.OWNER, supplier__in=[p.supplier_id for p in rows]).values_list(
            "supplier_id", "user__email"
        )
    )
    return [{"reference": p.reference, "email": owners[p.supplier_id], "title": p.title} for p in rows]
