"""Settings for newsroom. Every environment variable is read here, once, via newsroom.env."""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.jsonlog import stdout_json_logging
from newsroom import env, settings_storage

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env.choice("DJANGO_ENV", "development", ("development", "production"))
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.text("DJANGO_SECRET_KEY")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs DJANGO_SECRET_KEY: set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not env.text("DJANGO_ALLOWED_HOSTS"):
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs DJANGO_ALLOWED_HOSTS, e.g. 'news.example.com'."
        )
else:
    SECRET_KEY = env.text("DJANGO_SECRET_KEY") or env.development_secret_key(
        BASE_DIR / ".secret_key"
    )

DEBUG = env.boolean("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env.csv("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
SITE_URL = env.text("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.text("SITE_NAME", "The Newsroom")
SITE_LANGUAGE = "en"

# The admin may live somewhere less guessed at than /admin/ (newsroom/urls.py).
ADMIN_URL = env.text("DJANGO_ADMIN_URL", "admin/")
if not re.fullmatch(r"([-A-Za-z0-9_]+/)+", ADMIN_URL):
    raise ImproperlyConfigured(
        "DJANGO_ADMIN_URL must be a path such as 'newsdesk/' (letters, digits, dashes, "
        f"ending with '/', no leading '/'), not {ADMIN_URL!r}."
    )

INSTALLED_APPS = [
    "newsdesk.apps.DeskAdminConfig",  # django.contrib.admin, with the desk as its home
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "reversion",
    "axes",
    "django_tasks",
    # django-tasks' database queue, under a clearer name in the admin (core/apps.py).
    "core.apps.BackgroundJobsConfig",
    "core",
    "articles",
    "comments",
    "search",
    "pages",
    "photos",
    "embeds",
    "live",
    "newsdesk",
    "wordpress",
    "demo",
]

MIDDLEWARE = [
    # First, so that static files served by WhiteNoise get the policy too.
    "core.security.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Uploaded media on this machine, before the page cache and sessions (core/media.py).
    "core.media.MediaFilesMiddleware",
    # Before sessions: a cached page is served without loading one (core/pagecache.py).
    "core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Simple pages and redirects from old addresses, answered only where the routes say 404.
    "pages.middleware.FallbackMiddleware",
    # Last, as django-axes requires: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
    {  # the reader pages' hottest parts: newsroom/templating.py
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "OPTIONS": {
            "environment": "newsroom.templating.environment",
            "context_processors": ["articles.context_processors.site"],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env.text("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'newsroom.sqlite3'}",
        conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several server processes write to one file: WAL lets readers run beside a
    # writer, IMMEDIATE takes the write lock at BEGIN (no deadlocked upgrade from
    # a read lock), and the timeout makes a second writer wait instead of failing.
    # Connections are kept between requests like PostgreSQL's: opening one and
    # running these PRAGMAs costs about 3 ms, half of a page, and an idle
    # connection holds no lock in WAL mode.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# An optional read replica for anonymous readers' pages (core/db_router.py);
# writes, the admin and everything after a change read the primary.
DATABASE_REPLICA_URL = env.text("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # Tests read the replica through the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]
# Prepared statements on PostgreSQL: a query's values are sent apart from its text, and a
# text run five times on a connection (psycopg's threshold) is prepared. PostgreSQL then
# keeps one generic plan of it where the values do not change the plan (the story row, by
# its unique slug) and stops planning it. Planning was a third of the server's time on a
# story page (a millisecond for the story row alone, 0.3 to run it). Off behind a pooler
# in transaction mode that does not track them (PgBouncer before 1.21).
DATABASE_PREPARED_STATEMENTS = env.boolean("DATABASE_PREPARED_STATEMENTS", True)
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: it spends 50-300 ms compiling a plan to save a few on a
        # big query, and a page cache miss (a count of 100,000 stories) would pay it.
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        if DATABASE_PREPARED_STATEMENTS:
            options.update(server_side_binding=True, prepare_threshold=5)

REDIS_URL = env.text("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            # Pages (gzipped: a story with 20 comments, 10 KB) and fragments: 1,000 keep
            # a process under 120 MB (bench/RESULTS.md); a bigger site sets REDIS_URL.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
# With Redis, sessions are read from it (shared by every server) and kept in the
# database too, so a Redis restart logs nobody out. Without it, each process has a
# cache of its own, which would keep a session another process ended: the database.
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if REDIS_URL else 'db'}"
# The comment rate limit counts an address's posts where every server process reads the
# same count: in Redis, or else in the database (comments.models.RateCount), since each
# process's own cache would let an address post the limit once per process.
COMMENT_RATE_COUNTER = "cache" if REDIS_URL else "database"
# Where the stamps of cache tags live (core/stamps.py): in Redis with REDIS_URL; else
# in a file that every process on this machine appends its changes to and reads (a
# second worker, manage.py, an import: none leaves another serving stale pages). One
# file per database: another database's changes would empty this one's page cache.
CACHE_TAG_STAMPS_FILE = None
if not REDIS_URL:
    CACHE_TAG_STAMPS_FILE = env.text("CACHE_TAG_STAMPS_FILE") or (
        f"{DATABASES['default']['NAME']}-stamps"
        if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        else str(BASE_DIR / f".cache-tag-stamps-{DATABASES['default']['NAME']}")
    )

# The page cache (core/pagecache.py): whole pages for anonymous readers, kept
# until what they show changes (core/stamps.py).
PAGE_CACHE_ENABLED = env.boolean("PAGE_CACHE_ENABLED", True)
# Longest life of a stored page (a day); changes end it sooner, exactly.
PAGE_CACHE_TIMEOUT = env.integer("PAGE_CACHE_TIMEOUT", 24 * 60 * 60)
# Pages each process also keeps as objects (the most read; 5-80 KB each): no round
# trip to Redis; without Redis they are in this process's cache, and only unpickled.
PAGE_CACHE_RECENT_PAGES = env.integer("PAGE_CACHE_RECENT_PAGES", 200 if REDIS_URL else 50)
# Seconds of doubt around a change: clock differences between servers and the
# read replica's lag. A page rendered that close to a change is not trusted.
PAGE_CACHE_MARGIN = env.integer("PAGE_CACHE_MARGIN", 1)
# Cache-Control of cached pages. Browsers revalidate every time (a 304 from the
# cache costs no query), a CDN may keep a page this long, and serve it stale this
# much longer while it fetches a fresh one (see README, "Performance and scaling").
PAGE_CACHE_BROWSER_MAX_AGE = env.integer("PAGE_CACHE_BROWSER_MAX_AGE", 0)
PAGE_CACHE_SHARED_MAX_AGE = env.integer("PAGE_CACHE_SHARED_MAX_AGE", 10)
PAGE_CACHE_STALE_WHILE_REVALIDATE = env.integer("PAGE_CACHE_STALE_WHILE_REVALIDATE", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# account from one address, that pair is refused (even with the right password) until
# the cool-off has passed or an editor clears it under "Axes" in the admin
# (or `manage.py axes_reset`). Username *and* address: a newsroom behind one office IP
# is not locked out by one person's typos, and nobody can lock an editor out from afar.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_page"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "core.lockout.attempted_username"
# ...and a ceiling per account, from every address together (core/lockout.py): after
# this many failures within the window, the account refuses addresses it has not
# signed in from lately, while the ones it knows still get in. Guessing from many
# addresses is stopped, and a stranger cannot lock the editor out of their usual place.
AXES_HANDLER = "core.lockout.AccountCeilingHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_ACCOUNT_FAILURE_LIMIT = 30
LOGIN_ACCOUNT_WINDOW = timedelta(hours=1)
LOGIN_KNOWN_ADDRESS_AGE = timedelta(days=90)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.text("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded media: MEDIA_ROOT on this machine (served by core.media, copied by `manage.py
# backup`), or with MEDIA_STORAGE=s3 a bucket several servers and a CDN share
# (newsroom/settings_storage.py; README, "Configuration").
media = settings_storage.from_environment(BASE_DIR)
MEDIA_ROOT, MEDIA_URL, MEDIA_X_SENDFILE = media.root, media.url, media.x_sendfile
STORAGES = {
    "default": media.storage,
    "staticfiles": {"BACKEND": "core.static_files.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TAGGIT_CASE_INSENSITIVE = True

# How many related posts the article page shows; editors' picks come first.
RELATED_POSTS_COUNT = 6

# A search ranks the newest this many matching stories, and offers the next older
# batch (search/query.py): its cost stays the same however big the archive grows.
SEARCH_CANDIDATES = 500
# How long a search's ranking may stay in the cache (it is also dropped as soon as
# a story is reindexed, published or withdrawn): queries are typed by strangers.
SEARCH_CACHE_SECONDS = 600

# E-mail (to moderators, to commenters answered) is sent by the background worker, never
# inside a request. EMAIL_URL names the server: smtp+tls://user:password@host:587 and the
# like (newsroom/env.py); console:// prints each message, which `check --deploy` warns
# about in production (core/checks.py). A server that does not answer within
# EMAIL_TIMEOUT seconds fails the attempt, and the job is tried again later.
mail_server = env.email_url("EMAIL_URL", "console://")
EMAIL_BACKEND = mail_server.backend
EMAIL_HOST, EMAIL_PORT = mail_server.host, mail_server.port
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = mail_server.user, mail_server.password
EMAIL_USE_TLS, EMAIL_USE_SSL = mail_server.use_tls, mail_server.use_ssl
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 10)
if EMAIL_TIMEOUT < 1:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be at least 1 (seconds), e.g. 10.")
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (core/tasks.py: django-tasks, retried with backoff): e-mail and the
# search index after bulk writes. Queued in the database by default, as part of the
# transaction that asked for it, and run by `manage.py worker`; with REDIS_URL, in
# Redis (RQ), which every app server shares. TASK_QUEUE=database keeps it in the
# database anyway (a Redis without persistence would lose queued work on a restart).
TASK_QUEUE = env.choice("TASK_QUEUE", "redis" if REDIS_URL else "database", ("database", "redis"))
if TASK_QUEUE == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "TASK_QUEUE=redis needs REDIS_URL, e.g. redis://127.0.0.1:6379/0 (or set "
            "TASK_QUEUE=database)."
        )
    INSTALLED_APPS.append("django_rq")  # its dashboard in the admin shows failed jobs
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            # Gives each job the retries its task declares (core/tasks.py).
            "QUEUE_CLASS": "core.tasks.RetryingQueue",
            "DEFAULT_TIMEOUT": 600,
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (core/security.py), in the shape of Django 6.0's setting.
# No 'unsafe-inline' anywhere: our JS and CSS are files under static/, and Django 5.2's
# admin has no inline scripts or style attributes either. JSON-LD blocks are data, not
# scripts, so they need no exception. Images may come from any HTTPS host (lead images
# kept elsewhere, pictures in article bodies), and from the media's, if plain HTTP.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "https:", *media.image_sources],
    # Stories' own video, audio and captions (a provider's player is a frame).
    "media-src": ["'self'", *media.media_sources],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from
    # clients): every page is HTTPS-only, and browsers are told to remember that.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if SITE_URL.startswith("https://"):
    # The public origin, for CSRF's Origin check when a proxy rewrites the Host header.
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

# The reverse proxies in front of us, by address or network: only what they append to
# X-Forwarded-For is believed (core/client_ip.py). None by default, in production too:
# a client that reaches the server directly must not choose the address that the admin
# lockout, the comment rate limit and the stored comment count it under.
TRUSTED_PROXIES = env.networks("DJANGO_TRUSTED_PROXIES")

# Comments' defaults; what the server fetches for embeds; how readers follow live
# stories; request and upload sizes (photos' among them).
from newsroom.comment_settings import *  # noqa: E402, F403
from newsroom.embed_settings import *  # noqa: E402, F403
from newsroom.live_settings import *  # noqa: E402, F403
from newsroom.upload_settings import *  # noqa: E402, F403

# Logs: JSON lines on stdout (core/jsonlog.py), which any log shipper can read.
# newsroom/serve.py sends Granian's own and access logs through the same formatter.
LOG_LEVEL = env.choice("DJANGO_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = stdout_json_logging(
    LOG_LEVEL,
    {
        # Replaces Django's default "django" logger, which prints plain text only with DEBUG on.
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        # Failed logins and lockouts are warnings; axes' INFO chatter (a banner at every
        # start-up) would otherwise land in the stdout of every manage.py command.
        "axes": {"level": "WARNING"},
    },
)
