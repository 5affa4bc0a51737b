"""Service settings, read from ``INSIGHTS_*`` environment variables.

``create_app(config)`` takes a dict whose keys are the lower-case field names below; those
override the environment (tests use this). The warehouse itself is named by the standard
libpq variables (``PGHOST`` ...) unless ``INSIGHTS_DATABASE_URL`` / ``conninfo`` is given.

| variable | default | meaning |
|---|---|---|
| INSIGHTS_DATABASE_URL | (empty: PG* variables) | libpq conninfo/URL of the warehouse |
| INSIGHTS_MARTS_SCHEMA | marts | schema of the marts (a dev target may prefix it) |
| INSIGHTS_RATE_LIMIT | 120/minute | per API key, all endpoints together; flask-limiter syntax, `off` disables |
| INSIGHTS_RATE_LIMIT_STORAGE | INSIGHTS_REDIS_URL, else memory:// | limits storage URI (redis://..., memory://) |
| INSIGHTS_REDIS_URL | (unset) | Redis for rate limits and the response cache (shared by all workers) |
| INSIGHTS_CACHE_BACKEND | INSIGHTS_REDIS_URL, else memory | `memory`, `none` or a redis:// URL |
| INSIGHTS_CACHE_TTL_S | 3600 | lifetime of a cached response |
| INSIGHTS_BUILD_CHECK_S | 10 | read marts.mart_build_info.build_id at most every N seconds per worker |
| INSIGHTS_CORS_ORIGIN | (unset: no CORS) | comma-separated allowed frontend origins (`*` for any) |
| INSIGHTS_STATEMENT_TIMEOUT_MS | 15000 | PostgreSQL statement_timeout of the service's connections |
| INSIGHTS_POOL_SIZE | 10 | max connections per worker (psycopg_pool max_size) |
| INSIGHTS_POOL_MIN_SIZE | 1 | connections kept open per worker |
| INSIGHTS_POOL_TIMEOUT_S | 5 | wait for a connection before answering 503 |
| INSIGHTS_POOL_RECONNECT_TIMEOUT_S | 20 | give up a reconnect attempt after N s (a new one starts on demand) |
| INSIGHTS_BREAKER_PROBE_S | 1 | while the warehouse circuit is open, probe the database every N s |
| INSIGHTS_PROBE_TIMEOUT_S | 1 | connect timeout of that probe (libpq rounds it up to 2 s) |
| INSIGHTS_HEALTH_TIMEOUT_S | 0.8 | /healthz and /readyz give up on the database after N s (503) |
| INSIGHTS_ANON_RATE_LIMIT | 120/minute | per client address: requests without a valid key, public endpoints |
| INSIGHTS_HEAVY_PER_STORE | 2 | heavy requests running at once per store and worker; 429 beyond |
| INSIGHTS_JOB_WORKERS | 2 | background threads per worker running insight generation jobs |
| INSIGHTS_JOB_QUEUE | 8 | jobs waiting per worker beyond those running; 429 when full |
| INSIGHTS_LOG_LEVEL | INFO | log level of the service's loggers |
| INSIGHTS_WORKERS | 2 | gunicorn workers for `insights serve` (``--workers`` overrides) |
| INSIGHTS_METRICS_TOKEN | (unset: /metrics answers 404) | bearer token a Prometheus scrape of GET /metrics must send |
| INSIGHTS_SECRET_KEY | (unset: random, see below) | signs the page's session cookies and CSRF tokens (>= 32 chars) |
| INSIGHTS_SESSION_TTL_S | 28800 | lifetime of a dashboard session (seconds, 8 h) |
| INSIGHTS_PAGE_DIR | (the package's api/page/static) | folder of the built dashboard page (index.html + assets/) |

Without INSIGHTS_SECRET_KEY, ``insights serve`` makes one for all its workers (sessions then end with a
restart) and an app made by ``create_app`` alone has one of its own.
"""
from __future__ import annotations

import dataclasses
import os
from typing import Any

MEMORY = "memory"
SECRET_KEY_ENV = "INSIGHTS_SECRET_KEY"
# a shorter secret could be guessed offline from one signed cookie
MIN_SECRET_KEY_LENGTH = 32


def env_value(name: str, default: str | None = None) -> str | None:
    """The stripped value of environment variable `name`; `default` when unset or blank."""
    value = os.environ.get(name)
    return value.strip() if value is not None and value.strip() != "" else default


class ConfigError(ValueError):
    """A setting has a value the service cannot use."""


@dataclasses.dataclass(frozen=True)
class Settings:
    conninfo: str = ""
    marts_schema: str = "marts"
    app_schema: str = "app"
    rate_limit: str | None = "120/minute"
    rate_limit_storage: str = "memory://"
    rate_limit_key_prefix: str = "insights"
    redis_url: str | None = None
    cache_backend: str = MEMORY
    cache_ttl_s: int = 3600
    cache_key_prefix: str = "insights:cache"
    build_check_s: float = 10.0
    cors_origins: tuple[str, ...] = ()
    statement_timeout_ms: int = 15000
    pool_size: int = 10
    pool_min_size: int = 1
    pool_timeout_s: float = 5.0
    pool_reconnect_timeout_s: float = 20.0
    breaker_probe_s: float = 1.0
    probe_timeout_s: float = 1.0
    health_timeout_s: float = 0.8
    anon_rate_limit: str | None = "120/minute"
    heavy_per_store: int = 2
    job_workers: int = 2
    job_queue: int = 8
    log_level: str = "INFO"
    workers: int = 2
    metrics_token: str | None = dataclasses.field(default=None, repr=False)
    secret_key: str | None = dataclasses.field(default=None, repr=False)
    session_ttl_s: int = 8 * 3600
    page_dir: str | None = None
    # verified keys (and page sessions) are remembered this long per worker: a revocation takes up to this long
    key_cache_s: float = 5.0
    # cached GETs answered right after auth and the rate limits, before the view (api/web/fastpath.py)
    fast_path: bool = True

    @classmethod
    def from_env(cls, overrides: dict[str, Any] | None = None) -> Settings:
        redis_url = env_value("INSIGHTS_REDIS_URL")
        rate = env_value("INSIGHTS_RATE_LIMIT", "120/minute")
        anon_rate = env_value("INSIGHTS_ANON_RATE_LIMIT", "120/minute")
        values: dict[str, Any] = {
            "conninfo": env_value("INSIGHTS_DATABASE_URL", ""),
            "marts_schema": env_value("INSIGHTS_MARTS_SCHEMA", "marts"),
            "rate_limit": None if rate and rate.lower() in ("off", "none", "0") else rate,
            "rate_limit_storage": env_value("INSIGHTS_RATE_LIMIT_STORAGE", redis_url or "memory://"),
            "redis_url": redis_url,
            "cache_backend": env_value("INSIGHTS_CACHE_BACKEND", redis_url or MEMORY),
            "cache_ttl_s": env_value("INSIGHTS_CACHE_TTL_S", "3600"),
            "build_check_s": env_value("INSIGHTS_BUILD_CHECK_S", "10"),
            "cors_origins": env_value("INSIGHTS_CORS_ORIGIN", ""),
            "statement_timeout_ms": env_value("INSIGHTS_STATEMENT_TIMEOUT_MS", "15000"),
            "pool_size": env_value("INSIGHTS_POOL_SIZE", "10"),
            "pool_min_size": env_value("INSIGHTS_POOL_MIN_SIZE", "1"),
            "pool_timeout_s": env_value("INSIGHTS_POOL_TIMEOUT_S", "5"),
            "pool_reconnect_timeout_s": env_value("INSIGHTS_POOL_RECONNECT_TIMEOUT_S", "20"),
            "breaker_probe_s": env_value("INSIGHTS_BREAKER_PROBE_S", "1"),
            "probe_timeout_s": env_value("INSIGHTS_PROBE_TIMEOUT_S", "1"),
            "health_timeout_s": env_value("INSIGHTS_HEALTH_TIMEOUT_S", "0.8"),
            "anon_rate_limit": None if anon_rate and anon_rate.lower() in ("off", "none", "0") else anon_rate,
            "heavy_per_store": env_value("INSIGHTS_HEAVY_PER_STORE", "2"),
            "job_workers": env_value("INSIGHTS_JOB_WORKERS", "2"),
            "job_queue": env_value("INSIGHTS_JOB_QUEUE", "8"),
            "log_level": env_value("INSIGHTS_LOG_LEVEL", "INFO"),
            "workers": env_value("INSIGHTS_WORKERS", "2"),
            "metrics_token": env_value("INSIGHTS_METRICS_TOKEN"),
            "secret_key": env_value(SECRET_KEY_ENV),
            "session_ttl_s": env_value("INSIGHTS_SESSION_TTL_S", str(8 * 3600)),
            "page_dir": env_value("INSIGHTS_PAGE_DIR"),
            "key_cache_s": env_value("INSIGHTS_KEY_CACHE_S", "5"),
            "fast_path": env_value("INSIGHTS_FAST_PATH", "on"),
        }
        unknown = set(overrides or {}) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        values.update(overrides or {})
        return cls._coerce(values)

    @classmethod
    def _coerce(cls, values: dict[str, Any]) -> Settings:
        def as_int(name: str, minimum: int) -> int:
            try:
                number = int(values[name])
            except (TypeError, ValueError):
                raise ConfigError(f"{name} must be an integer, got {values[name]!r}") from None
            if number < minimum:
                raise ConfigError(f"{name} must be >= {minimum}, got {number}")
            return number

        def as_float(name: str, minimum: float) -> float:
            try:
                number = float(values[name])
            except (TypeError, ValueError):
                raise ConfigError(f"{name} must be a number, got {values[name]!r}") from None
            if not number >= minimum:
                raise ConfigError(f"{name} must be >= {minimum}, got {number}")
            return number

        origins = values.get("cors_origins") or ()
        if isinstance(origins, str):
            origins = tuple(o.strip().rstrip("/") for o in origins.split(",") if o.strip())
        out = dict(values)
        out["cors_origins"] = tuple(origins)
        for name, minimum in (("cache_ttl_s", 1), ("statement_timeout_ms", 0), ("pool_size", 1),
                              ("pool_min_size", 0), ("workers", 1), ("session_ttl_s", 1), ("heavy_per_store", 1),
                              ("job_workers", 1), ("job_queue", 0)):
            out[name] = as_int(name, minimum)
        for name in ("build_check_s", "pool_timeout_s", "pool_reconnect_timeout_s", "probe_timeout_s", "key_cache_s"):
            out[name] = as_float(name, 0.0)
        for name in ("breaker_probe_s", "health_timeout_s"):
            out[name] = as_float(name, 0.05)
        if out["pool_min_size"] > out["pool_size"]:
            raise ConfigError("pool_min_size must be <= pool_size")
        if out.get("anon_rate_limit"):
            from limits import parse  # the rate limiter's own syntax (flask-limiter depends on it)

            try:
                parse(str(out["anon_rate_limit"]))
            except ValueError:
                raise ConfigError("anon_rate_limit must look like '120/minute', "
                                  f"got {out['anon_rate_limit']!r}") from None
        fast = out.get("fast_path", True)
        if isinstance(fast, str):
            if fast.strip().lower() not in ("on", "off", "true", "false", "1", "0"):
                raise ConfigError(f"fast_path must be on or off, got {fast!r}")
            fast = fast.strip().lower() in ("on", "true", "1")
        out["fast_path"] = bool(fast)
        level = str(out.get("log_level") or "INFO").upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ConfigError(f"log_level must be DEBUG/INFO/WARNING/ERROR/CRITICAL, got {level!r}")
        out["log_level"] = level
        backend = str(out.get("cache_backend") or MEMORY)
        if backend not in (MEMORY, "none") and not backend.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError(f"cache backend must be 'memory', 'none' or a redis:// URL, got {backend!r}")
        out["cache_backend"] = backend
        secret = out.get("secret_key")
        if secret is not None and len(str(secret)) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(f"{SECRET_KEY_ENV} must be at least {MIN_SECRET_KEY_LENGTH} characters "
                              "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)")
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in out.items() if k in known})
