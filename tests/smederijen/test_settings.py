"""Production settings: start-up refuses weak configuration, and check --deploy is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_KEY = "k7#Qx9!vLp2@Rz5$Wm8^Tn3&Yb6*Hc4(Jd1)Fg0-Se7+Ua2=Io5"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "desmederijen.example.nl",
}


def production_on_test_database(**env: str) -> dict:
    """The environment of a process of the portal (gunicorn, the mail sender) under production
    settings on this test's database, which the test must have committed to (transactional_db)."""
    db = connection.settings_dict
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {
        **clean,
        **PRODUCTION,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SMEDERIJEN_MAIL_QUEUE": "1",
        **env,
    }


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DJANGO_ALLOWED_HOSTS": "x.nl"}, "DJANGO_SECRET_KEY is missing or weak"),
        ({"DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "x.nl"}, "is missing or weak"),
        (
            {"DJANGO_SECRET_KEY": "django-insecure-" + STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "x.nl"},
            "is missing or weak",
        ),
        ({"DJANGO_SECRET_KEY": STRONG_KEY}, "DJANGO_ALLOWED_HOSTS is empty"),
    ],
)
def test_production_without_a_strong_key_or_hosts_stops_with_one_clear_line(env, message):
    result = manage("check", DJANGO_DEBUG="0", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_production_settings_are_secure():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.LANGUAGE_CODE, s.TIME_ZONE,"
        " s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "nl",
        "Europe/Amsterdam",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ], result.stderr


def test_collectstatic_writes_hashed_and_compressed_files(tmp_path):
    result = manage("collectstatic", "--noinput", DJANGO_STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    css = {p.name for p in (tmp_path / "css").iterdir()}
    hashed = [name for name in css if name.startswith("site.") and name.endswith(".css")]
    assert any(len(name.split(".")) == 3 for name in hashed), css
    assert any(name.endswith(".css.gz") for name in css) and any(
        name.endswith(".css.br") for name in css
    ), css
    assert (tmp_path / "staticfiles.json").exists()


def test_a_database_that_does_not_answer_is_named_in_one_line():
    result = manage(
        "check_database",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/smederijen",
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "No postgresql database answers at 127.0.0.1:1" in lines[0]
    assert "pg_ctlcluster" in lines[0]
