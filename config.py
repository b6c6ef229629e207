"""Configuration classes, read from the environment (12-factor)."""

import logging
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_float(name: str) -> float | None:
    value = os.environ.get(name)
    return float(value) if value else None


def _default_embedding_model() -> str:
    """The multilingual model once `make` has built it, else the English fine-tuned
    one the repository ships, else the stock MiniLM.

    The names are ideation.similarity.embeddings.E5_MODEL, TUNED_MODEL and STOCK_MODEL
    (this module cannot import the package, which imports it).
    """
    multilingual = "models/e5-small-ptes"
    if (BASE_DIR / multilingual / "model.safetensors").is_file():
        return multilingual
    tuned = "models/minilm-argkp"
    return tuned if (BASE_DIR / tuned).is_dir() else "all-MiniLM-L6-v2"


# Signs sessions and CSRF tokens outside production; ProductionConfig refuses it.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me"
# 32 characters of `secrets.token_hex()` are 128 bits: anything shorter is a password.
SECRET_KEY_MIN_LENGTH = 32


class ConfigurationError(RuntimeError):
    """A setting that production must not run with."""


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'ideation.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Sessions: signed cookies naming a row of login_sessions (ideation/auth), so
    # that logging out, a password change or reset end them on the server too.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # A session ends this long after the login however active it is, and after
    # SESSION_IDLE_MINUTES without a request.
    PERMANENT_SESSION_LIFETIME = timedelta(
        days=int(os.environ.get("SESSION_LIFETIME_DAYS", "14"))
    )
    SESSION_IDLE_TIMEOUT = timedelta(
        minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
    )

    # Number of reverse proxies in front of the app (the TLS proxy in production):
    # their X-Forwarded-* headers give the client's address to the rate limits.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Strict-Transport-Security: browsers keep to HTTPS this many seconds after a
    # visit (0: no header; on by default, that is in production).
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE", str(365 * 24 * 3600)))

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session

    # Rate limits (Flask-Limiter); Redis when REDIS_URL is set.
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    # Production refuses memory counters (each gunicorn worker would count alone,
    # multiplying every limit) unless this says there is a single worker.
    RATELIMIT_ALLOW_MEMORY = _env_bool("RATELIMIT_ALLOW_MEMORY", False)
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins: per client address over every account, and per account from
    # one address (never per account alone: that would let anyone lock the owner
    # out by typing wrong passwords from elsewhere).
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "20 per 10 minutes")
    LOGIN_LIMIT_PER_ACCOUNT_AND_IP = os.environ.get(
        "LOGIN_LIMIT_PER_ACCOUNT_AND_IP", "5 per 10 minutes"
    )
    REGISTER_LIMIT_PER_IP = os.environ.get("REGISTER_LIMIT_PER_IP", "10 per hour")
    REGISTER_LIMIT_PER_EMAIL = os.environ.get("REGISTER_LIMIT_PER_EMAIL", "3 per hour")
    # What one account may send (every POST of the form counts), and how many
    # reports may come from one address whatever the account.
    IDEA_LIMIT_PER_ACCOUNT = os.environ.get("IDEA_LIMIT_PER_ACCOUNT", "20 per hour")
    ASK_LIMIT_PER_ACCOUNT = os.environ.get("ASK_LIMIT_PER_ACCOUNT", "10 per hour")
    FLAG_LIMIT_PER_ACCOUNT = os.environ.get("FLAG_LIMIT_PER_ACCOUNT", "10 per hour")
    FLAG_LIMIT_PER_IP = os.environ.get("FLAG_LIMIT_PER_IP", "30 per hour")
    # Supporting and taking back, of ideas and questions to the governor together.
    SUPPORT_LIMIT_PER_ACCOUNT = os.environ.get(
        "SUPPORT_LIMIT_PER_ACCOUNT", "60 per minute"
    )

    PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    # An upper bound keeps hashing cheap per request; long passphrases still fit.
    PASSWORD_MAX_LENGTH = int(os.environ.get("PASSWORD_MAX_LENGTH", "256"))

    # Ideas
    IDEA_TITLE_MAX = 140
    IDEA_DESCRIPTION_MAX = 2000
    IDEA_EDIT_WINDOW = timedelta(
        minutes=int(os.environ.get("IDEA_EDIT_WINDOW_MINUTES", "15"))
    )
    IDEAS_PER_PAGE = int(os.environ.get("IDEAS_PER_PAGE", "50"))
    QUESTIONS_PER_PAGE = int(os.environ.get("QUESTIONS_PER_PAGE", "20"))
    USERS_PER_PAGE = int(os.environ.get("USERS_PER_PAGE", "50"))

    # Languages
    LANGUAGES = {"en": "English", "pt_BR": "Português (Brasil)", "es": "Español"}
    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "en")
    # The state's own clock (Rio Grande do Sul): dates typed into forms and shown on
    # pages are in it; the database keeps UTC.
    BABEL_DEFAULT_TIMEZONE = os.environ.get(
        "BABEL_DEFAULT_TIMEZONE", "America/Sao_Paulo"
    )

    # Background jobs: "thread" runs them in each web process; "manual" leaves them to
    # `flask jobs work` (a separate worker process) or, in tests, to run_pending().
    JOBS_MODE = os.environ.get("JOBS_MODE", "thread")
    JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "5"))
    JOB_RETRY_BASE_SECONDS = int(os.environ.get("JOB_RETRY_BASE_SECONDS", "10"))
    JOB_POLL_SECONDS = float(os.environ.get("JOB_POLL_SECONDS", "5"))
    JOB_BATCH = int(os.environ.get("JOB_BATCH", "20"))
    JOB_STALE_AFTER = timedelta(minutes=int(os.environ.get("JOB_STALE_MINUTES", "15")))

    # E-mail: every message goes through the outbox table and a sending job.
    # MAIL_BACKEND: "smtp" (production), "console" (log it) or "file" (.eml files).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)  # STARTTLS
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "20"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "noreply@localhost")
    MAIL_SENDER_NAME = os.environ.get("MAIL_SENDER_NAME", "The Governor Asks")
    MAIL_MESSAGE_ID_DOMAIN = os.environ.get("MAIL_MESSAGE_ID_DOMAIN", "localhost")
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(BASE_DIR / "instance" / "mail"))
    # The site's address as people reach it, with any path prefix: links in e-mails
    # are built from it, never from a request's Host header (jobs have no request,
    # and a forged Host must not end up in a password reset link).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
    # How long the links e-mailed to confirm an address and to reset a password work.
    EMAIL_TOKEN_MAX_AGE = timedelta(
        hours=int(os.environ.get("EMAIL_TOKEN_MAX_AGE_HOURS", "72"))
    )
    PASSWORD_RESET_MAX_AGE = timedelta(
        minutes=int(os.environ.get("PASSWORD_RESET_MAX_AGE_MINUTES", "60"))
    )
    CONFIRM_RESEND_LIMIT = os.environ.get("CONFIRM_RESEND_LIMIT", "3 per hour")
    # The "stop these e-mails" link in each notification e-mail: long-lived, as
    # people unsubscribe from old messages too.
    UNSUBSCRIBE_LINK_MAX_AGE = timedelta(
        days=int(os.environ.get("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", "365"))
    )
    # How long the link e-mailed to a new address, to change the account's, works.
    EMAIL_CHANGE_MAX_AGE = timedelta(
        hours=int(os.environ.get("EMAIL_CHANGE_MAX_AGE_HOURS", "24"))
    )

    # The privacy notice and the terms (/privacy, /terms): Markdown files, one per
    # language, "{locale}" standing for its code (pt_BR, es, en); a language
    # without its file gets BABEL_DEFAULT_LOCALE's. The shipped texts are a
    # starting point: the operator replaces them with their own.
    PRIVACY_NOTICE_FILE = os.environ.get(
        "PRIVACY_NOTICE_FILE",
        str(BASE_DIR / "ideation" / "legal" / "privacy.{locale}.md"),
    )
    TERMS_FILE = os.environ.get(
        "TERMS_FILE", str(BASE_DIR / "ideation" / "legal" / "terms.{locale}.md")
    )
    # Stored with each account's consent: change it when the texts change.
    PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-12-08")
    # The data protection officer (LGPD's "encarregado"), shown on /privacy: a
    # name and an e-mail address or a page, as the operator writes it.
    DPO_CONTACT = os.environ.get("DPO_CONTACT", "")
    PASSWORD_RESET_LIMIT_PER_IP = os.environ.get(
        "PASSWORD_RESET_LIMIT_PER_IP", "10 per hour"
    )
    PASSWORD_RESET_LIMIT_PER_EMAIL = os.environ.get(
        "PASSWORD_RESET_LIMIT_PER_EMAIL", "3 per hour"
    )
    # The daily digest of unread notifications leaves at this hour of the site's
    # time zone (BABEL_DEFAULT_TIMEZONE); it lists what arrived in DIGEST_LOOKBACK
    # (a little over a day, so a late run loses nothing) and was not e-mailed yet.
    DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))
    DIGEST_LOOKBACK = timedelta(
        hours=int(os.environ.get("DIGEST_LOOKBACK_HOURS", "36"))
    )
    DIGEST_MAX_ITEMS = int(os.environ.get("DIGEST_MAX_ITEMS", "50"))

    # Where `flask demo load` reads the Polis conversations it ships.
    DEMO_DATA_DIR = os.environ.get("DEMO_DATA_DIR", str(BASE_DIR / "demo_data"))

    # Themes: recomputed by a job this many seconds after the last new idea (debounce),
    # and only for questions with at least THEMES_MIN_IDEAS listed, embedded ideas.
    THEMES_DEBOUNCE = int(os.environ.get("THEMES_DEBOUNCE", "60"))
    THEMES_MIN_IDEAS = int(os.environ.get("THEMES_MIN_IDEAS", "20"))

    # Similar ideas (ideation/similarity): the model that embeds ideas, any
    # sentence-transformers name or path ("fake" in tests); vectors of another model
    # are ignored until `flask similarity reindex`.
    EMBEDDING_MODEL = os.environ.get("EMBEDDING_MODEL") or _default_embedding_model()
    # Embed each idea after its question's title
    # (ideation.similarity.vectors.in_context); after changing it, run
    # `flask similarity reindex`. Unset: the model's own default
    # (ideation.similarity.settings.MODEL_DEFAULTS).
    QUESTION_CONTEXT = (
        _env_bool("QUESTION_CONTEXT", False)
        if os.environ.get("QUESTION_CONTEXT")
        else None
    )
    # Three tiers (ideation.similarity.settings; None: the defaults chosen there).
    # Same idea: the duplicate inbox, group answers and the pre-publish step.
    # DUPLICATE_THRESHOLD is its former name, still read when it is not set.
    SAME_IDEA_THRESHOLD = _env_float("SAME_IDEA_THRESHOLD")
    DUPLICATE_THRESHOLD = _env_float("DUPLICATE_THRESHOLD")
    # Related: suggestions while typing (SIMILAR_IDEAS_MIN_SCORE, its former name).
    RELATED_THRESHOLD = _env_float("RELATED_THRESHOLD") or _env_float(
        "SIMILAR_IDEAS_MIN_SCORE"
    )
    # Opposed pairs are never the same idea (ideation.similarity.opposed); unset: off,
    # the measured default (ideation.similarity.settings.OPPOSED_RULE).
    OPPOSED_RULE = (
        _env_bool("OPPOSED_RULE", False) if os.environ.get("OPPOSED_RULE") else None
    )
    SIMILAR_IDEAS_LIMIT = int(os.environ.get("SIMILAR_IDEAS_LIMIT", "5"))
    # Same-idea matches shown before publishing, at most.
    SAME_IDEAS_LIMIT = int(os.environ.get("SAME_IDEAS_LIMIT", "3"))
    SIMILAR_TEXT_MIN_CHARS = int(os.environ.get("SIMILAR_TEXT_MIN_CHARS", "8"))
    # How long a request may wait for the model to embed typed text; past it the
    # suggestions say "unavailable" and the duplicate check before saving is skipped.
    SIMILAR_CHECK_TIMEOUT = float(os.environ.get("SIMILAR_CHECK_TIMEOUT", "2"))
    SIMILAR_LIMIT = os.environ.get("SIMILAR_LIMIT", "60 per minute")
    # Ideas per batch of `flask similarity backfill/reindex`: one write each, made
    # while the next batch is embedded.
    EMBEDDING_BACKFILL_BATCH = int(os.environ.get("EMBEDDING_BACKFILL_BATCH", "128"))

    # Duplicate inbox: a scan runs this many seconds after the last idea of a question
    # was embedded (later requests join the pending one).
    DUPLICATE_SCAN_DELAY = int(os.environ.get("DUPLICATE_SCAN_DELAY", "30"))
    DUPLICATE_GROUPS_PER_PAGE = int(os.environ.get("DUPLICATE_GROUPS_PER_PAGE", "20"))
    # ... and at most this many ideas on a page (a page holds one group, however
    # large): each idea comes with its text, its pairs and its merge choices.
    DUPLICATE_IDEAS_PER_PAGE = int(os.environ.get("DUPLICATE_IDEAS_PER_PAGE", "40"))
    DUPLICATE_RECENT_MERGES = int(os.environ.get("DUPLICATE_RECENT_MERGES", "20"))
    NOTIFICATIONS_PER_PAGE = int(os.environ.get("NOTIFICATIONS_PER_PAGE", "30"))

    # The Governor Responds (ideation/governor). Title and text limits are also
    # CHECK constraints of the schema: raise them only with a migration.
    GOVERNOR_QUESTION_TITLE_MAX = 140
    GOVERNOR_QUESTION_BODY_MAX = 2000
    GOVERNOR_ANSWER_MAX = 20000
    GOVERNOR_DEPARTMENT_MAX = 120
    GOVERNOR_TRANSCRIPT_MAX = 50000
    # The public reason officials give when they decline or merge a question.
    GOVERNOR_CLOSING_REASON_MAX = 2000
    GOVERNOR_QUESTIONS_PER_PAGE = int(
        os.environ.get("GOVERNOR_QUESTIONS_PER_PAGE", "20")
    )
    # Video sites an answer may embed, through their privacy-enhanced players only
    # (youtube-nocookie.com; Vimeo with dnt=1): any of "youtube", "vimeo".
    VIDEO_EMBED_PROVIDERS = tuple(
        name.strip()
        for name in os.environ.get("VIDEO_EMBED_PROVIDERS", "youtube,vimeo").split(",")
        if name.strip()
    )

    # Measures (ideation/measures).
    MEASURE_TITLE_MAX = 140
    MEASURE_DESCRIPTION_MAX = 5000
    MEASURE_NOTE_MAX = 5000
    MEASURE_DEPARTMENT_MAX = 120
    # A sanity bound on a typed budget (R$ 1 trillion), well inside a BigInteger.
    MEASURE_BUDGET_MAX_CENTS = 10**14
    MEASURES_PER_PAGE = int(os.environ.get("MEASURES_PER_PAGE", "20"))

    # Search (ideation/search): at most this many characters and words of what
    # was typed are searched (every word must match: more only narrows).
    SEARCH_TEXT_MAX = int(os.environ.get("SEARCH_TEXT_MAX", "200"))
    SEARCH_MAX_WORDS = int(os.environ.get("SEARCH_MAX_WORDS", "8"))

    # Themes (ideation/themes): a recomputed cluster keeps an old theme's id and
    # name when their ideas overlap this much (Jaccard index); names of themes.
    THEME_MATCH_MIN_JACCARD = float(os.environ.get("THEME_MATCH_MIN_JACCARD", "0.5"))
    THEME_LABEL_MAX = 80

    # Comments on ideas (ideation/comments): the length is also a CHECK of the
    # schema; comments and replies posted per account.
    COMMENT_MAX = 2000
    COMMENT_LIMIT_PER_ACCOUNT = os.environ.get(
        "COMMENT_LIMIT_PER_ACCOUNT", "20 per hour"
    )

    # Open data (ideation/opendata): the JSON API's page sizes, and the requests
    # one client address may make (the API is public: no account to count by).
    API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "50"))
    API_PAGE_SIZE_MAX = int(os.environ.get("API_PAGE_SIZE_MAX", "200"))
    API_LIMIT_PER_IP = os.environ.get("API_LIMIT_PER_IP", "300 per 5 minutes")

    # Officials' responses to ideas (ideation/responses) and the shortlist board
    # (ideation/shortlist). The department limit is also the column's size.
    RESPONSE_BODY_MAX = 20000
    RESPONSE_DEPARTMENT_MAX = 120
    # Prefills the signature of an official's first response.
    DEFAULT_DEPARTMENT = os.environ.get("DEFAULT_DEPARTMENT", "Office of the Governor")
    # Public answer deadlines: a new question gives officials this many days after
    # its ideas phase ends to answer each idea (officials may change it per
    # question, from 1 to 365 days); the ledger lists its ideas per page.
    RESPONSE_DEADLINE_DAYS = int(os.environ.get("RESPONSE_DEADLINE_DAYS", "30"))
    LEDGER_IDEAS_PER_PAGE = int(os.environ.get("LEDGER_IDEAS_PER_PAGE", "50"))
    BOARD_IDEAS_PER_PAGE = int(os.environ.get("BOARD_IDEAS_PER_PAGE", "50"))
    SHORTLIST_NOTE_MAX = 5000
    DECISION_REASON_MAX = 5000

    # Moderation (ideation/moderation): an item is hidden pending review once this
    # many people have open flags on it.
    FLAGS_TO_HIDE = int(os.environ.get("FLAGS_TO_HIDE", "3"))
    FLAG_NOTE_MAX = 1000
    MODERATION_REASON_MAX = 1000
    MODERATION_QUEUE_PER_PAGE = int(os.environ.get("MODERATION_QUEUE_PER_PAGE", "20"))
    AUDIT_LOG_PER_PAGE = int(os.environ.get("AUDIT_LOG_PER_PAGE", "50"))
    # The most entries one download of the audit log holds (filter for older ones).
    AUDIT_EXPORT_MAX = int(os.environ.get("AUDIT_EXPORT_MAX", "50000"))

    # Design sessions (ideation/sessions). The e-mailed accept/decline links work
    # once, for this long; the title limit is also a CHECK of the schema.
    RSVP_LINK_MAX_AGE = timedelta(
        days=int(os.environ.get("RSVP_LINK_MAX_AGE_DAYS", "14"))
    )
    SESSION_TITLE_MAX = 140
    SESSION_AGENDA_MAX = 20000
    SESSION_OUTCOME_MAX = 50000
    SESSION_CAPACITY_MAX = int(os.environ.get("SESSION_CAPACITY_MAX", "500"))
    SESSIONS_PER_PAGE = int(os.environ.get("SESSIONS_PER_PAGE", "20"))

    # The impact dashboard (ideation/impact): its public figures are the same for
    # every visitor, so each process keeps them this many seconds (0: not at all).
    IMPACT_CACHE_SECONDS = int(os.environ.get("IMPACT_CACHE_SECONDS", "60"))

    # The consultation cycle (ideation/proposals, ideation/voting). The proposal
    # limits are also CHECKs of the schema.
    PROPOSAL_TITLE_MAX = 140
    PROPOSAL_BODY_MAX = 5000
    PROPOSAL_SUB_THEME_MAX = 80
    VOTE_LIMIT_PER_ACCOUNT = os.environ.get("VOTE_LIMIT_PER_ACCOUNT", "120 per minute")
    # Generous: the original's public access points and vans put many voters
    # behind one address.
    VOTE_LIMIT_PER_IP = os.environ.get("VOTE_LIMIT_PER_IP", "1200 per minute")
    # Pairs chosen at once for a voter: most answers then only read the next one.
    VOTE_PAIRS_AHEAD = int(os.environ.get("VOTE_PAIRS_AHEAD", "5"))
    # Scores are refitted this many seconds after a vote, once per burst of votes.
    VOTE_SCORE_DEBOUNCE = int(os.environ.get("VOTE_SCORE_DEBOUNCE", "30"))
    # Draws of the fitted strengths behind each score's uncertainty interval.
    VOTE_SCORE_DRAWS = int(os.environ.get("VOTE_SCORE_DRAWS", "400"))
    # Proposals whose authors meet the governor (more when the last ones tie).
    MEETING_TOP_N = int(os.environ.get("MEETING_TOP_N", "50"))


class DevelopmentConfig(Config):
    DEBUG = True
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE", "0"))  # plain http://127.0.0.1
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestingConfig(Config):
    TESTING = True
    JOBS_MODE = "manual"
    SECRET_KEY = "testing-secret-key"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    HSTS_MAX_AGE = 0
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    EMBEDDING_MODEL = "fake"
    # Tests change the data between requests and read the figures at once.
    IMPACT_CACHE_SECONDS = 0
    # The fake embedder is a bag of words: the question's title, shared by every
    # text, would make all of them alike. Tests of the context turn it on.
    QUESTION_CONTEXT = False
    # The fake embedder's scores are on another scale than a model's: its near-copies
    # score from about 0.4 (the tiers' mechanics are what tests check).
    SAME_IDEA_THRESHOLD = 0.35


class ProductionConfig(Config):
    def __init__(self) -> None:
        problems = production_problems(self)
        if problems:
            raise ConfigurationError(
                "Refusing to start with APP_ENV=production: " + " ".join(problems)
            )
        # Without Redis it still runs (a single server is a real deployment), and
        # says what that costs in every process's log.
        for warning in production_warnings(self):
            logging.getLogger("ideation.config").warning(warning)


def production_problems(config: Config) -> list[str]:
    """What keeps `config` from running in production, in words for the operator."""
    problems = []
    if config.SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        problems.append(
            "SECRET_KEY is not set. Set it to a long random value, for example the "
            "output of: python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    elif len(config.SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
        problems.append(
            f"SECRET_KEY is too short ({len(config.SECRET_KEY)} characters): use at "
            f"least {SECRET_KEY_MIN_LENGTH} random characters, for example the output "
            "of: python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    return problems


def production_warnings(config: Config) -> list[str]:
    """What production runs with but an operator should fix, in words for them."""
    if config.RATELIMIT_STORAGE_URI.startswith("memory://") and not (
        config.RATELIMIT_ALLOW_MEMORY
    ):
        return [
            "REDIS_URL is not set: the rate limits are counted in each worker's "
            "memory, so several gunicorn workers multiply every limit. Set "
            "REDIS_URL, or RATELIMIT_ALLOW_MEMORY=1 if a single worker serves the site."
        ]
    return []


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    """The configuration class named by APP_ENV (default: production)."""
    return CONFIGS[os.environ.get("APP_ENV", "production")]
