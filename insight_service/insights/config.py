"""Settings of the LLM path of insight generation, read from the environment.

| variable | default | meaning |
|---|---|---|
| OPENAI_API_KEY | (unset: rule-based only) | OpenAI(-compatible) API key; unset -> every insight uses its template |
| OPENAI_BASE_URL | (SDK default: api.openai.com) | base URL of an OpenAI-compatible server, e.g. http://host:8000/v1 |
| INSIGHTS_LLM_MODEL | gpt-4o-mini | chat model (must support structured output / JSON schema) |
| INSIGHTS_LLM_TIMEOUT_S | 20 | timeout of one HTTP attempt, seconds |
| INSIGHTS_LLM_MAX_RETRIES | 1 | SDK retries on connection errors, 408/409/429/5xx (0 = one attempt) |

The worst-case wall time of one ``POST /insights/generate`` is about
``(max_retries + 1) x timeout`` plus the SDK's short backoff; keep it under the gunicorn
worker timeout (``insights serve --timeout``, default 60 s).
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any

from insight_service.api.config import ConfigError, env_value

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_RETRIES = 1


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
