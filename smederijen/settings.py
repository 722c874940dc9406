"""Settings of the Smederijen portal, read from the environment.

One module for every environment: development (``DJANGO_DEBUG=1``, what ``make run`` and
``make test`` set) and production (debug off, the default). Every variable is documented in
README.md; production refuses to start without a strong secret key and allowed hosts.
"""

import ipaddress
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A local `.env` file (made by `make run`/`make test` with DJANGO_DEBUG=1) fills in what the
# environment does not set; real environment variables always win.
load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def stop(message: str) -> None:
    """Stop start-up with one clear line instead of a traceback."""
    sys.stderr.write(f"Configuration error: {message}\n")
    raise SystemExit(2)


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if DEBUG and not SECRET_KEY:
    # A fixed key for local development only; production must set its own.
    SECRET_KEY = "dev-only-not-secret-smederijen-hoogeveen-0123456789abcdefghijklmnop"
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    stop(
        "DJANGO_SECRET_KEY is missing or weak (needs 50+ random characters); "
        "for local development set DJANGO_DEBUG=1."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    stop("DJANGO_ALLOWED_HOSTS is empty; list the portal's host names, comma-separated.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "smederijen.apps.SmederijenAdminConfig",  # django.contrib.admin with our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "mailer",
    "smederijen",
    "teams",
    "ideas",
    "budgets",
]

MIDDLEWARE = [
    "smederijen.clientip.ForwardedHeadersFromProxiesOnlyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, compressed ahead (br, gzip)
    # Pages compressed when the client accepts gzip (a 37 KB list is sent as about 5 KB), at a
    # lighter level than Django's own (smederijen/middleware.py).
    # BREACH: the CSRF token is masked anew for every response, and Django adds up to 100 random
    # bytes to each gzip header ("Heal the Breach"), so the length of a response does not give a
    # secret away.
    "smederijen.middleware.CompressPagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "smederijen.middleware.RefuseBrokenFormDataMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "teams.middleware.StaffSecondFactorMiddleware",
    "smederijen.audit.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "smederijen.pagecache.ForgetPagesAfterPostsMiddleware",
]

ROOT_URLCONF = "smederijen.urls"
WSGI_APPLICATION = "smederijen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smederijen.context_processors.site",
                "ideas.staff_menu.staff_menu",
            ],
        },
    },
]

# Database: one URL. Without it the portal uses an SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, with a health check of kept connections that needs no round trip.
    DATABASES["default"]["ENGINE"] = "smederijen.postgresql"
    # The values of a query are sent apart from its text (server-side binding), so psycopg
    # prepares a query a connection runs again and again (the same page's queries, with other
    # values): PostgreSQL parses and plans it once per connection instead of on every run, a
    # third of the SQL time of the idea list. Switch off (0) behind a connection pooler that
    # cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env_bool(
        "DATABASE_SERVER_SIDE_BINDING", True
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds sign-in throttling counts and used app codes, so every gunicorn worker and server
# must share it: by default a table in the database (`manage.py createcachetable` makes it).
CACHES = {
    # Sign-in throttling, rate limits and used app codes: shared by every worker and server.
    "default": {
        "BACKEND": "smederijen.cache.SharedTableCache",
        "LOCATION": "smederijen_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # Public pages as visitors without an account see them (smederijen/pagecache.py); a table
    # of their own, so many kept pages never push a rate-limit count out of "default".
    "pages": {
        "BACKEND": "smederijen.cache.SharedTableCache",
        "LOCATION": "smederijen_page_cache",
        # Every public page of the site fits (manage.py warm_pages keeps them all): a few
        # hundred ideas a year need far fewer; the benchmark's 10,000 ideas need about 10,000.
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("SMEDERIJEN_PAGE_CACHE_ENTRIES", "20000"))},
    },
    # A copy of each session (SESSION_ENGINE below): read with one short query, where a session
    # row costs a slower ORM query; a session pushed out of here is read from its row again.
    "sessions": {
        "BACKEND": "smederijen.cache.SharedTableCache",
        "LOCATION": "smederijen_session_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
# Sessions are written to their table (django_session) and to the "sessions" cache; a request
# reads the cache first. Both are in the shared database, so every worker and server agrees.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
# How long a kept public page may be used at most (0: pages are not kept).
PAGE_CACHE_SECONDS = int(os.environ.get("SMEDERIJEN_PAGE_CACHE_SECONDS", "300"))
# Parts of pages each worker keeps by the version of what they show (smederijen/parts.py): an
# idea's content. At the latest after this many seconds a part is made again (as a kept page);
# 0: never kept.
PART_SECONDS = int(os.environ.get("SMEDERIJEN_PART_SECONDS", "300"))
# The holes of a kept page, filled with the current text for each visitor (smederijen/pagecache.py).
PAGE_CACHE_HOLES = {"supporters": "ideas.templatetags.idea_cards.current_supporters"}
AUTH_USER_MODEL = "teams.User"

# Sign-in (django-allauth): residents by a code sent by mail, staff by password and app code.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "teams:my-details"
STAFF_LOGIN_REDIRECT_URL = "ideas:my-work"  # staff start at Mijn werk (teams/adapters.py)
ACCOUNT_ADAPTER = "teams.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "teams.forms.LoginForm",
    "confirm_login_code": "teams.forms.ConfirmLoginCodeForm",
    "request_login_code": "teams.forms.RequestLoginCodeForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
# Sign-up is closed (accounts come with the first code, or from admin); "password1" keeps
# the password field on the sign-in form for staff.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60  # minutes to find the mail and type the code
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 5
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False  # the session ends with the browser
# Codes of six digits: easy to read aloud and to type on a phone.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "De Smederijen: "
ACCOUNT_PREVENT_ENUMERATION = True
# Throttling and lock-out: after 5 failed sign-ins an address is locked for 15 minutes;
# one network address may fail 20 times a minute. allauth keeps the counts in the cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/15m/key",
    "request_login_code": "20/m/ip,3/m/key,10/h/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    # The portal's own forms use the same shared counts (allauth.core.ratelimit).
    "idea_form": "30/h/ip",
    "idea_submit": "10/h/ip,5/h/user",
    "support_idea": "30/h/ip,5/h/key",
    "contact_form": "10/h/ip",
    "satisfaction": "20/h/ip",
    # Staff forms that change much at once or that anyone of a team may post: assigning ideas,
    # opening the budgets of a year.
    "staff_bulk": "30/m/ip",
    # Het wijkoverleg: planning and agenda work by staff, remarks and answers by the invited.
    "overleg": "60/m/ip,120/h/user",
    "overleg_answer": "30/h/ip",
    # Photos and PDFs, one count per file (ideas/uploads.py): per address, and per account (or,
    # without one, per browser). An idea has at most 5 files, a verantwoording 10.
    "upload": "60/h/ip,30/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "De Smederijen"
MFA_TOTP_TOLERANCE = 1  # accept the code of the 30 seconds before and after (clock drift)
# A wrong app code counts as a failed sign-in (login_failed above).

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files: served by whitenoise; in production with hashed, compressed (gzip + brotli) names.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Residents' uploads (photos, PDFs, scans): a folder the web server never serves; only views
# that check who asks hand them out.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("SMEDERIJEN_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Several servers: the private uploads on storage they all share. Either a shared folder (NFS)
# as SMEDERIJEN_PRIVATE_MEDIA_ROOT, or an S3-compatible object store (django-storages): set the
# bucket and the files are kept there, private, and still handed out only by the portal's views.
S3_BUCKET = os.environ.get("SMEDERIJEN_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("SMEDERIJEN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SMEDERIJEN_S3_REGION") or None,
            "access_key": os.environ.get("SMEDERIJEN_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("SMEDERIJEN_S3_SECRET_ACCESS_KEY") or None,
            "location": "private",
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
# whitenoise gives hashed names (they never change) a lifetime of ten years; other files an hour.
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600

# E-mail through Django's mail framework. Development prints mail to the console.
# In production every mail is first stored in a queue in the database (django-mailer) and sent
# by `manage.py run_mail_sender` (a service that sends at once); a mail server that is down loses
# nothing: the mail waits and is tried again. DJANGO_EMAIL_BACKEND is the backend that really
# sends.
SENDING_EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
SMEDERIJEN_MAIL_QUEUE = env_bool("SMEDERIJEN_MAIL_QUEUE", not DEBUG)
if SMEDERIJEN_MAIL_QUEUE:
    EMAIL_BACKEND = "mailer.backend.DbBackend"
    MAILER_EMAIL_BACKEND = SENDING_EMAIL_BACKEND
else:
    EMAIL_BACKEND = SENDING_EMAIL_BACKEND
# Several servers may send from the same queue: each mail row is locked while it is sent.
MAILER_USE_FILE_LOCK = False
# What happens to a mail that cannot be sent (smederijen/mail.py): it waits and is tried again
# every SMEDERIJEN_MAIL_RETRY_SECONDS by `manage.py run_mail_sender`, or, when it can never be
# sent (or still is not after SMEDERIJEN_MAIL_GIVE_UP_HOURS), it is set aside as undeliverable
# (admin) and the rest of the queue goes on.
MAILER_ERROR_HANDLER = "smederijen.mail.handle_delivery_exception"
SMEDERIJEN_MAIL_RETRY_SECONDS = int(os.environ.get("SMEDERIJEN_MAIL_RETRY_SECONDS", "60"))
SMEDERIJEN_MAIL_GIVE_UP_HOURS = int(os.environ.get("SMEDERIJEN_MAIL_GIVE_UP_HOURS", "72"))
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "De Smederijen <noreply@desmederijen.nl>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's own address, for links in mails (no request is at hand when a mail is sent).
SMEDERIJEN_SITE_URL = os.environ.get(
    "SMEDERIJEN_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "https://www.desmederijen.nl"
)
# Where messages from the contact form go.
CONTACT_EMAIL = os.environ.get("SMEDERIJEN_CONTACT_EMAIL", "info@desmederijen.nl")

# Security: strict by default, relaxed only where development needs plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads the token: forms carry it
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
# The load balancer asks /health/ over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies in front of the portal (addresses or networks): only from them is X-Forwarded-For
# believed, to find the visitor's own address for rate limits and sign-in lock-outs
# (smederijen/clientip.py). gunicorn.conf.py gives gunicorn the same list (forwarded_allow_ips).
SMEDERIJEN_TRUSTED_PROXIES = env_list("SMEDERIJEN_TRUSTED_PROXIES", "127.0.0.1,::1")
for _proxy in SMEDERIJEN_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        stop(f"SMEDERIJEN_TRUSTED_PROXIES: {_proxy!r} is no address or network.")

# Content-Security-Policy (django-csp): only the portal's own files, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# `make bench` serves a bare Django view beside the portal as the ceiling to measure against.
SMEDERIJEN_BENCHMARK = env_bool("SMEDERIJEN_BENCHMARK", False)

# The ideeformulier.
# Weeks within which the wijkteam decides on a new idea (told to the submitter).
SMEDERIJEN_DECISION_WEEKS = int(os.environ.get("SMEDERIJEN_DECISION_WEEKS", "6"))
SMEDERIJEN_MAX_ATTACHMENTS = 5
# Receipts and photos of the result with a verantwoording.
SMEDERIJEN_MAX_ACCOUNTING_FILES = 10
SMEDERIJEN_MAX_UPLOAD_MB = 10
# Photos with more pixels than this are refused before they are decoded: decoding costs time in
# proportion to the pixels, not the file's size (a 190 KB PNG of 7000 x 7000 took seconds). A
# phone photo is 12 MP (phones with 48, 50 or 200 MP sensors save 12 MP unless set to "full
# resolution"), a camera 24 to 33 MP, an A4 page scanned at 600 dpi 35 MP; full-resolution
# phone shots (48 MP and up) are refused with a request to make them smaller.
SMEDERIJEN_MAX_IMAGE_PIXELS = 40_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nlds",)
CRISPY_TEMPLATE_PACK = "nlds"

# Logs go to stdout: plain lines in development, one JSON object a line in production.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "smederijen.logs.JSONFormatter"},
    },
    # No log line carries an e-mail address (smederijen/logs.py).
    "filters": {"mask_email_addresses": {"()": "smederijen.logs.MaskEmailAddresses"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["mask_email_addresses"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # pikepdf (ideas/uploads.py) says at INFO that it started, in every process and command.
    "loggers": {"pikepdf": {"level": "WARNING"}},
}
