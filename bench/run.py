"""`make bench`: the production stack on loopback, measured against floors taken in the same run.

    .venv/bin/python -m bench.run            # 100,000 proposals, 10,000 suppliers, 64 suppliers in the rush
    .venv/bin/python -m bench.run --small    # 2,000 proposals, 8 suppliers in the rush: a quick look

It creates its own databases (dropped at the end), starts a private redis-server on a free port, gunicorn with
deploy/gunicorn.conf.py and a Celery worker (both on config.settings.bench: production's settings on loopback),
seeds with `seed_scale`, then measures. Each figure is printed as `name: value unit (ratio to floor)` with its
goal from issue 8 and PASS or MISS, and the whole run is written as JSON under var/bench/. Every process it starts
is stopped by its own PID.
"""

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CORES = os.cpu_count() or 1


# --- results ---------------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    floor: float | None = None  # the floor's figure in the same unit, when the figure has one
    ratio: float | None = None
    goal: str = ""
    passed: bool | None = None
    note: str = ""

    def line(self) -> str:
        text = f"{self.name}: {_number(self.value)} {self.unit}"
        if self.ratio is not None:
            text += f" ({self.ratio:.2f}x floor {_number(self.floor)} {self.unit})"
        if self.goal:
            text += f"  goal {self.goal}: {'PASS' if self.passed else 'MISS'}"
        if self.note:
            text += f"  [{self.note}]"
        return text


def _number(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"


@dataclass
class Run:
    started_at: str
    params: dict
    machine: dict = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    seconds: dict = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# --- processes -------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process {process.args[:3]} exited with {process.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f}s")


class Processes:
    """The processes this run started, each in its own session, stopped by PID (never by name)."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, args: list[str], *, env: dict, log: Path) -> subprocess.Popen:
        handle = log.open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and binaries, no shell
            args, cwd=PROJECT_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_path = log
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.started):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.started.clear()


def manage(*args: str, env: dict, log: Path | None = None, timeout: float = 1800) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if log is not None:
        with log.open("a") as handle:
            handle.write(f"$ manage.py {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout


# --- databases -------------------------------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin_execute(server_url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(statement)


def admin_query(server_url: str, statement: str, params=()) -> list[tuple]:
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        return conn.execute(statement, params).fetchall()


def migrated_template(server_url: str, *, env: dict, log: Path) -> str:
    """A migrated, empty database named after the migrations it holds: made once, copied by each run in seconds.
    Templates of other migrations (older code) are dropped."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(PROJECT_DIR.glob("*/migrations/*.py")):
        digest.update(path.relative_to(PROJECT_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    name = f"bench_template_{digest.hexdigest()[:16]}"
    existing = [
        row[0]
        for row in admin_query(
            server_url, "SELECT datname FROM pg_database WHERE datname LIKE %s", ("bench_template_%",)
        )
    ]
    for stale in existing:
        if stale != name:
            admin_execute(server_url, f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
    if name not in existing:
        print("migrating a template database (once per set of migrations) ...", flush=True)
        admin_execute(server_url, f'CREATE DATABASE "{name}"')
        try:
            manage(
                "migrate", "--no-input", "-v0", env={**env, "DATABASE_URL": _with_database(server_url, name)}, log=log
            )
        except Exception:
            admin_execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            raise
    return name


# --- HTTP clients ----------------------------------------------------------------------------------------------------


class Timings:
    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}

    def record(self, name: str, seconds: float) -> None:
        self.samples.setdefault(name, []).append(seconds)

    def error(self, name: str, detail: str) -> None:
        self.errors.setdefault(name, []).append(detail[:300])


def _client(base_url: str, **options):
    import httpx

    return httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(180.0),
        follow_redirects=False,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        **options,
    )


async def _timed(timings: Timings, name: str, call):
    started = time.perf_counter()
    response = await call
    timings.record(name, time.perf_counter() - started)
    return response


async def sign_in(client, timings: Timings, *, email: str, password: str) -> None:
    """allauth's login form, with its CSRF token, as a browser posts it."""
    from bench.forms import csrf_token

    page = await _timed(timings, "sign_in_page", client.get("/accounts/login/"))
    token = csrf_token(page.text)
    response = await _timed(
        timings,
        "sign_in",
        client.post(
            "/accounts/login/",
            data={"login": email, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{client.base_url}/accounts/login/"},
        ),
    )
    if response.status_code != 302:
        raise RuntimeError(
            f"sign-in of {email} answered {response.status_code}, not a redirect: {_page_errors(response.text)}"
        )


def _page_errors(html: str) -> str:
    """The error messages a refused form shows, for the log."""
    import re

    found = re.findall(
        r'<(?:ul class="errorlist[^"]*"|div class="form-errors"[^>]*|p class="error[^"]*")>(.*?)</', html, re.S
    )
    return " | ".join(re.sub(r"<[^>]+>", " ", text).strip() for text in found)[:300] or html[:200]


async def second_factor(client, *, secret: str) -> None:
    """The program lead's TOTP step, with the code the authenticator app would show now."""
    from allauth.mfa.totp.internal.auth import hotp_value

    from bench.forms import csrf_token

    page = await client.get("/accounts/2fa/authenticate/")
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
    response = await client.post(
        "/accounts/2fa/authenticate/",
        data={"code": code, "csrfmiddlewaretoken": csrf_token(page.text)},
        headers={"Referer": f"{client.base_url}/accounts/2fa/authenticate/"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"the second factor answered {response.status_code}, not a redirect")


# --- the deadline rush -----------------------------------------------------------------------------------------------


class Barrier:
    """All K clients finish a phase before any starts the next: the submits then arrive together, at the deadline."""

    def __init__(self, parties: int) -> None:
        self.parties = parties
        self.waiting = 0
        self.event = asyncio.Event()
        self.generation = 0

    async def wait(self) -> None:
        generation = self.generation
        self.waiting += 1
        if self.waiting == self.parties:
            self.waiting = 0
            self.generation += 1
            self.event.set()
            self.event = asyncio.Event()
            return
        event = self.event
        while self.generation == generation:
            await event.wait()


@dataclass
class RushPhases:
    submit_started: float = 0.0
    submit_finished: float = 0.0


async def rush_supplier(base_url, draft, password, pdf_bytes, timings, barrier, phases: RushPhases) -> None:
    from bench.forms import csrf_token, form_fields

    reference = draft["reference"]
    referer = {"Referer": f"{base_url}/portal/proposals/{reference}/"}
    async with _client(base_url) as client:
        failed = None
        try:
            await sign_in(client, timings, email=draft["email"], password=password)
        except Exception as error:
            failed = f"sign-in: {error}"
            timings.error("sign_in", failed)
        await barrier.wait()
        if failed is None:
            try:
                step = f"/portal/proposals/{reference}/steps/overview/"
                page = await _timed(timings, "edit_page", client.get(step))
                fields: dict[str, list[str]] = {}
                for name, value in form_fields(page.text, css_class="step-form"):
                    fields.setdefault(name, []).append(value)
                fields.update({"title": [f"{draft['title']} (final)"], "go": ["next"]})
                response = await _timed(timings, "edit", client.post(step, data=fields, headers=referer))
                if response.status_code != 302:
                    raise RuntimeError(f"saving the overview answered {response.status_code}")
                token = csrf_token(page.text)
                response = await _timed(
                    timings,
                    "upload",
                    client.post(
                        f"/portal/proposals/{reference}/attachments/upload/",
                        data={"kind": "technical", "csrfmiddlewaretoken": token},
                        files={"file": ("capacity-plan.pdf", pdf_bytes, "application/pdf")},
                        headers=referer,
                    ),
                )
                if response.status_code >= 400:
                    raise RuntimeError(f"the upload answered {response.status_code}")
                review = await _timed(
                    timings, "review_page", client.get(f"/portal/proposals/{reference}/steps/review/")
                )
                token = csrf_token(review.text)
            except Exception as error:
                failed = f"edit: {error}"
                timings.error("edit", failed)
        await barrier.wait()
        if phases.submit_started == 0.0:
            phases.submit_started = time.perf_counter()
        if failed is None:
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"/portal/proposals/{reference}/submit/",
                    data={"csrfmiddlewaretoken": token},
                    headers=referer,
                )
                timings.record("submit", time.perf_counter() - started)
                if response.status_code != 302 or "/receipt/" not in response.headers.get("location", ""):
                    timings.error("submit", f"{reference}: {response.status_code} {response.headers.get('location')}")
            except Exception as error:
                timings.error("submit", f"{reference}: {error}")
        else:
            timings.error("submit", f"{reference}: not attempted ({failed})")
        phases.submit_finished = max(phases.submit_finished, time.perf_counter())


async def deadline_rush(base_url: str, drafts: list[dict], password: str, pdf_bytes: bytes) -> tuple[Timings, float]:
    timings = Timings()
    barrier = Barrier(len(drafts))
    phases = RushPhases()
    await asyncio.gather(
        *(rush_supplier(base_url, draft, password, pdf_bytes, timings, barrier, phases) for draft in drafts)
    )
    return timings, phases.submit_finished - phases.submit_started


async def floor_inserts(base_url: str, *, clients: int, rounds: int) -> tuple[list[float], list[float]]:
    """The insert-one-row floor in the rush's shape: K clients, warmed up, post together; repeated `rounds` times.
    Returns each round's throughput and every latency."""
    latencies: list[float] = []
    throughputs: list[float] = []

    async def one(client, label: str) -> None:
        started = time.perf_counter()
        response = await client.post("/bench/floors/insert/", data={"label": label})
        latencies.append(time.perf_counter() - started)
        if response.status_code != 201:
            raise RuntimeError(f"the floor insert answered {response.status_code}")

    pool = [_client(base_url) for _ in range(clients)]
    try:
        await asyncio.gather(*(one(client, "warm-up") for client in pool))
        latencies.clear()
        for number in range(rounds):
            started = time.perf_counter()
            await asyncio.gather(*(one(client, f"round {number}") for client in pool))
            throughputs.append(clients / (time.perf_counter() - started))
    finally:
        await asyncio.gather(*(client.aclose() for client in pool))
    return throughputs, latencies


async def latencies_of(client, path: str, *, requests: int, concurrency: int, headers=None) -> tuple[list[float], int]:
    """`requests` GETs of one path, `concurrency` at a time on clients sharing the cookies; (latencies, queries)."""
    samples: list[float] = []
    queries: list[int] = []
    queue: asyncio.Queue = asyncio.Queue()
    for _ in range(requests):
        queue.put_nowait(None)

    async def worker(own) -> None:
        while not queue.empty():
            queue.get_nowait()
            started = time.perf_counter()
            response = await own.get(path, headers=headers or {})
            samples.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
            queries.append(int(response.headers.get("X-Bench-Queries", "-1")))

    extra = [_client(str(client.base_url), cookies=client.cookies) for _ in range(concurrency - 1)]
    try:
        for own in [client, *extra]:  # one warm-up each: connections, caches, first-request imports
            response = await own.get(path, headers=headers or {})
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
        await asyncio.gather(*(worker(own) for own in [client, *extra]))
    finally:
        await asyncio.gather(*(own.aclose() for own in extra))
    # The usual count: a periodic write (an API token's last-used time) may add one to an odd request.
    return samples, statistics.mode(queries) if queries else -1


# --- the PDF figures (child processes, fork after Django is set up) -------------------------------------------------


def _pdf_init() -> None:
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's connection


def _render_summary(proposal_id: int) -> int:
    from documents.services import summary_pdf_render

    return summary_pdf_render(proposal_id=proposal_id, audience="program_lead", reason="benchmark").page_count


def _render_minimal(pages: int) -> int:
    from bench.floors import minimal_document
    from documents.pdf import pdf_render

    pdf_render(html=minimal_document(pages=pages))
    return pages


def _throughput(processes: int, function, items: list) -> tuple[float, float]:
    """Items per second over `processes` forked processes, and the largest peak memory (MiB) one of them reached."""
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_pdf_init) as pool:
        pool.map(function, items[:processes], chunksize=1)  # warm-up: fonts, templates, connections
        started = time.perf_counter()
        pool.map(function, items, chunksize=1)
        rate = len(items) / (time.perf_counter() - started)
        peaks = pool.map(_own_peak_memory_mib, range(processes * 4), chunksize=1)
        return rate, max(peaks)


def _own_peak_memory_mib(_=None) -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux gives KiB


def peak_memory_mib(pid: int) -> float | None:
    """A process's peak resident memory (VmHWM), from /proc; None when it is gone or /proc has no such line."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def children_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                status = (entry / "status").read_text()
                if re.search(rf"^PPid:\s+{pid}$", status, re.MULTILINE):
                    children.append(int(entry.name))
    return children


def memory_figures(run, *, web_pid: int, worker_pid: int) -> None:
    """Peak memory of one gunicorn worker process and one Celery pool process (the largest of each), after the rush
    and the queue requests: what a container's memory request must hold per process."""
    for label, parent in (("web process (gunicorn worker)", web_pid), ("worker process (Celery pool)", worker_pid)):
        peaks = [peak for child in children_of(parent) if (peak := peak_memory_mib(child)) is not None]
        if peaks:
            note = f"largest of {len(peaks)} processes; smallest {min(peaks):.0f} MiB"
            run.add(Figure(f"memory, {label} peak", max(peaks), "MiB", note=note))


# --- the run ---------------------------------------------------------------------------------------------------------


def versions(env: dict) -> dict:
    import celery
    import django
    import gunicorn
    import weasyprint

    found = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "celery": celery.__version__,
        "gunicorn": gunicorn.__version__,
        "weasyprint": weasyprint.__version__,
    }
    with contextlib.suppress(Exception):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            found["postgresql"] = cursor.fetchone()[0]
    with contextlib.suppress(Exception):
        output = subprocess.run(["redis-server", "--version"], capture_output=True, text=True, check=False)  # noqa: S607
        found["redis"] = output.stdout.split("v=")[1].split()[0]
    return found


def goal(figure: Figure, *, at_least: float | None = None, at_most: float | None = None, text: str) -> None:
    figure.goal = text
    if figure.ratio is None:
        figure.passed = False
        return
    figure.passed = (at_least is None or figure.ratio >= at_least) and (at_most is None or figure.ratio <= at_most)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="2,000 proposals and an 8-supplier rush: a quick look")
    parser.add_argument("--proposals", type=int)
    parser.add_argument("--suppliers", type=int)
    parser.add_argument("--rush", type=int, help="suppliers in the deadline rush (default 64; 8 with --small)")
    parser.add_argument("--requests", type=int, help="GETs per queue variant (default 40; 30 with --small)")
    parser.add_argument("--keep", action="store_true", help="leave the databases and files for a look afterwards")
    args = parser.parse_args(argv)
    small = args.small
    proposals = args.proposals or (2_000 if small else 100_000)
    suppliers = args.suppliers or (400 if small else 10_000)
    rush_size = args.rush or (8 if small else 64)
    requests = args.requests or (30 if small else 40)
    drain_timeout = 300 if small else 900

    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out_dir = PROJECT_DIR / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"run-{stamp}-", dir=out_dir))
    logs = work / "logs"
    logs.mkdir()
    server_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not server_url.startswith("postgres"):
        print("make bench needs PostgreSQL: set DATABASE_URL to postgres://user@host:port/any", file=sys.stderr)
        return 2
    database = f"bench_{stamp.lower()}_{os.getpid()}"
    small_database = f"{database}_q100"
    run = Run(
        started_at=stamp,
        params={
            "small": small,
            "proposals": proposals,
            "suppliers": suppliers,
            "rush": rush_size,
            "queue_requests": requests,
        },
    )
    processes = Processes()
    created: list[str] = []
    print(f"make bench: {proposals:,} proposals, {suppliers:,} suppliers, rush of {rush_size}; logs in {work}")
    try:
        # --- services: a private Redis, two databases ---------------------------------------------------------
        redis_binary = shutil.which("redis-server")
        if redis_binary is None:
            raise RuntimeError("redis-server is not installed: `make system-packages` installs it")
        redis_port = free_port()
        redis = processes.start(
            [
                redis_binary,
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(work),
            ],
            env=dict(os.environ),
            log=logs / "redis.log",
        )
        wait_for_port(redis_port, timeout=10, process=redis)
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        files = work / "files"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            "DATABASE_URL": _with_database(server_url, database),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SITE_URL": "http://127.0.0.1",
            "VAR_DIR": str(work),
            "MEDIA_ROOT": str(files / "media"),
            "PRIVATE_STORAGE_ROOT": str(files / "private"),
            "EMAIL_FILE_PATH": str(work / "mail"),
            "PROMETHEUS_MULTIPROC_DIR": str(work / "prometheus"),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(work / "celerybeat-schedule"),
            "LOG_LEVEL": "WARNING",
            # Every client of the bench comes from 127.0.0.1: per-IP limits would refuse the rush; per-key ones stay.
            "LOGIN_FAILED_RATE_LIMIT": "100000/5m/ip,5/5m/key",
            "API_THROTTLE_USER": "1000000/hour",
            "API_THROTTLE_ANON": "1000000/hour",
            "WEB_CONCURRENCY": str(CORES),
            "PYTHONUNBUFFERED": "1",
        }
        phase = time.monotonic()
        template = migrated_template(server_url, env=env, log=logs / "manage.log")
        # The run's database and the 100-proposal one for the query counts: copies of the migrated, empty template.
        for name in (database, small_database):
            admin_execute(server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            created.append(name)
        run.seconds["migrate"] = time.monotonic() - phase
        phase = time.monotonic()
        print(f"seeding {proposals:,} proposals (seed_scale) ...", flush=True)
        manage(
            "seed_scale",
            "--proposals",
            str(proposals),
            "--suppliers",
            str(suppliers),
            "--rush",
            str(rush_size),
            env=env,
            log=logs / "manage.log",
        )
        small_env = {**env, "DATABASE_URL": _with_database(server_url, small_database)}
        manage("seed_scale", "--proposals", "100", "--suppliers", "40", env=small_env, log=logs / "manage.log")
        run.seconds["seed"] = time.monotonic() - phase
        print(f"seeded in {run.seconds['seed']:.0f}s", flush=True)

        # --- the stack --------------------------------------------------------------------------------------
        os.environ.update(env)  # this process reads the bench database too: the drain, the counts, the PDFs
        import django

        django.setup()
        from django.db import connection

        run.machine = {"cores": CORES, "platform": platform.platform(), "versions": versions(env)}
        port = free_port()
        web = processes.start(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "config.wsgi",
            ],
            env=env,
            log=logs / "gunicorn.log",
        )
        worker = processes.start(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "default,pdf,mail",
                "--concurrency",
                str(CORES),
                "--pool",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "WARNING",
                "-n",
                f"bench-{os.getpid()}@%h",
            ],
            env=env,
            log=logs / "celery.log",
        )
        wait_for_port(port, timeout=60, process=web)
        base_url = f"http://127.0.0.1:{port}"
        time.sleep(1)
        if worker.poll() is not None:
            raise RuntimeError(f"the Celery worker exited; see {logs / 'celery.log'}")

        from bench.floors import minimal_document
        from bench.seeding import BENCH_PASSWORD, BENCH_TOTP_SECRET, LEAD_EMAIL, rush_drafts
        from documents.pdf import pdf_render

        # --- deadline rush and its floor ----------------------------------------------------------------------
        attachment = pdf_render(html=minimal_document(pages=2))
        drafts = rush_drafts()
        phase = time.monotonic()
        floor_rounds = 5
        floor_throughputs, floor_latencies = asyncio.run(
            floor_inserts(base_url, clients=rush_size, rounds=floor_rounds)
        )
        floor_rate = statistics.median(floor_throughputs)
        print(f"deadline rush: {len(drafts)} suppliers sign in, edit, upload, then submit together ...", flush=True)
        timings, submit_wall = asyncio.run(deadline_rush(base_url, drafts, BENCH_PASSWORD, attachment))
        submits = timings.samples.get("submit", [])
        errors = sum(len(found) for found in timings.errors.values())
        rate = len(submits) / submit_wall if submit_wall > 0 else 0.0
        figure = run.add(
            Figure(
                "rush submits",
                rate,
                "submits/s",
                floor=floor_rate,
                ratio=rate / floor_rate,
                note=f"{len(submits)} submits in {submit_wall:.2f}s; floor = one-row insert, {rush_size} "
                f"clients, median of {floor_rounds} rounds",
            )
        )
        goal(figure, at_least=0.5, text=">= 0.5x")
        for share, label in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
            value = percentile(submits, share) * 1000
            floor_value = percentile(floor_latencies, share) * 1000
            figure = run.add(Figure(f"rush submit {label}", value, "ms", floor=floor_value, ratio=value / floor_value))
            if label == "p99":
                goal(figure, at_most=4.0, text="< 4x")
        for name in ("sign_in", "edit", "upload"):
            if timings.samples.get(name):
                run.add(Figure(f"rush {name} p95", percentile(timings.samples[name], 0.95) * 1000, "ms"))
        figure = run.add(Figure("rush errors", errors, "errors", goal="= 0", passed=errors == 0))
        for name, found in timings.errors.items():
            for detail in found[:3]:
                print(f"    {name}: {detail}")

        # After the workers drain: each submitted rush proposal has its PDF summary and its receipt.
        from bench.checks import rush_outcome

        drain_started = time.monotonic()
        outcome = rush_outcome()
        while outcome.pending_jobs and time.monotonic() - drain_started < drain_timeout:
            time.sleep(2)
            outcome = rush_outcome()
        drain = time.monotonic() - drain_started
        run.add(Figure("rush drain", drain, "s", note=f"{outcome.pending_jobs} jobs still pending"))
        lost = outcome.without_pdf + outcome.without_receipt
        run.add(
            Figure(
                "rush lost",
                lost,
                "proposals",
                goal="= 0",
                passed=lost == 0 and outcome.submitted == len(drafts),
                note=f"{outcome.submitted}/{len(drafts)} submitted; without PDF {outcome.without_pdf}, "
                f"without receipt {outcome.without_receipt}, dead jobs {outcome.dead_jobs}",
            )
        )
        run.seconds["rush"] = time.monotonic() - phase

        # --- review queue: HTML page and API, unfiltered and filtered, with the DRF-list floor ----------------
        phase = time.monotonic()
        from bench.checks import api_queue_path, lead_api_token, queue_filters

        concurrency = CORES
        api_path = api_queue_path()
        token = lead_api_token() if api_path else ""  # the database is read here, outside the event loop

        async def queue_figures() -> dict:
            async with _client(base_url) as anonymous:
                floor, _ = await latencies_of(
                    anonymous, "/bench/floors/list/", requests=requests, concurrency=concurrency
                )
            async with _client(base_url) as lead:
                await sign_in(lead, Timings(), email=LEAD_EMAIL, password=BENCH_PASSWORD)
                await second_factor(lead, secret=BENCH_TOTP_SECRET)
                measured = {"floor": (floor, 0)}
                filters = queue_filters()
                measured["page"] = await latencies_of(lead, "/review/", requests=requests, concurrency=concurrency)
                measured["page filtered"] = await latencies_of(
                    lead, f"/review/?{filters}", requests=requests, concurrency=concurrency
                )
            if api_path:
                bearer = {"Authorization": f"Bearer {token}"}
                async with _client(base_url) as api:
                    measured["api"] = await latencies_of(
                        api, api_path, requests=requests, concurrency=concurrency, headers=bearer
                    )
                    measured["api filtered"] = await latencies_of(
                        api, f"{api_path}?{filters}", requests=requests, concurrency=concurrency, headers=bearer
                    )
            return measured

        measured = asyncio.run(queue_figures())
        floor_samples = measured.pop("floor")[0]
        floor_p50, floor_p95 = percentile(floor_samples, 0.5) * 1000, percentile(floor_samples, 0.95) * 1000
        run.add(Figure("floor DRF list of 50 p95", floor_p95, "ms", note=f"p50 {floor_p50:.1f} ms"))
        if "api" not in measured:
            run.add(
                Figure(
                    "queue api",
                    float("nan"),
                    "ms",
                    goal="p95 <= 3x",
                    passed=False,
                    note="no API queue endpoint found under /api/v1/ (api/urls.py)",
                )
            )
        large_counts = {name: queries for name, (_, queries) in measured.items()}
        for name, (samples, _queries) in measured.items():
            p50, p95 = percentile(samples, 0.5) * 1000, percentile(samples, 0.95) * 1000
            run.add(Figure(f"queue {name} p50", p50, "ms", floor=floor_p50, ratio=p50 / floor_p50))
            figure = run.add(
                Figure(
                    f"queue {name} p95",
                    p95,
                    "ms",
                    floor=floor_p95,
                    ratio=p95 / floor_p95,
                    note=f"at {proposals:,} proposals",
                )
            )
            goal(figure, at_most=3.0, text="<= 3x")
        # The same requests in-process on the 100-proposal database: the query count must not grow with the data.
        paths = _queue_paths(api_queue_path() if "api" in measured else None)
        counted = subprocess.run(  # noqa: S603 - our own module
            [PYTHON, "-m", "bench.querycount", *(f"{name}={path}" for name, path in paths.items())],
            cwd=PROJECT_DIR,
            env=small_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if counted.returncode != 0:
            raise RuntimeError(f"bench.querycount failed:\n{counted.stdout[-2000:]}{counted.stderr[-3000:]}")
        small_counts = json.loads(counted.stdout.strip().splitlines()[-1])
        for name, large in large_counts.items():
            small_count = small_counts.get(name)
            run.add(
                Figure(
                    f"queue {name} SQL queries",
                    large,
                    "queries",
                    goal="same at 100 and N",
                    passed=small_count == large,
                    note=f"{small_count} at 100 proposals, {large} at {proposals:,}",
                )
            )
        run.seconds["queue"] = time.monotonic() - phase

        memory_figures(run, web_pid=web.pid, worker_pid=worker.pid)

        # --- PDF: summaries per second per process, with 2 processes, against the minimal render -----------------
        phase = time.monotonic()
        connection.close()
        from bench.checks import pdf_sample

        ids = pdf_sample(count=4 if small else 12)
        pages = _render_summary(ids[0])
        connection.close()
        one, render_peak = _throughput(1, _render_summary, ids)
        two, _ = _throughput(2, _render_summary, ids * 2)
        minimal, _ = _throughput(1, _render_minimal, [pages] * len(ids))
        figure = run.add(
            Figure(
                "pdf summary, 1 process",
                one,
                "PDFs/s",
                floor=minimal,
                ratio=minimal / one,
                note=f"{pages} pages; ratio = time per summary / time per minimal {pages}-page render",
            )
        )
        goal(figure, at_most=1.5, text="<= 1.5x")
        figure = run.add(
            Figure("pdf summary, 2 processes", two, "PDFs/s", floor=one, ratio=two / one, note="ratio to 1 process")
        )
        goal(figure, at_least=1.7, text=">= 1.7x")
        run.add(Figure("memory, pdf render process peak", render_peak, "MiB", note=f"after {len(ids) + 1} summaries"))
        run.seconds["pdf"] = time.monotonic() - phase
    finally:
        processes.stop_all()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if not args.keep:
            for name in created:
                with contextlib.suppress(Exception):
                    admin_execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(work / "files", ignore_errors=True)
        run.seconds["total"] = time.monotonic() - started
        report = out_dir / f"bench-{stamp}{'-small' if small else ''}.json"
        report.write_text(json.dumps(asdict(run), indent=2, default=str))
        missed = [f.name for f in run.figures if f.goal and not f.passed]
        print(
            f"\n{len(run.figures)} figures in {run.seconds['total']:.0f}s; goals missed: {', '.join(missed) or 'none'}"
        )
        print(f"written to {report.relative_to(PROJECT_DIR)}")
    return 0


def _queue_paths(api_path: str | None) -> dict[str, str]:
    from bench.checks import queue_filters

    filters = queue_filters()
    paths = {"page": "/review/", "page filtered": f"/review/?{filters}"}
    if api_path:
        paths.update({"api": api_path, "api filtered": f"{api_path}?{filters}"})
    return paths


if __name__ == "__main__":
    sys.exit(main())
