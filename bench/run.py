"""`make bench`: how fast the portal is with years of ideas, measured, not guessed.

Builds a PostgreSQL database `smederijen_bench` with the demo and 10,000 ideas, 100,000 supports
and 50,000 rows of history; serves it with gunicorn (gunicorn.conf.py) under production settings;
loads each key page with wrk from this second process at a fixed concurrency for a fixed time; and
prints per page requests/s, latency p50/p95/p99, errors, SQL queries per request (rendered
fresh, "SQL", and kept in the page cache, "kept"), compressed bytes, and the share of the
ceiling: a bare Django view on the same server.

Then a bounded run of mixed traffic (bench/mixed.lua): pages, supports and contact messages
together, counting the responses per class; any 5xx is a miss.

Environment: BENCH_SECONDS (per page, default 10), BENCH_MIXED_SECONDS (default 30),
BENCH_DATABASE_URL, BENCH_PORT, BENCH_KEEP_DB=1
(reuse the database of the last run).
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
PYTHON = str(BASE / ".venv" / "bin" / "python")
GUNICORN = str(BASE / ".venv" / "bin" / "gunicorn")
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smederijen_bench"
)
PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
MIXED_SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "30"))
CONCURRENCY = 8
HOST = f"http://127.0.0.1:{PORT}"
TARGETS = {"share": 0.25, "p95_ms": 100, "errors": 0, "queries": 12, "home_kb": 100}


def say(text: str) -> None:
    print(text, flush=True)


def need_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("Installing wrk (the load tool) with apt-get ...")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True
            )
    found = shutil.which("wrk")
    if not found:
        sys.exit("make bench needs wrk: run 'sudo apt-get install wrk' and try again.")
    return found


def environment(static_root: Path, private: Path) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {
        **clean,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
        "SMEDERIJEN_PRIVATE_MEDIA_ROOT": str(private),
        "SMEDERIJEN_BENCHMARK": "1",
        "SMEDERIJEN_MAIL_QUEUE": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=BASE, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def build_database(env: dict) -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    if os.environ.get("BENCH_KEEP_DB") == "1":
        return
    say(f"Building the database {name} (demo, 10,000 ideas, 100,000 supports, 50,000 history) ...")
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin_url, "-q", "-c", sql], check=True, capture_output=True)
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    say("  " + manage(env, "bench_data").strip() + f" ({time.monotonic() - started:.0f} s)")


SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from ideas.models import Idea
from django.db.models import Count
from smederijen import pagecache
user = get_user_model().objects.get(email="sanne.jonker@example.org")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.save()
review = Idea.objects.filter(smederij__slug="krakeel", status="in_behandeling").first()
detail = Idea.objects.published().annotate(n=Count("supports")).order_by("-n").first()
pages = {
    "home": "/",
    "idea list": "/ideeen/",
    "idea list, page 50": "/ideeen/?pagina=50",
    "idea list, filtered": "/ideeen/?smederij=krakeel&kind=korte_klap&status=in_behandeling",
    "idea detail": detail.get_absolute_url(),
    "search": "/zoeken/?q=speeltuin+bankjes",
    "team page": "/wijk-en-dorpenteams/krakeel/",
    "transparency": "/bewonersbudget/",
    "werkvoorraad": "/werkvoorraad/",
    "review page": f"/werkvoorraad/{review.public_id}/",
    "budget report": "/rapportage/",
    "ceiling (bare Django view)": "/bench/ceiling/",
}
signed_in = {"werkvoorraad", "review page", "budget report"}
from ideas.services import can_be_supported
supportable = [i.reference for i in Idea.objects.published().order_by("-pk")[:400]
               if can_be_supported(i)][:50]
queries = {}
for name, url in pages.items():
    client = Client(HTTP_HOST="127.0.0.1")
    if name in signed_in:
        client.cookies["sessionid"] = session.session_key
    client.get(url)  # warm
    pagecache.bump()  # a fresh page: what rendering it costs
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    with CaptureQueriesContext(connection) as kept:  # the same page again, kept
        client.get(url)
    queries[name] = [len(captured), status, len(kept)]
print("JSON" + json.dumps({"pages": pages, "signed_in": sorted(signed_in),
                           "session": session.session_key, "queries": queries,
                           "supportable": supportable}))
"""


def fetch(url: str, cookie: str | None = None) -> tuple[int, int, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    if cookie:
        request.add_header("Cookie", f"sessionid={cookie}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
        body = response.read()
        headers = sum(len(k) + len(v) + 4 for k, v in response.getheaders())
        return response.status, len(body) + headers, body


def first_visit_bytes() -> tuple[int, list[str]]:
    """The home page as a first visitor loads it: HTML and every asset it names."""
    _status, size, body = fetch(HOST + "/")
    request = urllib.request.Request(HOST + "/")  # the HTML itself, uncompressed, for its links
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        html = response.read().decode()
    assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)))
    total = size
    for asset in assets:
        total += fetch(HOST + asset)[1]
        if asset.endswith(".css"):  # fonts and images a stylesheet names
            css = urllib.request.urlopen(HOST + asset, timeout=30).read().decode()  # noqa: S310
            for ref in re.findall(r"url\(([^)]+)\)", css):
                ref = ref.strip("'\"")
                if ref.startswith("data:"):
                    continue
                path = ref if ref.startswith("/") else asset.rsplit("/", 1)[0] + "/" + ref
                total += fetch(HOST + path)[1]
                assets.append(path)
    return total, assets


def load(wrk: str, url: str, cookie: str | None) -> dict:
    command = [
        wrk,
        "-t2",
        f"-c{CONCURRENCY}",
        f"-d{SECONDS}s",
        "--latency",
        "-s",
        str(BASE / "bench" / "report.lua"),
        "-H",
        "Accept-Encoding: br, gzip",
    ]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    return json.loads(line)


def rows(table: str) -> int:
    result = subprocess.run(
        ["psql", DATABASE_URL, "-Atc", f"SELECT count(*) FROM {table}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.strip())


def mixed_load(wrk: str, references: list[str]) -> dict:
    """Browsing, supports and contact messages together, bounded in time (bench/mixed.lua)."""
    request = urllib.request.Request(HOST + "/contact/")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
        cookie = re.search(r"csrftoken=([^;]+)", response.headers["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    before = {table: rows(table) for table in ("ideas_support", "mailer_message")}
    command = [wrk, "-t2", f"-c{CONCURRENCY}", f"-d{MIXED_SECONDS}s", "--latency"]
    command += ["-s", str(BASE / "bench" / "mixed.lua"), HOST, "--", cookie, token.group(1)]
    output = subprocess.run([*command, *references], capture_output=True, text=True, check=True)
    run = json.loads(next(line for line in output.stdout.splitlines() if line.startswith("{")))
    added = {table: rows(table) - count for table, count in before.items()}
    say(
        f"\nmixed load, {MIXED_SECONDS} s, {CONCURRENCY} connections (70 % pages, 20 % supports, "
        f"10 % contact messages): {run['requests']} requests, "
        f"{run['requests'] / (run['duration_us'] / 1e6):.0f} req/s, p50 {run['p50_us'] / 1000:.1f} "
        f"ms, p95 {run['p95_us'] / 1000:.1f} ms, p99 {run['p99_us'] / 1000:.1f} ms; "
        f"2xx {run['2xx']}, 3xx {run['3xx']}, 4xx {run['4xx']}, 5xx {run['5xx']}, "
        f"socket errors {run['socket_errors']}; saved: {added['ideas_support']} supports, "
        f"{added['mailer_message']} mails queued (the rest was refused by the rate limits)"
    )
    return run


def main() -> None:
    wrk = need_wrk()
    work = Path(tempfile.mkdtemp(prefix="smederijen-bench-"))
    env = environment(work / "static", work / "private")
    build_database(env)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    output = manage(env, "shell", "-v", "0", "-c", SETUP)
    setup = json.loads(next(line[4:] for line in output.splitlines() if line.startswith("JSON")))
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", "smederijen.wsgi"],
        cwd=BASE,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_ACCESSLOG": ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    listening = threading.Event()

    def read_log():  # drains gunicorn's output and says when the socket is bound
        for line in server.stdout:
            if "Listening at" in line:
                listening.set()

    threading.Thread(target=read_log, daemon=True).start()
    try:
        if not listening.wait(timeout=60):
            sys.exit("gunicorn did not start listening within 60 s")
        # The socket is bound: this request waits in its backlog until a worker answers it.
        if fetch(HOST + "/health/")[0] != 200:
            sys.exit("gunicorn did not answer on /health/")
        cores = os.cpu_count()
        say(
            f"\ngunicorn: {cores * 2 + 1} workers on {cores} cores; wrk: {CONCURRENCY} "
            f"connections, {SECONDS} s per page, from a second process on loopback\n"
        )
        results = {}
        for name, path in setup["pages"].items():
            cookie = setup["session"] if name in setup["signed_in"] else None
            status, size, _body = fetch(HOST + path, cookie)
            run = load(wrk, HOST + path, cookie)
            run["rps"] = run["requests"] / (run["duration_us"] / 1e6)
            run["size"] = size
            run["status"] = status
            results[name] = run
        ceiling = results["ceiling (bare Django view)"]["rps"]
        header = (
            f"{'page':28} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
            f"{'errors':>6} {'SQL':>4} {'kept':>4} {'bytes':>7} {'ceiling':>8}"
        )
        say(header)
        say("-" * len(header))
        failed = []
        for name, run in results.items():
            share = run["rps"] / ceiling
            queries = setup["queries"][name][0]
            say(
                f"{name:28} {run['rps']:7.0f} {run['p50_us'] / 1000:7.1f} "
                f"{run['p95_us'] / 1000:7.1f} {run['p99_us'] / 1000:7.1f} {run['errors']:6d} "
                f"{queries:4d} {setup['queries'][name][2]:4d} {run['size']:7d} {share:8.0%}"
            )
            if name.startswith("ceiling"):
                continue
            if share < TARGETS["share"]:
                failed.append(f"{name}: {share:.0%} of the ceiling")
            if run["p95_us"] / 1000 > TARGETS["p95_ms"]:
                failed.append(f"{name}: p95 {run['p95_us'] / 1000:.0f} ms")
            if run["errors"] or run["status"] != 200:
                failed.append(f"{name}: {run['errors']} errors, status {run['status']}")
            if queries > TARGETS["queries"]:
                failed.append(f"{name}: {queries} queries")
        home_bytes, assets = first_visit_bytes()
        say(
            f"\nfirst visit to the home page: {home_bytes / 1024:.1f} KB in all "
            f"(HTML and {len(assets)} assets, compressed)"
        )
        if home_bytes > TARGETS["home_kb"] * 1024:
            failed.append(f"home page first visit {home_bytes / 1024:.0f} KB")
        mixed = mixed_load(wrk, setup["supportable"])
        if mixed["5xx"] or mixed["socket_errors"]:
            failed.append(f"mixed load: {mixed['5xx']} responses 5xx")
        say(
            "\ntargets: >= 25 % of the ceiling, p95 <= 100 ms, 0 errors, <= 12 queries, "
            "home <= 100 KB, no 5xx under mixed load"
        )
        say("missed: " + ("; ".join(failed) if failed else "none"))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
