"""Settings for AKM Reja: one module, every deployment difference read from the environment."""

import datetime
import os
import sys
import tempfile
from pathlib import Path

import environ
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (copied from .env.example by `make run`) is read when present; real
# deployments set the environment instead.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
# Full origins (https://reja.example.uz) that may post forms besides the site's own host.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Production is reached over HTTPS, usually through a proxy (nginx) that terminates TLS.
# HTTPS=0 is for a trial of `make serve` over plain HTTP on loopback.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Only allows browsers' preload lists to take the site; being listed needs a manual submission.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a proxy, the proxy says whether the client used HTTPS (X-Forwarded-Proto) and who
# the client is (X-Forwarded-For). Trusted only when BEHIND_PROXY is set, because without a
# proxy in front anyone could send those headers.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies append to X-Forwarded-For in front of the app (nginx alone: 1; a load
# balancer in front of nginx: 2). The client is that many entries from the right.
PROXY_COUNT = env.int("PROXY_COUNT", default=1)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    # django-axes, named for people in the admin's index (services.apps).
    "services.apps.AxesConfig",
    "common",
    "services",
    "plans",
    "reports",
    "notices",
    "evidence",
    "region",
    # The project itself (backup, restore) and the demo, above every app they use.
    "akm_plan",
    "demo",
    # The task queue (README, "Notices"): its worker delivers notices and runs the reminders.
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for browsers that accept it (all do): a dashboard's 75 KB become 7 KB on a
    # district centre's slow line. After WhiteNoise, which serves static files compressed itself;
    # Django pads compressed pages at random against BREACH, and CSRF tokens are masked anyway.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "akm_plan.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "akm_plan.middleware.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    # A database that cannot be reached (restarting) answers 503 with a page saying so.
    "akm_plan.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "akm_plan.urls"

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
                "akm_plan.navigation.main_menu",
                "notices.context.bell",
            ],
            # The plan's text in the reader's script, in every template: {{ item.title|script }}.
            "builtins": ["plans.templatetags.script"],
        },
    },
]

WSGI_APPLICATION = "akm_plan.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    # Write-ahead logging: pages go on being read while a month is saved, and a commit syncs one
    # file instead of a journal and the database (as durable; backups use SQLite's backup API).
    sqlite_options.setdefault("init_command", "PRAGMA journal_mode=WAL;")
    # SQLite has no row locks: every transaction takes the write lock when it begins, so two
    # writes on one plan or report run one after the other (as PostgreSQL's row locks make them),
    # and a second writer waits for the first instead of failing with "database is locked".
    sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
    sqlite_options.setdefault("timeout", 20)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Sessions stay in the database (Django's default), so any application server can serve
# any request and servers can be added or restarted freely.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "services.accounts.AccountBackend",
]
# Failed logins, counted per username and address together, so an attacker cannot lock a
# colleague out from elsewhere; attempts are stored in the database and so shared by every
# application server.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "akm_plan.middleware.client_ip_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Uzbek (Latin) first; Django's "uz" locale is Uzbek in Latin script. Uzbek Cyrillic is "uz-cyrl"
# (locale folder uz_Cyrl), made from the Latin by common.cyrillic (README, "Uzbek Cyrillic").
LANGUAGE_CODE = "uz"
LANGUAGES = [
    ("uz", "Oʻzbekcha"),
    ("uz-cyrl", "Ўзбекча"),
    ("ru", "Русский"),
    ("en", "English"),
]
# locale/ holds our own strings (make messages); locale_django/ completes the Uzbek
# of Django's admin, which Django itself ships less than half translated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
# Django knows no Uzbek Cyrillic: its name in the language switch, and its dates ("2024 йил").
LANG_INFO["uz-cyrl"] = {"bidi": False, "code": "uz-cyrl", "name": "Uzbek (Cyrillic)", "name_local": "ўзбекча"}
FORMAT_MODULE_PATH = ["akm_plan.formats"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Tashkent")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Production serves compressed files under content-hashed names (cached for ever by browsers),
# which exist only after `collectstatic`. DEBUG runs and test runs have not collected, so they
# use plain names: pytest-django turns DEBUG off after reading this module, hence the check
# for pytest itself. STATIC_MANIFEST overrides the choice either way.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG and "pytest" not in sys.modules)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Evidence files (README, "Evidence files"): stored through Django's storage API under the
# alias "evidence", never served from a public URL (evidence.views checks who asks). A folder
# under MEDIA_ROOT by default; any S3-compatible store when EVIDENCE_S3_BUCKET is set, so that
# application servers keep no files of their own.
MEDIA_ROOT = Path(
    env.str(
        "MEDIA_ROOT",
        # A test run keeps its files in a folder of its own (removed at its end: tests/conftest.py).
        default=str(Path(tempfile.gettempdir()) / f"akm-reja-test-media-{os.getpid()}")
        if "pytest" in sys.modules
        else str(BASE_DIR / "media"),
    )
)
EVIDENCE_S3_BUCKET = env.str("EVIDENCE_S3_BUCKET", default="")
if EVIDENCE_S3_BUCKET:
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": env.str("EVIDENCE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("EVIDENCE_S3_REGION", default="") or None,
            "access_key": env.str("EVIDENCE_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("EVIDENCE_S3_SECRET_KEY", default="") or None,
            "location": env.str("EVIDENCE_S3_PREFIX", default="evidence"),
            # Private objects; the application reads them and serves them itself.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "evidence", "base_url": None},
    }
# At most this many bytes a file, this many files a figure (an indicator's month of one service),
# and this many pixels an image (more is refused as a decompression bomb).
EVIDENCE_MAX_FILE_BYTES = env.int("EVIDENCE_MAX_FILE_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=20)
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=60_000_000)

# Without collected files WhiteNoise serves straight from the source folders, looked up per
# request; production scans STATIC_ROOT once at start.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST

# The date the plan's rules take as today (YYYY-MM-DD); unset means the real date. The demo
# sets it inside 2024 so that the 2024 plan is the current one.
AKM_TODAY = datetime.date.fromisoformat(env.str("AKM_TODAY")) if env.str("AKM_TODAY", default="") else None

# The password demo accounts get from `manage.py load_demo`.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="reja2024")
# Whether accounts of the demo group may log in; never in production unless asked for.
DEMO_ACCOUNTS_ALLOWED = env.bool("DEMO_ACCOUNTS_ALLOWED", default=DEBUG)

# Where `manage.py backup` writes when no file is named.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")

# Notices (README, "Notices"): written with the event, delivered after commit by the worker of
# a task queue (huey): SQLite in a file for one machine and the demo, Redis in production (one
# queue shared by every application server). The worker's scheduler runs the reminders.
HUEY_URL = env.str("HUEY_URL", default="")
if not HUEY_URL:
    # A test run gets a queue of its own, so a `make run` in the same folder never shares it.
    HUEY_URL = (
        f"sqlite:///{Path(tempfile.gettempdir()) / f'akm-reja-test-queue-{os.getpid()}.sqlite3'}"
        if "pytest" in sys.modules
        else f"sqlite:///{BASE_DIR / 'queue.sqlite3'}"
    )
HUEY = {
    "name": "akm-reja",
    # Never the queue's immediate mode (djhuey's default when DEBUG is on): tasks always go
    # through the queue to the worker, as in production.
    "immediate": False,
    "results": False,
    "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
}
if HUEY_URL.startswith(("redis://", "rediss://", "unix://")):
    HUEY.update(huey_class="huey.RedisHuey", url=HUEY_URL)
elif HUEY_URL.startswith("sqlite:///"):
    HUEY.update(huey_class="huey.SqliteHuey", filename=HUEY_URL.removeprefix("sqlite:///"))
else:
    raise ImproperlyConfigured("HUEY_URL must be sqlite:///PATH or redis://HOST:PORT/DB.")

# Where links in e-mails and Telegram messages point: the site as its users reach it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# E-mail: Django's SMTP backend, on when EMAIL_HOST is set (otherwise notices stay in the app
# and Telegram). EMAIL_BACKEND may name another backend (tests use the SMTP one on loopback).
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AKM Reja <reja@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[AKM Reja] "

# Telegram: a bot (made with @BotFather) whose token turns the channel on; the Bot API's base URL
# is a setting so that a local Bot API server (or a test's) can stand in for Telegram's.
TELEGRAM_BOT_TOKEN = env.str("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_BOT_USERNAME = env.str("TELEGRAM_BOT_USERNAME", default="")
TELEGRAM_API_URL = env.str("TELEGRAM_API_URL", default="https://api.telegram.org").rstrip("/")
TELEGRAM_TIMEOUT = env.int("TELEGRAM_TIMEOUT", default=15)
# Minutes a linking code (`/start CODE`) stays valid.
TELEGRAM_CODE_MINUTES = env.int("TELEGRAM_CODE_MINUTES", default=30)

# Delivery: tries per notice and channel, the first retry's delay in seconds (doubling each time:
# 1, 2, 4, 8 minutes by default), and how long a delivery may stay claimed by a worker before it
# is taken as interrupted.
NOTICE_DELIVERY_TRIES = env.int("NOTICE_DELIVERY_TRIES", default=5)
NOTICE_RETRY_SECONDS = env.float("NOTICE_RETRY_SECONDS", default=60)
NOTICE_CLAIM_MINUTES = env.int("NOTICE_CLAIM_MINUTES", default=15)
# Where the reminders come from: each names a function (on: date) -> list of notices to write.
# Apps above notices (reports) add theirs here rather than being imported by it.
NOTICE_REMINDERS = [
    "notices.reminders.lock_day_coming",
    "notices.reminders.month_closed_incomplete",
    "reports.reminders.report_due",
    "notices.digest.weekly_digest",
]

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Unset, django-import-export lets every admin user import and export every model. Importing
# needs the model's change permission and exporting its view permission; on top of these the
# admin asks services.access (only administrators import; exports hold the person's centres).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # The queue's worker (`manage.py run_huey`) logs through a handler of its own.
    "loggers": {"huey": {"propagate": False}},
}
