"""Running for real: the health check for the load balancer, logs as JSON lines on stdout, the
gunicorn settings, and the clear 400 page for a post no browser sends."""

import json

import pytest

from tests.smederijen.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def test_health_answers_ok_with_one_query_and_sets_no_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_health_says_503_when_the_database_does_not_answer():
    code = (
        "from django.test import Client;"
        "r = Client().get('/health/', HTTP_HOST='desmederijen.example.nl', secure=True);"
        "print('RESULT', r.status_code, r.content.decode())"
    )
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:1/smederijen",
        **PRODUCTION,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    status, body = line.removeprefix("RESULT ").split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body) == {"status": "error", "database": "unreachable"}


def test_health_is_asked_over_plain_http_without_a_redirect():
    code = (
        "from django.test import Client;"
        "r = Client().get('/health/', HTTP_HOST='desmederijen.example.nl');"
        "print('RESULT', r.status_code)"
    )
    result = manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    assert line in {"RESULT 200", "RESULT 503"}, result.stderr  # no 301 to https


def test_production_logs_are_one_json_object_a_line():
    code = (
        "import logging;"
        "logging.getLogger('smederijen.events').info('idea status changed',"
        " extra={'idea': 42, 'to': 'in_behandeling'})"
    )
    result = manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    entry = json.loads(lines[-1])
    assert entry["message"] == "idea status changed" and entry["level"] == "INFO"
    assert entry["idea"] == 42 and entry["to"] == "in_behandeling"
    assert entry["logger"] == "smederijen.events" and entry["time"].endswith("+00:00")


def test_gunicorn_takes_its_workers_from_the_cores(monkeypatch):
    import multiprocessing
    import runpy

    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path("gunicorn.conf.py")
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert config["accesslog"] == "-" and config["errorlog"] == "-"
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert runpy.run_path("gunicorn.conf.py")["workers"] == 3


def test_a_post_with_broken_characters_gets_the_clear_400_page(client):
    response = client.post(
        "/contact/",
        b"name=%FF%FE&email=a%40b.nl&message=Hallo",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Er ging iets mis met wat er is verstuurd" in html
    assert "Er is niets opgeslagen" in html


def test_uploads_can_live_in_an_s3_bucket_all_servers_share():
    code = (
        "from django.core.files.storage import storages;"
        "s = storages['private'];"
        "print('RESULT', type(s).__name__, s.bucket_name, s.location, s.default_acl,"
        " s.endpoint_url)"
    )
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        SMEDERIJEN_S3_BUCKET="smederijen-uploads",
        SMEDERIJEN_S3_ENDPOINT_URL="https://s3.example.nl",
        **PRODUCTION,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    assert line == "RESULT S3Storage smederijen-uploads private private https://s3.example.nl"
