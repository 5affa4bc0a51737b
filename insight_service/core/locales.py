"""The BCP 47 locale a store's numbers and dates are shown in.

``dim_stores`` has a currency and an IANA timezone but no locale nor country: the locale is derived,
the timezone first (it names the country: ``Europe/Berlin`` -> ``de-DE``), then the currency
(``JPY`` -> ``ja-JP``), else ``en-US``. The page formats money with ``Intl.NumberFormat(locale,
{currency})``, so a wrong guess only changes separators and the date order, never the currency.
"""
from __future__ import annotations

DEFAULT_LOCALE = "en-US"

# the timezones whose country has one usual locale (the euro alone does not say which)
TIMEZONE_LOCALES = {
    "America/New_York": "en-US", "America/Chicago": "en-US", "America/Denver": "en-US",
    "America/Los_Angeles": "en-US", "America/Phoenix": "en-US", "America/Anchorage": "en-US",
    "Pacific/Honolulu": "en-US", "America/Toronto": "en-CA", "America/Vancouver": "en-CA",
    "America/Mexico_City": "es-MX", "America/Sao_Paulo": "pt-BR", "America/Buenos_Aires": "es-AR",
    "America/Argentina/Buenos_Aires": "es-AR", "America/Bogota": "es-CO", "America/Santiago": "es-CL",
    "America/Lima": "es-PE",
    "Europe/London": "en-GB", "Europe/Dublin": "en-IE", "Europe/Berlin": "de-DE", "Europe/Vienna": "de-AT",
    "Europe/Zurich": "de-CH", "Europe/Paris": "fr-FR", "Europe/Brussels": "fr-BE", "Europe/Luxembourg": "fr-LU",
    "Europe/Amsterdam": "nl-NL", "Europe/Madrid": "es-ES", "Europe/Lisbon": "pt-PT", "Europe/Rome": "it-IT",
    "Europe/Athens": "el-GR", "Europe/Helsinki": "fi-FI", "Europe/Stockholm": "sv-SE", "Europe/Oslo": "nb-NO",
    "Europe/Copenhagen": "da-DK", "Europe/Warsaw": "pl-PL", "Europe/Prague": "cs-CZ", "Europe/Budapest": "hu-HU",
    "Europe/Bucharest": "ro-RO", "Europe/Istanbul": "tr-TR", "Europe/Tallinn": "et-EE", "Europe/Riga": "lv-LV",
    "Europe/Vilnius": "lt-LT", "Europe/Bratislava": "sk-SK", "Europe/Ljubljana": "sl-SI", "Europe/Zagreb": "hr-HR",
    "Asia/Tokyo": "ja-JP", "Asia/Seoul": "ko-KR", "Asia/Shanghai": "zh-CN", "Asia/Hong_Kong": "zh-HK",
    "Asia/Taipei": "zh-TW", "Asia/Singapore": "en-SG", "Asia/Kolkata": "en-IN", "Asia/Calcutta": "en-IN",
    "Asia/Dubai": "ar-AE", "Asia/Jakarta": "id-ID", "Asia/Bangkok": "th-TH", "Asia/Manila": "en-PH",
    "Australia/Sydney": "en-AU", "Australia/Melbourne": "en-AU", "Australia/Brisbane": "en-AU",
    "Australia/Perth": "en-AU", "Australia/Adelaide": "en-AU", "Pacific/Auckland": "en-NZ",
    "Africa/Johannesburg": "en-ZA", "Africa/Lagos": "en-NG", "Africa/Cairo": "ar-EG",
}

CURRENCY_LOCALES = {
    "USD": "en-US", "EUR": "de-DE", "GBP": "en-GB", "CAD": "en-CA", "AUD": "en-AU", "NZD": "en-NZ",
    "JPY": "ja-JP", "CNY": "zh-CN", "HKD": "zh-HK", "TWD": "zh-TW", "KRW": "ko-KR", "SGD": "en-SG",
    "INR": "en-IN", "BRL": "pt-BR", "MXN": "es-MX", "ARS": "es-AR", "CHF": "de-CH", "SEK": "sv-SE",
    "NOK": "nb-NO", "DKK": "da-DK", "PLN": "pl-PL", "CZK": "cs-CZ", "HUF": "hu-HU", "RON": "ro-RO",
    "TRY": "tr-TR", "ZAR": "en-ZA", "AED": "ar-AE", "IDR": "id-ID", "THB": "th-TH", "PHP": "en-PH",
}


def store_locale(currency: str | None, timezone: str | None) -> str:
    """The locale of a store with this currency and timezone (see the module docstring)."""
    if timezone and timezone in TIMEZONE_LOCALES:
        return TIMEZONE_LOCALES[timezone]
    if currency and currency.strip().upper() in CURRENCY_LOCALES:
        return CURRENCY_LOCALES[currency.strip().upper()]
    return DEFAULT_LOCALE
