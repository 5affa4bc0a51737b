"""Grounding and prompt-injection checks of a model-written insight.

An LLM text is used only when
- every number in its title, description and suggested action matches a figure of *its*
  signal at the precision the text shows (``15%`` matches 15.3 - rounding to 0 places -,
  ``$1,234.5`` matches 1234.46, ``1.2k`` matches 1249; signs are ignored because words
  carry the direction), and every ISO date is a date of the signal's windows;
- every figure it cites (``cited_figures``) exists in the signal and has its value;
- it does not echo injected content: no instruction-like phrase ("ignore previous
  instructions", "system prompt", ...), no URL, and no run of words of a data text (an
  article title, a campaign name) that itself looks like an instruction.

Numbers inside the names the text may quote (the source id, a title that is not
suspicious) are not claims and are skipped.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from insight_service.insights.figures import Figure

NUMBER_RE = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s?(?P<suffix>%|bn|billion|million|thousand|k|K|m|M)(?![A-Za-z]))?"
)
DATE_RE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
URL_RE = re.compile(r"(https?://|www\.)\S+", re.I)
INJECTION_RE = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b\W+(?:\w+\W+){0,4}?"
    r"(instructions?|prompts?|rules|directions|guidelines|context)\b"
    r"|\bsystem\s+(prompt|message)\b|\byou\s+are\s+now\b|\bnew\s+instructions?\b|\bdeveloper\s+mode\b"
    r"|\bjailbreak|\bprompt\s+injection\b|<\s*/?\s*(system|assistant|user|instructions?)\s*>|SIGNALS_JSON",
    re.I,
)
MULTIPLIERS = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000,
               "bn": 1_000_000_000, "billion": 1_000_000_000}
SHINGLE_WORDS = 4


def looks_like_instruction(text: str | None) -> bool:
    """True when a data text (title, name) reads like an instruction to a model."""
    return bool(text) and (INJECTION_RE.search(text) is not None or URL_RE.search(text) is not None)


@dataclasses.dataclass
class Verdict:
    ungrounded: list[str] = dataclasses.field(default_factory=list)
    injected: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.ungrounded and not self.injected

    @property
    def reason(self) -> str | None:
        if self.injected:
            return "injected_content: " + ", ".join(dict.fromkeys(self.injected))
        if self.ungrounded:
            return "ungrounded_numbers: " + ", ".join(dict.fromkeys(self.ungrounded))
        return None


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _number_matches(shown: Decimal, decimals: int, multiplier: int, candidates: Iterable[float]) -> bool:
    value = float(shown) * multiplier
    tolerance = 0.5 * 10 ** (-decimals) * multiplier
    for candidate in candidates:
        target = abs(candidate)
        if abs(target - value) <= tolerance + 1e-9 * max(1.0, target):
            return True
    return False


def _strip(text: str, names: Iterable[str]) -> str:
    for name in sorted({n for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", " ", text, flags=re.I)
    return text


def numbers_in(text: str, allowed_dates: set[str],
               names: Iterable[str] = ()) -> tuple[list[tuple[str, Decimal, int, int]], list[str]]:
    """(numbers, bad dates) of ``text``: numbers as (token, value, decimals, multiplier)."""
    text = _strip(text, names)
    bad_dates = [d for d in DATE_RE.findall(text) if d not in allowed_dates]
    text = DATE_RE.sub(" ", text)
    found = []
    for match in NUMBER_RE.finditer(text):
        raw = match.group("num")
        suffix = (match.group("suffix") or "").lower()
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the regex only matches numbers
            continue
        found.append((match.group(0).strip(), value, _decimals(raw), MULTIPLIERS.get(suffix, 1)))
    return found, bad_dates


def _shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def check(texts: Iterable[str], figures: dict[str, Figure], cited: Iterable[tuple[str, float]],
          allowed_dates: set[str], names: Iterable[str] = (), data_texts: Iterable[str] = ()) -> Verdict:
    """Verdict on one insight: ``texts`` (title, description, action) against the signal's
    ``figures``; ``names`` may be quoted verbatim (their digits are not claims);
    ``data_texts`` are the signal's free texts (titles) checked for echoed injections."""
    verdict = Verdict()
    texts = [t or "" for t in texts]
    joined = "\n".join(texts)
    values = [f.value for f in figures.values()]
    suspicious = [t for t in data_texts if looks_like_instruction(t)]
    safe_names = [n for n in names if n and not looks_like_instruction(n)]

    # injected content
    for match in INJECTION_RE.finditer(joined):
        verdict.injected.append(repr(match.group(0)[:60]))
    for match in URL_RE.finditer(joined):
        verdict.injected.append(f"url {match.group(0)[:60]!r}")
    if suspicious:
        out_shingles = _shingles(joined)
        for text in suspicious:
            echoed = _shingles(text) & out_shingles
            if echoed:
                verdict.injected.append(f"echoes data text {sorted(echoed)[0]!r}")

    # numbers and dates
    for text in texts:
        numbers, bad_dates = numbers_in(text, allowed_dates, safe_names)
        verdict.ungrounded.extend(f"date {d}" for d in bad_dates)
        for token, value, decimals, multiplier in numbers:
            if not _number_matches(value, decimals, multiplier, values):
                verdict.ungrounded.append(token)

    # cited figures
    for figure_id, cited_value in cited:
        figure = figures.get(figure_id)
        if figure is None:
            verdict.ungrounded.append(f"unknown figure {figure_id!r}")
            continue
        try:
            shown = Decimal(repr(float(cited_value)))
        except (InvalidOperation, TypeError, ValueError):
            verdict.ungrounded.append(f"{figure_id}={cited_value!r}")
            continue
        # within the precision of the cited value or of the figure's display, whichever is looser
        decimals = min(_decimals(format(shown, "f")), figure.places)
        if not _number_matches(abs(shown), decimals, 1, [figure.value]):
            verdict.ungrounded.append(f"{figure_id}={cited_value} (is {figure.value})")
    return verdict
