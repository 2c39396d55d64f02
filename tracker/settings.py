"""Settings for the treaty ratification tracker.

Everything that differs between a laptop and a server comes from the environment (see
`.env.example` for every variable). The defaults serve a laptop: SQLite under `var/`, an
embedded Celery broker (kombu's filesystem transport: one file per message, so no Redis is
needed) and e-mail printed on the console. `ENVIRONMENT=production` makes the secrets
mandatory. Reading this file writes nothing: the folders and the development key it names are
made at start-up (tracker/embedded.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from tracker import embedded, env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env.read_env_file(BASE_DIR / ".env")

ENVIRONMENT = env.choice("ENVIRONMENT", "development", ("development", "production"))
PRODUCTION = ENVIRONMENT == "production"

# Signs sessions and e-mailed links: mandatory in production. On a laptop without SECRET_KEY, a
# random key kept in var/secret_key, so sessions survive restarts and every process agrees.
DEVELOPMENT_SECRET_KEY_FILE = None if PRODUCTION or env.string("SECRET_KEY", "") else VAR_DIR / "secret_key"
SECRET_KEY = (
    env.string("SECRET_KEY", required=True)
    if DEVELOPMENT_SECRET_KEY_FILE is None
    else embedded.development_secret_key(DEVELOPMENT_SECRET_KEY_FILE)
)
DEBUG = env.boolean("DEBUG", False)
# Where `make run` serves (gunicorn's bind, unless BIND says otherwise); the defaults of
# ALLOWED_HOSTS and SITE_URL follow, so `PORT=9000 make run` needs nothing else.
HOST = env.host("HOST", "127.0.0.1")
PORT = env.port("PORT", 8000)
ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS", env.served_host_names(HOST))

# The public address of this service, used in e-mails and feeds where there is no request.
SITE_URL = env.url("SITE_URL", env.local_url(HOST, PORT), schemes=("http", "https"))
# Where the UN Treaty Collection lives; tests point it at a local server. Only URLs under it
# are ever fetched (staff choose treaties, not URLs).
# No user:password@: the fetcher refuses one, so every poll would fail; refused here instead.
UNTC_BASE_URL = env.url("UNTC_BASE_URL", "https://treaties.un.org", schemes=("http", "https"), credentials=False)
DEFAULT_TREATY = env.string("DEFAULT_TREATY", "XVIII-16")

# Polling the UNTC status files. The interval is the default for new treaties; staff can
# change each treaty's schedule in the admin (django-celery-beat).
POLL_INTERVAL_HOURS = env.integer("POLL_INTERVAL_HOURS", 6, minimum=1)
# Each scheduled poll waits a random 0..POLL_JITTER_SECONDS, so a fleet of trackers does not
# hit the UN at the same second. Kept under the broker's visibility timeout (below).
POLL_JITTER_SECONDS = env.integer("POLL_JITTER_SECONDS", 600, minimum=0)
# Staff are alerted after this many failed reads in a row (then once more on recovery).
POLL_FAILURE_ALERT_AFTER = env.integer("POLL_FAILURE_ALERT_AFTER", 3, minimum=1)
# The longest one fetch attempt may take (up to 3 attempts, with waits between them).
POLL_FETCH_TIMEOUT = env.integer("POLL_FETCH_TIMEOUT", 30, minimum=1)
# Waits between fetch attempts after a 5xx or 429 without Retry-After: 2 s, then 4 s.
POLL_FETCH_BACKOFF = 2.0
# A poll still "running" after this long was abandoned by a dead worker; its lock is freed.
POLL_STALE_AFTER = timedelta(minutes=15)

INSTALLED_APPS = [
    "ratification.admin_site.TrackerAdminConfig",  # django.contrib.admin, our sections first
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "ratification",
    # E-mail alerts; see README, "Delivery guarantees".
    "alerts",
    # Staff login: brute-force protection (settings under "Staff login" below).
    "axes",
]

MIDDLEWARE = [
    # gzip (tracker/compression.py): first, so it sees each answer as it leaves; not for pages
    # that carry a CSRF token (BREACH).
    "tracker.compression.CompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (settings under "Security" below).
    "csp.middleware.CSPMiddleware",
    # Above the response cache, so an answer served from it (/oembed/) gets its CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers cached public pages before the rest runs (ratification/cache.py); keep it right here.
    "ratification.cache.ResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, with ?lang= first (tracker/language.py).
    "tracker.language.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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
            ],
        },
    },
]

# In production the database must be named: a forgotten DATABASE_URL must not quietly
# start an empty SQLite database inside the container.
DATABASES = {
    "default": env.database("DATABASE_URL", None if PRODUCTION else f"sqlite:///{VAR_DIR / 'tracker.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; the timeout waits out a writer
    # instead of failing with "database is locked". IMMEDIATE transactions take the write lock
    # when they begin: a transaction that read first and wrote later would otherwise fail at
    # once (not wait) whenever another process committed in between, as concurrent sign-ups did.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.integer("DATABASE_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Staff give reasons of up to 1,000 characters (ratification/admin/base.py ReasonField) and the
# history keeps them as its change reason: a text column, not django-simple-history's default
# 100 characters, which PostgreSQL enforces (a longer reason failed the save there).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# A cache every process shares (web, worker and beat): the stored responses of
# ratification/cache.py, the API throttle's and the sign-up limits' counters.
CACHES = {"default": env.cache("CACHE_URL", f"filecache://{VAR_DIR / 'cache'}")}
# Seconds a process reuses the version of the public data before reading it again: a change
# shows on cached pages within this delay, and a cached answer under load costs no query.
DATA_VERSION_MAX_AGE = 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("cs", _("Czech"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice is kept for a year: Django's default cookie ends with the browser session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"  # made at start-up: whitenoise warns on every start without it
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve static files straight from the source folders: no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION

# E-mail: printed on the console unless EMAIL_URL names an SMTP server.
# EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, ... as EMAIL_URL spells them.
globals().update(env.email("EMAIL_URL", "consolemail://"))
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Treaty Tracker <tracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets operational alerts (source failing, deliveries failing): comma-separated addresses.
STAFF_ALERT_EMAILS = env.string_list("STAFF_ALERT_EMAILS", [])

# Celery. The embedded default needs no server: kombu's filesystem transport, one file per
# message in var/celery-broker/ (`filesystem:///some/dir` picks another folder). Its folders are
# transport options (below), so its URL is only "filesystem://localhost/" ("localhost" keeps
# kombu from warning at each start).
_broker_url = env.url(
    "CELERY_BROKER_URL",
    f"filesystem://{VAR_DIR / 'celery-broker'}",
    schemes=("filesystem", "redis", "rediss", "amqp", "memory"),
)
_broker_folder = env.filesystem_broker_folder(_broker_url)
CELERY_BROKER_URL = "filesystem://localhost/" if _broker_folder else _broker_url
CELERY_RESULT_BACKEND = env.string(
    "CELERY_RESULT_BACKEND",
    f"file://{_broker_folder.parent / (_broker_folder.name + '-results')}" if _broker_folder else _broker_url,
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
_broker_control = _broker_folder.parent / (_broker_folder.name + "-control") if _broker_folder else None
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis re-delivers a task whose worker has not acknowledged it within visibility_timeout;
    # it must exceed every task's time limit and countdown, or a long task runs twice
    # (pretix issue #2058). tests/test_settings.py holds this.
    "visibility_timeout": 60 * 60,
    **(
        {
            "data_folder_in": str(_broker_folder),
            "data_folder_out": str(_broker_folder),
            "control_folder": str(_broker_control),
            "store_processed": False,
        }
        if _broker_folder
        else {}
    ),
}
CELERY_BEAT_SCHEDULER = "ratification.schedule:PhasedScheduler"  # django-celery-beat's, polls phased
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# What tasks print stays printed: the console e-mail backend's messages (EMAIL_URL's default)
# came out as "WARNING celery.redirected" lines, one per line of each e-mail.
CELERY_WORKER_REDIRECT_STDOUTS = False

# What tracker/embedded.py makes at start-up for the embedded defaults.
EMBEDDED_FOLDERS = [
    VAR_DIR,
    STATIC_ROOT,
    *([_broker_folder, _broker_control] if _broker_folder else []),
    *([Path(urlsplit(CELERY_RESULT_BACKEND).path)] if CELERY_RESULT_BACKEND.startswith("file://") else []),
]

# Trusted reverse proxies in front of the web server, for every per-client limit (API
# throttle, sign-up limits, admin lockout): 0 means REMOTE_ADDR is the client; N means the N-th
# X-Forwarded-For entry from the right is (anything further left is the client's to invent).
NUM_PROXIES = env.integer("NUM_PROXIES", 0, minimum=0)

# Anonymous API reads are answered from a response stored under the data's version
# (ratification/cache.py); false builds every response (the benchmark's "built" rows).
API_STORE_RESPONSES = env.boolean("API_STORE_RESPONSES", True)

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # The public API (ratification/api/, documented at /api/docs/) is read-only JSON; staff
    # reach the staff-only endpoints with their admin session.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["ratification.api.throttles.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.rate("API_ANON_RATE", "120/min")},
    # The same trusted-proxy count as the sign-up limits and the admin lockout (NUM_PROXIES).
    "NUM_PROXIES": NUM_PROXIES,
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Treaty ratification tracker API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ratification.api.schema.document_conventions",
    ],
    # Actions and events both have a "kind": name the two sets of choices apart.
    "ENUM_NAME_OVERRIDES": {"ActionKindEnum": "ratification.models.ActionKind"},
}
# Anyone may read the API and the oEmbed answers from a browser on another site (a content
# system's editor asks /oembed/ from the page being edited); nothing else is shared.
CORS_URLS_REGEX = r"^/(?:api|oembed)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "origin", "user-agent"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

LOG_LEVEL = env.choice("LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper()
# json: one JSON object per line (for log collectors); text: for people. Default by environment.
LOG_FORMAT = env.choice("LOG_FORMAT", "json" if PRODUCTION else "text", ("json", "text"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Apprise's and urllib3's debug lines spell out channel URLs, tokens and all; their info
        # and warnings mask them (alerts/services/chat.py keeps its own logs masked too).
        "apprise": {"level": "INFO"},
        "urllib3": {"level": "INFO"},
    },
}

# ---- Security -------------------------------------------------------------------------
# Headers on every response; the HTTPS-only ones in production, where a TLS-terminating
# proxy sits in front (it must set X-Forwarded-Proto).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
    # /healthz is asked over plain HTTP by the container's own health check.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Only a submission to hstspreload.org (of the apex domain) preloads; the directive alone
    # commits to nothing. SECURE_HSTS_PRELOAD=false leaves it out.
    SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy: everything from this origin, nothing inline, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# E-mail alerts (the alerts app). See README, "Delivery guarantees".
# Seconds an SMTP conversation may stall before the send counts as a transient failure.
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 30, minimum=1)
ALERTS_CONFIRM_MAX_AGE = 7 * 24 * 60 * 60  # the confirmation link expires after 7 days
ALERTS_UNCONFIRMED_DAYS = 30  # sign-ups never confirmed are forgotten after this many days
ALERTS_SIGNUPS_PER_IP = (5, 10 * 60)  # sign-ups per client IP per window (seconds)
ALERTS_MAILS_PER_ADDRESS = (3, 24 * 60 * 60)  # sign-up e-mails per address per window
ALERTS_CHUNK_SIZE = 500  # recipients per chunk task (one SMTP connection each)
# A chunk of 500 takes about a second against a local relay (bench/bench_alerts.py); it stops
# itself a minute before its hard limit and releases what it has not sent.
ALERTS_CHUNK_TIME_LIMIT = 2 * 60  # hard limit of a chunk task, seconds
# A row `sending` this long belongs to a dead worker (> the chunk limit). With the sweeper every
# minute, a killed worker's recipients are sent again within 3.5 minutes (docs/reliability.md,
# fault drills: within 5).
ALERTS_SENDING_LEASE = 150
ALERTS_MAX_ATTEMPTS = 8  # SMTP attempts per delivery before it fails (and staff are told)
ALERTS_RETRY_BASE_DELAY = 60  # seconds before the 2nd attempt; doubles each time, with jitter
ALERTS_RETRY_MAX_DELAY = 15 * 60  # longest wait between attempts (a countdown: < visibility_timeout)
ALERTS_REQUEUE_AFTER = 15 * 60  # a pending delivery overdue this long lost its task: publish again
ALERTS_SWEEP_INTERVAL = 60  # seconds between sweeper runs (celery beat)
ALERTS_SWEEP_LIMIT = 50_000  # deliveries one sweep may publish again
# Webhooks and chat channels (alerts/services/webhooks.py, chat.py): the same outbox, attempts
# and backoff as e-mail. See README, "Webhooks and chat channels".
# true: webhook URLs may be http:// and resolve to private or loopback addresses (tests, a
# private network); otherwise https:// to public addresses only (the fetcher's guard).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.boolean("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
WEBHOOK_CONNECT_TIMEOUT = 5  # seconds to connect to a receiver
WEBHOOK_TIMEOUT = env.integer("WEBHOOK_TIMEOUT", 10, minimum=1)  # seconds a receiver may take to answer
WEBHOOK_USER_AGENT = "untc-ratification-tracker-webhooks/1.0"
# Failed attempts in a row (each retry counts) after which a webhook or chat channel is
# disabled and staff are told: two deliveries' worth of retries.
CHANNEL_DISABLE_AFTER_FAILURES = env.integer("CHANNEL_DISABLE_AFTER_FAILURES", 2 * ALERTS_MAX_ATTEMPTS, minimum=1)

# Shared secret of the bounce/complaint webhook (/alerts/webhooks/bounces/); empty disables it.
ALERTS_WEBHOOK_SECRET = env.string("ALERTS_WEBHOOK_SECRET", "")

# Staff login: brute-force protection (django-axes). Five failed logins for one username from
# one address lock that pair out for an hour; a success resets the count. Behind reverse
# proxies the address is read as tracker/client_ip.py explains (NUM_PROXIES, above).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The hour counts from the fifth failure: attempts while locked out do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "tracker.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Not "AXES: BEGIN ..." at the start of every command and process; failures and lockouts are
# still logged, naming what the lockout counts (username and address).
AXES_VERBOSE = False
