"""Rate limits count in the shared database cache, so several gunicorn workers (or servers)
count together: a visitor cannot get around a limit by landing on another worker."""

import http.client
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.smederijen.test_mail_queue import free_port
from tests.smederijen.test_settings import manage, production_on_test_database

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
LIMIT = 10  # "contact_form": "10/h/ip" in settings.ACCOUNT_RATE_LIMITS
PER_WORKER = 3  # requests a worker process answers before gunicorn replaces it


class Log:
    """gunicorn's output, line by line, as it comes; a test can wait until a line is there."""

    def __init__(self):
        self.lines: list[str] = []
        self.changed = threading.Condition()

    def read(self, stream):
        for line in stream:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def wait_for(self, predicate, timeout=60):
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self.lines), timeout=timeout)

    def __str__(self):
        return "".join(self.lines)[-3000:]


def start_logged(command: list[str], env: dict) -> tuple[subprocess.Popen, Log]:
    """A process of the portal in the project folder, its output read line by line."""
    process = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log = Log()
    threading.Thread(target=log.read, args=(process.stdout,), daemon=True).start()
    return process, log


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    """The portal under production settings, three workers, on the test database, on a free
    port (tests run side by side)."""
    port = free_port()
    env = production_on_test_database(
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="3",
        # Each worker process answers at most three requests, then gunicorn starts a new one:
        # the posts below are answered by several processes whichever worker the kernel picks,
        # and a count kept in a process's memory would start again at 0 in each new one.
        GUNICORN_CMD_ARGS=f"--max-requests {PER_WORKER} --max-requests-jitter 0",
    )
    collected = manage("collectstatic", "--noinput", "-v", "0", **env)
    assert collected.returncode == 0, collected.stderr
    server, log = start_logged([GUNICORN, "-c", "gunicorn.conf.py", "smederijen.wsgi"], env)
    assert log.wait_for(lambda lines: any("Listening at" in line for line in lines)), log
    log.port = port
    yield log
    server.terminate()
    server.wait(timeout=30)


def request(server, method, path, headers=None, body=None):
    """One request on a connection of its own (``Connection: close``), as a new visitor would."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
    response = conn.getresponse()
    content = response.read().decode()
    conn.close()
    return response, content


def test_the_contact_form_limit_holds_across_three_workers(gunicorn):
    response, page = request(gunicorn, "GET", "/contact/")
    assert response.status == 200, gunicorn
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = (
        f"csrfmiddlewaretoken={token}&name=Olga&email=olga%40example.org"
        "&message=Wanneer+komt+de+wijkteamvergadering%3F&website="
    )
    headers = {
        "Cookie": f"csrftoken={cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    statuses = [
        request(gunicorn, "POST", "/contact/", headers, form)[0].status for _ in range(LIMIT)
    ]
    assert statuses == [302] * LIMIT  # each message sent: on to the "sent" page
    refused, page = request(gunicorn, "POST", "/contact/", headers, form)
    assert refused.status == 200
    assert "Je hebt in korte tijd veel berichten gestuurd." in page  # next to the form
    assert "Olga" in page  # what she typed is still there

    # The eleven posts were answered by at least four worker processes, yet counted together.
    # (gunicorn writes a request's access line just after the answer has gone out.)
    def posts(lines):
        return [
            json.loads(line)["worker"]
            for line in lines
            if '"gunicorn.access"' in line and '"POST"' in line
        ]

    assert gunicorn.wait_for(lambda lines: len(posts(lines)) == LIMIT + 1), gunicorn
    workers = posts(gunicorn.lines)
    assert len(set(workers)) >= (LIMIT + 1) // PER_WORKER, workers
