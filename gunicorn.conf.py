"""gunicorn's settings for the portal: `gunicorn -c gunicorn.conf.py smederijen.wsgi`.

Every value can be set from the environment (README: Deploy). Nothing is kept on the server
itself: sessions, cache, rate limits and the mail queue live in PostgreSQL, uploads in the
private storage (a shared folder or an S3 bucket), so several servers can run side by side."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Sync workers: two per core and one more, as gunicorn advises for mostly-I/O work.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is renewed now and then, so a slow leak can never grow large. Not too often: each
# renewal costs the other workers a fork's worth of processor time. Under `make bench`'s load,
# renewing every 2000 requests put p99 at 150-290 ms and cost about 10 % of the requests/s;
# every 20000, p99 was 12-108 ms.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10  # workers started together are not renewed together
# Requests come from the web server in front (README); it sets X-Forwarded-Proto and
# X-Forwarded-For. One list of trusted proxies for gunicorn and the portal (smederijen/clientip.py).
forwarded_allow_ips = os.environ.get("SMEDERIJEN_TRUSTED_PROXIES", "127.0.0.1,::1")
# Logs go to stdout, one JSON object a line, like the portal's own logs.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "remote": "%(h)s", '
    '"user_agent": "%(a)s", "worker": "%(p)s"}'
)
# The app is loaded once, then forked: less memory, quicker start of the workers.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# gunicorn's own messages (start, workers, errors) as JSON lines too; the access log's lines are
# JSON already (access_log_format) and are written as they are.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "smederijen.logs.JSONFormatter"},
        "as_is": {"format": "%(message)s"},
    },
    # No line carries an e-mail address, as in the portal's own logs (smederijen/logs.py).
    "filters": {"mask_email_addresses": {"()": "smederijen.logs.MaskEmailAddresses"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["mask_email_addresses"],
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "as_is",
            "filters": ["mask_email_addresses"],
        },
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {
            "handlers": ["access"] if accesslog else [],
            "level": "INFO",
            "propagate": False,
        },
    },
}
