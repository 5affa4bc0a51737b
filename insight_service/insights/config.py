"""Settings of insight generation, read from the environment: the LLM path and the lifecycle.

| variable | default | meaning |
|---|---|---|
| OPENAI_API_KEY | (unset: rule-based only) | OpenAI(-compatible) API key; unset -> every insight uses its template |
| OPENAI_BASE_URL | (SDK default: api.openai.com) | base URL of an OpenAI-compatible server, e.g. http://host:8000/v1 |
| INSIGHTS_LLM_MODEL | gpt-4o-mini | chat model (must support structured output / JSON schema) |
| INSIGHTS_LLM_TIMEOUT_S | 20 | timeout of one HTTP attempt, seconds |
| INSIGHTS_LLM_MAX_RETRIES | 1 | SDK retries on connection errors, 408/409/429/5xx (0 = one attempt) |
| INSIGHTS_LLM_BREAKER_FAILURES | 3 | consecutive failed LLM calls (timeout, HTTP error, malformed) that open the circuit breaker |
| INSIGHTS_LLM_BREAKER_OPEN_S | 60 | seconds the open breaker sends every generation to the templates (`circuit_open`) before one trial call |

The worst-case wall time of one ``POST /insights/generate`` is about
``(max_retries + 1) x timeout`` plus the SDK's short backoff; keep it under the gunicorn
worker timeout (``insights serve --timeout``, default 60 s).

Lifecycle (:class:`LifecycleConfig`): an insight dismissed or actioned is not recreated for the same
occurrence of its signal, and comes back only for a later window once its cooldown has passed.

| variable | default | meaning |
|---|---|---|
| INSIGHTS_COOLDOWN_DAYS | (the table DEFAULT_COOLDOWN_DAYS) | overrides, `key=days` comma-separated; key = a signal type, `type:period`, or `default` (types this table does not know) |
"""  # noqa: E501  (a table row of the documented settings)
from __future__ import annotations

import dataclasses
import math
from typing import Any

from insight_service.core.settings import ConfigError, env_value

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_RETRIES = 1
DEFAULT_BREAKER_FAILURES = 3
DEFAULT_BREAKER_OPEN_S = 60.0


@dataclasses.dataclass(frozen=True)
class LLMConfig:
    api_key: str | None = dataclasses.field(default=None, repr=False)
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_retries: int = DEFAULT_MAX_RETRIES

    @property
    def enabled(self) -> bool:
        return bool(self.api_key)

    @classmethod
    def from_env(cls, overrides: dict[str, Any] | None = None) -> LLMConfig:
        values: dict[str, Any] = {
            "api_key": env_value("OPENAI_API_KEY"),
            "base_url": env_value("OPENAI_BASE_URL"),
            "model": env_value("INSIGHTS_LLM_MODEL") or DEFAULT_MODEL,
            "timeout_s": env_value("INSIGHTS_LLM_TIMEOUT_S") or DEFAULT_TIMEOUT_S,
            "max_retries": env_value("INSIGHTS_LLM_MAX_RETRIES") or DEFAULT_MAX_RETRIES,
        }
        unknown = set(overrides or {}) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(f"unknown LLM setting(s): {', '.join(sorted(unknown))}")
        values.update(overrides or {})
        return cls.coerce(values)

    @classmethod
    def coerce(cls, values: dict[str, Any]) -> LLMConfig:
        try:
            timeout = float(values["timeout_s"])
        except (TypeError, ValueError):
            raise ConfigError(f"INSIGHTS_LLM_TIMEOUT_S must be a number, got {values['timeout_s']!r}") from None
        if not math.isfinite(timeout) or timeout <= 0:
            raise ConfigError(f"INSIGHTS_LLM_TIMEOUT_S must be > 0, got {timeout}")
        try:
            retries = int(values["max_retries"])
        except (TypeError, ValueError):
            raise ConfigError(f"INSIGHTS_LLM_MAX_RETRIES must be an integer, got {values['max_retries']!r}") from None
        if not 0 <= retries <= 10:
            raise ConfigError(f"INSIGHTS_LLM_MAX_RETRIES must be between 0 and 10, got {retries}")
        model = str(values.get("model") or DEFAULT_MODEL).strip()
        return cls(api_key=values.get("api_key") or None, base_url=values.get("base_url") or None,
                   model=model, timeout_s=timeout, max_retries=retries)


@dataclasses.dataclass(frozen=True)
class BreakerConfig:
    """The LLM circuit breaker (insights/breaker.py): opens after ``failures`` failed calls in a row,
    for ``open_s`` seconds."""
    failures: int = DEFAULT_BREAKER_FAILURES
    open_s: float = DEFAULT_BREAKER_OPEN_S

    @classmethod
    def from_env(cls) -> BreakerConfig:
        failures_text = env_value("INSIGHTS_LLM_BREAKER_FAILURES") or str(DEFAULT_BREAKER_FAILURES)
        open_text = env_value("INSIGHTS_LLM_BREAKER_OPEN_S") or str(DEFAULT_BREAKER_OPEN_S)
        try:
            failures = int(failures_text)
        except ValueError:
            raise ConfigError(f"INSIGHTS_LLM_BREAKER_FAILURES must be an integer, got {failures_text!r}") from None
        try:
            open_s = float(open_text)
        except ValueError:
            raise ConfigError(f"INSIGHTS_LLM_BREAKER_OPEN_S must be a number, got {open_text!r}") from None
        if failures < 1:
            raise ConfigError(f"INSIGHTS_LLM_BREAKER_FAILURES must be >= 1, got {failures}")
        if not math.isfinite(open_s) or open_s < 0:
            raise ConfigError(f"INSIGHTS_LLM_BREAKER_OPEN_S must be >= 0, got {open_s}")
        return cls(failures=failures, open_s=open_s)


# ---- lifecycle -------------------------------------------------------------------------------

# Days after a dismissal or action before an insight of the same signal may come back (and only for a
# later window). The default is the length of the signal's window: after it, the new occurrence rests
# on days the dismissed one did not see, so the merchant is not asked again about the same data.
# Budget signals are the exception: their window is the calendar month, so a later window is already
# next month's budget; 7 days keeps an early dismissal from also hiding next month's first week.
DEFAULT_COOLDOWN_DAYS: dict[str, int] = {
    "revenue_decline:last_7_days": 7,
    "revenue_decline:last_28_days": 28,
    "revenue_growth:last_7_days": 7,
    "revenue_growth:last_28_days": 28,
    "roas_below_benchmark": 28,
    "cpa_above_benchmark": 28,
    "marginal_efficiency_decline": 28,
    "outsized_source_revenue": 28,
    "budget_underutilized": 7,
    "budget_overpacing": 7,
    "sessions_drop": 7,
    # from the stored forecasts (insights/forecast_signals.py): calendar-month windows, like the budget ones
    "forecast_overspend": 7,
    "forecast_revenue_miss": 7,
}
# a signal type the mart gains before this table does: between the weekly and the 28-day windows
DEFAULT_FALLBACK_COOLDOWN_DAYS = 14
MAX_COOLDOWN_DAYS = 365
SIGNAL_TYPES: tuple[str, ...] = tuple(dict.fromkeys(key.split(":")[0] for key in DEFAULT_COOLDOWN_DAYS))
SIGNAL_PERIODS: tuple[str, ...] = ("last_7_days", "last_28_days", "current_month")
COOLDOWN_ENV = "INSIGHTS_COOLDOWN_DAYS"


@dataclasses.dataclass(frozen=True)
class LifecycleConfig:
    """Cooldowns per signal type (``type`` or ``type:period`` keys) and the fallback for other types."""
    cooldown_days: dict[str, int] = dataclasses.field(default_factory=lambda: dict(DEFAULT_COOLDOWN_DAYS))
    default_days: int = DEFAULT_FALLBACK_COOLDOWN_DAYS

    def cooldown_for(self, signal_type: str, period: str) -> int:
        """The same resolution as the SQL of insights/store.py (``type:period``, ``type``, fallback)."""
        for key in (f"{signal_type}:{period}", signal_type):
            if key in self.cooldown_days:
                return self.cooldown_days[key]
        return self.default_days

    @classmethod
    def from_env(cls) -> LifecycleConfig:
        return cls.parse(env_value(COOLDOWN_ENV))

    @classmethod
    def parse(cls, text: str | None) -> LifecycleConfig:
        """Defaults overridden by ``text`` (``sessions_drop=3, revenue_decline:last_28_days=21,
        default=10``). A bare type replaces the defaults of all its periods."""
        cooldowns = dict(DEFAULT_COOLDOWN_DAYS)
        fallback = DEFAULT_FALLBACK_COOLDOWN_DAYS
        for item in (text or "").split(","):
            if not item.strip():
                continue
            key, sep, value = (part.strip() for part in item.partition("="))
            if not sep:
                raise ConfigError(f"{COOLDOWN_ENV}: {item.strip()!r} is not key=days (e.g. sessions_drop=7)")
            days = _cooldown_days(key, value)
            if key == "default":
                fallback = days
                continue
            signal_type, colon, period = key.partition(":")
            if signal_type not in SIGNAL_TYPES:
                raise ConfigError(f"{COOLDOWN_ENV}: unknown signal type {signal_type!r} in {key!r}; "
                                  f"known: {', '.join(SIGNAL_TYPES)} (or `default`)")
            if colon and period not in SIGNAL_PERIODS:
                raise ConfigError(f"{COOLDOWN_ENV}: unknown period {period!r} in {key!r}; "
                                  f"known: {', '.join(SIGNAL_PERIODS)}")
            if not colon:  # the type's own value must not be shadowed by a default of one of its periods
                cooldowns = {k: v for k, v in cooldowns.items() if not k.startswith(f"{signal_type}:")}
            cooldowns[key] = days
        return cls(cooldown_days=cooldowns, default_days=fallback)


def _cooldown_days(key: str, value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise ConfigError(f"{COOLDOWN_ENV}: {key} must be a whole number of days, got {value!r}") from None
    if not 0 <= days <= MAX_COOLDOWN_DAYS:
        raise ConfigError(f"{COOLDOWN_ENV}: {key} must be between 0 and {MAX_COOLDOWN_DAYS} days, got {days}")
    return days
