"""Settings, all read from the environment.

Two modes, chosen by ENTRAIDE_MODE:

- ``development`` (the default, what ``make run`` uses): SQLite under ``var/``, the in-memory
  channel layer, mail to the console, a data key generated once into ``var/``.
- ``production``: refuses to start with DEBUG, the in-memory channel layer (no REDIS_URL), a
  missing or default SECRET_KEY, or missing ENTRAIDE_DATA_KEYS; ``check --deploy`` is clean.

Variables: DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, ENTRAIDE_DATA_KEYS, EMAIL_URL,
ENTRAIDE_MODE, ENTRAIDE_VAR_DIR, ENTRAIDE_DEBUG, TIME_ZONE, DEFAULT_FROM_EMAIL, SECURE_SSL_REDIRECT,
ENTRAIDE_ACCESSIBILITY_CONTACT.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()

ENTRAIDE_MODE = env.str("ENTRAIDE_MODE", default="development")
if ENTRAIDE_MODE not in ("development", "production"):
    raise ImproperlyConfigured("ENTRAIDE_MODE must be 'development' or 'production'.")
PRODUCTION = ENTRAIDE_MODE == "production"

VAR_DIR = Path(env.str("ENTRAIDE_VAR_DIR", default=str(Path.cwd() / "var"))).resolve()

# Off unless a developer asks for Django's debug pages explicitly (ENTRAIDE_DEBUG=1; DEBUG=1 is
# still read for older scripts): `make run` serves the project's own 404 and 500 pages, and an
# unknown address never shows the list of URL patterns.
DEBUG = env.bool("ENTRAIDE_DEBUG", default=env.bool("DEBUG", default=False))

DEVELOPMENT_SECRET_KEY = "django-insecure-entraide-development-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)

# --- Storage -------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'entraide.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several writers at once (uvicorn threads, cron commands): WAL lets readers go on while one
    # writes, IMMEDIATE takes the write lock at BEGIN so two transactions never deadlock on an
    # upgrade from read to write, and busy_timeout makes a writer wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # One connection per thread for the life of the process: opening one runs the PRAGMAs, and
    # closing the last one checkpoints the WAL (a sixth of the server's time under load when
    # each websocket call closed its connection; bench/fanout.py with py-spy).
    DATABASES["default"]["CONN_MAX_AGE"] = None
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A pool per process (psycopg_pool): a connection is borrowed for each request or websocket
    # call and handed back, instead of a PostgreSQL backend started for each. Each borrowed
    # connection is checked first, so that after a PostgreSQL restart the dead ones are dropped
    # and the workers recover on their own (tests/scale/test_faults.py).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # with a pool: check on borrowing
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=12),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis publish/subscribe (channels_redis.pubsub) by default: one PUBLISH per group and
    # subscriptions that resume on their own after a Redis restart; the list-based layer
    # ("lists") is kept for comparison. Measured in bench/fanout.py; see README, Performance.
    CHANNEL_LAYER_KIND = env.str("ENTRAIDE_CHANNEL_LAYER", default="pubsub")
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": {
                "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "lists": "channels_redis.core.RedisChannelLayer",
            }[CHANNEL_LAYER_KIND],
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "entraide"},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "entraide",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "entraide.realtime.layers.ThrottledInMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sensitive text (what people write in sessions) is encrypted with these keys, never with
# SECRET_KEY. Comma-separated Fernet keys, the first one encrypts, all of them decrypt;
# `entraide rotate_data_keys` re-encrypts everything with the first.
ENTRAIDE_DATA_KEYS = env.list("ENTRAIDE_DATA_KEYS", default=[])
ENTRAIDE_DATA_KEY_FILE = VAR_DIR / "data-keys"

# --- Mail ----------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Entraide <noreply@entraide.invalid>")
# The address in links of emails sent by commands (reminders); views use the request's own.
ENTRAIDE_SITE_URL = env.str("ENTRAIDE_SITE_URL", default="http://127.0.0.1:8000")
# Where people write about an accessibility problem (the accessibility statement's contact):
# an e-mail address; empty, the statement sends them to their network's coordination.
ENTRAIDE_ACCESSIBILITY_CONTACT = env.str("ENTRAIDE_ACCESSIBILITY_CONTACT", default="")
# Uploaded files people must not see in the open (grant receipts): encrypted, outside the static
# files, served only through a view that checks access (grants.domain.receipts).
ENTRAIDE_PRIVATE_DIR = Path(env.str("ENTRAIDE_PRIVATE_DIR", default=str(VAR_DIR / "private"))).resolve()
# How long receipts are kept: the accounting rules' period (purge_grant_receipts removes older files).
ENTRAIDE_RECEIPT_RETENTION_YEARS = env.int("ENTRAIDE_RECEIPT_RETENTION_YEARS", default=10)

# Reports for commissioners (issue 14): no figure counted from fewer people than this.
ENTRAIDE_REPORT_K = env.int("ENTRAIDE_REPORT_K", default=5)

# The JSON API (issue 15): requests per personal token per window of seconds (fixed window in
# the cache: Redis with REDIS_URL, shared by every worker); beyond, 429 with Retry-After.
ENTRAIDE_API_RATE_LIMIT = env.int("ENTRAIDE_API_RATE_LIMIT", default=120)
ENTRAIDE_API_RATE_WINDOW = env.int("ENTRAIDE_API_RATE_WINDOW", default=60)

# --- Applications --------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "axes",
    "channels",
    "django_htmx",
    # django-ninja: its templates and static files serve the API docs from the package (no CDN).
    "ninja",
    "rules.apps.AutodiscoverRulesConfig",
    "entraide.core",
    "entraide.protocols",
    "entraide.web",
    "entraide.api",
    "entraide.live",
    "entraide.realtime",
    "entraide.community",
    "entraide.planning",
    "entraide.kit",
    "entraide.events",
    "entraide.themes",
    "entraide.followup",
    "entraide.grouping",
    "entraide.network",
    "entraide.grants",
    "entraide.programmes",
    "entraide.privacy",
    "entraide.mydata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after the static files: it sees every other response (errors and lockouts included).
    "entraide.web.middleware.NoStoreMiddleware",
    "entraide.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "entraide.web.middleware.AdminScopeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "entraide.web.middleware.HtmxMiddleware",
    # Last: it turns the lockout raised by the authentication backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "entraide.urls"
ASGI_APPLICATION = "entraide.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "entraide.web.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # First: it refuses every login door (the site, the admin) once an account or an address is
    # locked out, before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
# A password-reset link is valid for one day (and used once: the token changes with the password).
PASSWORD_RESET_TIMEOUT = 24 * 3600

# Login throttling (django-axes), on every door that checks a password (the site's login and the
# admin's; the API and the websockets take no password). Failures count per account and, apart,
# per address, so neither many addresses against one account nor one address against many
# accounts gets more than AXES_FAILURE_LIMIT tries per cool-off. Failures are kept in the
# database (SQLite or PostgreSQL, shared by every worker). The address is REMOTE_ADDR only:
# behind a balancer uvicorn rewrites it from X-Forwarded-For for the proxies listed in
# FORWARDED_ALLOW_IPS (README, Production), so a forged header from a client counts for nothing.
AXES_ENABLED = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = False
# The login forms' field (the site's and the admin's); axes would default to USERNAME_FIELD
# ("email"), which is not the key the failure signal carries, and then no account was counted.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "entraide.core.auth.login_username"
AXES_CLIENT_IP_CALLABLE = "entraide.core.auth.client_address"
AXES_LOCKOUT_CALLABLE = "entraide.web.views.login_locked_out"
# Axes masks the attempted username in its log lines.
AXES_SENSITIVE_PARAMETERS = ["username", "password"]
# No table of every successful login (who, from where, when): only failures are kept, and only
# for the cool-off (axes removes the older ones as new failures come).
AXES_DISABLE_ACCESS_LOG = True

# --- Languages -----------------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
LANGUAGE_COOKIE_NAME = "entraide_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files --------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
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
# In development whitenoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
# DEBUG is off under `make run` too; whitenoise still serves the static files (and picks up edits).
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Security ------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "entraide.web.errors.csrf_failure"

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG is on")
    if not REDIS_URL:
        problems.append("REDIS_URL is not set (the in-memory channel layer serves one process only)")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY is missing, the development default, or shorter than 50 characters")
    if not ENTRAIDE_DATA_KEYS:
        problems.append("ENTRAIDE_DATA_KEYS is not set")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    if problems:
        raise ImproperlyConfigured(
            "Entraide refuses to start in production mode: " + "; ".join(problems) + "."
        )
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Behind a load balancer or reverse proxy that terminates TLS (see README).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging: never any session content, only events and identifiers ---------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
