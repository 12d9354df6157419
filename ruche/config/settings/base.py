"""Settings shared by every situation. Everything a deployment changes comes from the environment.

See docs/deployment.md for the list of variables.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from ruche.config.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key_from_env_or_file,
)

BASE_DIR = Path(__file__).resolve().parents[3]
# var/ (SQLite database, secret key, collected static files) sits beside the checkout; an
# installed package (no pyproject.toml above it) uses ./var unless RUCHE_VAR_DIR says where.
_default_var = BASE_DIR / "var" if (BASE_DIR / "pyproject.toml").exists() else Path.cwd() / "var"
# An empty RUCHE_VAR_DIR (a variable set to nothing) means the default, not the current folder.
VAR_DIR = Path(env_str("RUCHE_VAR_DIR") or _default_var)

SECRET_KEY = secret_key_from_env_or_file(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "channels",
    "dsfr",
    "widget_tweaks",  # django-dsfr's checkbox and radio templates load it
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "mozilla_django_oidc",
    "django_tasks",
    "django_tasks_db",
    "ruche.core",
    "ruche.accounts",
    "ruche.processes",
    "ruche.consultations",
    "ruche.workshops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ruche.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ruche.accounts.middleware.ParticipantMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ruche.config.urls"
ASGI_APPLICATION = "ruche.config.asgi.application"
WSGI_APPLICATION = "ruche.config.wsgi.application"

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
                "ruche.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------------
# SQLite by default (a file under var/), PostgreSQL when DATABASE_URL says so.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ruche.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE transactions take the write lock up
    # front, so concurrent writers wait (up to the timeout) instead of failing with
    # "database is locked" when a read transaction tries to upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI every request runs its sync code in a thread of its own, so CONN_MAX_AGE
    # cannot keep a connection: without a pool each request connects (a backend fork and
    # an authentication, ~8 ms of PostgreSQL CPU) and past max_connections requests fail.
    # Measured by `make bench-votes`: 26 → 100 votes/s sustained with the pool.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 16),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, cache and task queue when REDIS_URL is set ------------------------
REDIS_URL = env_str("REDIS_URL", "")

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("REDIS_PREFIX", "ruche")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("REDIS_PREFIX", "ruche"),
            # Django builds a cache object per request context, each with its own pool
            # (a new connection per request): share one pool per process.
            "OPTIONS": {"pool_class": "ruche.core.cache.SharedConnectionPool"},
        }
    }
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    INSTALLED_APPS.append("django_rq")
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ruche_cache",
        }
    }
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }

# --- Accounts and authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Login throttling (django-axes): lock an (email, IP) pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Invitations: signed links valid for this many days.
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 14)
# Participants without an account: a signed cookie carrying their pseudonymous identity.
PARTICIPANT_COOKIE_NAME = "ruche_participant"
PARTICIPANT_COOKIE_MAX_AGE = 60 * 60 * 24 * 365

# --- ProConnect (OpenID Connect), enabled when the OIDC_* variables are set ----------------
# Values come from ProConnect's discovery document ({issuer}/.well-known/openid-configuration)
# and the client registered on its partner space. Either set all of the required ones or none.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT")  # end_session_endpoint
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")  # when set, tokens must carry this `iss`
_oidc_required = {
    "OIDC_RP_CLIENT_ID": OIDC_RP_CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
    "OIDC_OP_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
    "OIDC_OP_USER_ENDPOINT": OIDC_OP_USER_ENDPOINT,
    "OIDC_OP_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
}
OIDC_ENABLED = all(_oidc_required.values())
if any(_oidc_required.values()) and not OIDC_ENABLED:
    from django.core.exceptions import ImproperlyConfigured

    _oidc_missing = ", ".join(name for name, value in _oidc_required.items() if not value)
    raise ImproperlyConfigured(f"ProConnect is only partly configured: also set {_oidc_missing}")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email given_name usual_name uid siret")
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": env_str("OIDC_ACR_VALUES", "eidas1")}
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # needed for ProConnect's logout (id_token_hint)
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", True)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)  # seconds per call to the provider
OIDC_CALLBACK_CLASS = "ruche.accounts.oidc.ProConnectCallbackView"  # failures → LOGIN_URL
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("ruche.accounts.oidc.ProConnectBackend")
    OIDC_OP_LOGOUT_URL_METHOD = "ruche.accounts.oidc.proconnect_logout_url"

# --- Internationalisation: French first, English available --------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ruche" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "ruche.core.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- Email -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ruche <ne-pas-repondre@ruche.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers shared by every situation ---------------------------------------------
# django-dsfr's scripts carry the request's nonce; nothing else runs inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if OIDC_ENABLED:
    # Sign-in and sign-out are forms whose answer redirects to ProConnect: CSP's form-action
    # covers those redirects too, so ProConnect's origins must be allowed.
    from urllib.parse import urlsplit

    for _endpoint in (OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_LOGOUT_ENDPOINT):
        if _endpoint:
            _origin = "{0.scheme}://{0.netloc}".format(urlsplit(_endpoint))
            CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_origin)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# django-dsfr marks component content safe unless told otherwise: user text (a pseudonym in
# a message…) must stay escaped.
DSFR_CONTENT_IS_SAFE = False
DSFR_MARK_OPTIONAL_FIELDS = True

# Name shown in the DSFR header when the page has no organisation of its own.
RUCHE_SITE_NAME = env_str("RUCHE_SITE_NAME", "Ruche")
# Optional tagline under the name; empty means the translated default.
RUCHE_SITE_TAGLINE = env_str("RUCHE_SITE_TAGLINE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Consultations: seconds between two analyses of the same consultation while votes arrive,
# and how many votes one participant may send per window (beyond: 429).
RUCHE_ANALYSIS_THROTTLE_SECONDS = env_int("RUCHE_ANALYSIS_THROTTLE_SECONDS", 5)
RUCHE_VOTE_RATE_LIMIT = env_int("RUCHE_VOTE_RATE_LIMIT", 30)
RUCHE_VOTE_RATE_WINDOW = env_int("RUCHE_VOTE_RATE_WINDOW", 10)
# New participant identities per client address and minute (a whole administration may
# share one address, a 1,000-phone workshop room one wifi: keep it generous), and
# proposals or answers per participant.
RUCHE_NEW_PARTICIPANTS_PER_MINUTE = env_int("RUCHE_NEW_PARTICIPANTS_PER_MINUTE", 1200)
RUCHE_WRITE_RATE_LIMIT = env_int("RUCHE_WRITE_RATE_LIMIT", 20)
RUCHE_WRITE_RATE_WINDOW = env_int("RUCHE_WRITE_RATE_WINDOW", 600)
RUCHE_ACCESS_LINK_MAX_AGE_HOURS = env_int("RUCHE_ACCESS_LINK_MAX_AGE_HOURS", 48)

# Workshops: messages per second one socket may send on average, and its burst (beyond:
# a "rate_limited" error event), and seconds between two presence-count updates.
RUCHE_WORKSHOP_MESSAGES_PER_SECOND = env_int("RUCHE_WORKSHOP_MESSAGES_PER_SECOND", 5)
RUCHE_WORKSHOP_MESSAGE_BURST = env_int("RUCHE_WORKSHOP_MESSAGE_BURST", 10)
RUCHE_PRESENCE_INTERVAL = env_int("RUCHE_PRESENCE_INTERVAL", 2)
