"""How every page writes a date and a date with time: one pattern per kind in each language.

Babel's named formats ("short", "medium") differ between kinds and languages ("12/2/26, 11:06 AM"
beside "Dec 2, 2026, 11:10:08 AM"), so pages and views call `show_date` and `show_datetime` instead
of format_date/format_datetime. Times are shown in the configured time zone (BABEL_DEFAULT_TIMEZONE).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_datetime, get_locale

#: the Babel pattern of a date, per language: 2026年12月2日, Dec 2, 2026
DATE_PATTERNS = {"zh": "y年M月d日", "en": "MMM d, y"}
#: the Babel pattern of a date and time (24-hour clock, minutes): 2026年12月2日 11:06, Dec 2, 2026, 11:06
DATETIME_PATTERNS = {"zh": "y年M月d日 HH:mm", "en": "MMM d, y, HH:mm"}
#: the language whose patterns serve a locale we have no pattern for
FALLBACK_LANGUAGE = "zh"


def _language() -> str:
    locale = get_locale()
    language = locale.language if locale is not None else FALLBACK_LANGUAGE
    return language if language in DATE_PATTERNS else FALLBACK_LANGUAGE


def show_date(value: date | datetime | None) -> str:
    """`value` as a date in the reader's language ("" for none); a datetime is taken in local time."""
    if value is None:
        return ""
    return str(format_date(value, DATE_PATTERNS[_language()]))


def show_datetime(value: datetime | None) -> str:
    """`value` as a date and time to the minute, local time, in the reader's language ("" for none)."""
    if value is None:
        return ""
    return str(format_datetime(value, DATETIME_PATTERNS[_language()]))
