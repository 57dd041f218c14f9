"""Times as the region reads them: East Kazakhstan keeps UTC+5 (all of Kazakhstan since
1 March 2024, the zone Asia/Almaty in the tz database).

The editing database stores UTC; every page, the CLI and the public dates show the region's
local time with its zone, so that "approved at 23:30" is not read as the wrong day.
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FIXED = timezone(timedelta(hours=5), "UTC+5")


def region_zone(name="Asia/Almaty"):
    """The tz database's Asia/Almaty when it already has the 2024 change to +05 (tzdata 2024a or
    later), else a fixed UTC+5: an older tzdata would put every time an hour late."""
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return FIXED
    if zone.utcoffset(datetime(2025, 1, 1)) != timedelta(hours=5):
        return FIXED
    return zone


REGION = region_zone()


def parse(value):
    """A stored time (ISO 8601, UTC when it names no zone) as an aware datetime; None if empty."""
    if not value:
        return None
    if isinstance(value, datetime):
        found = value
    else:
        try:
            found = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return found if found.tzinfo else found.replace(tzinfo=timezone.utc)


def local(value, zone=None):
    found = parse(value)
    return found.astimezone(zone or REGION) if found else None


def zone_label(moment):
    """"UTC+5": the offset as people in the region name it."""
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def format_time(value, zone=None):
    """"06.12.2026 09:41 (UTC+5)", or "" when there is no time. Day.month.year is how both
    Kazakh and Russian write dates."""
    moment = local(value, zone)
    if moment is None:
        return ""
    return f"{moment:%d.%m.%Y %H:%M} ({zone_label(moment)})"


def format_day(value, zone=None):
    """The local date only: "06.12.2026". A bare date (YYYY-MM-DD) is already the region's."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return f"{date.fromisoformat(value):%d.%m.%Y}"
        except ValueError:
            return value
    moment = local(value, zone)
    return f"{moment:%d.%m.%Y}" if moment else ""


def local_date(value=None, zone=None):
    """The region's calendar date of a stored time (now when None), as YYYY-MM-DD."""
    moment = local(value or datetime.now(timezone.utc), zone)
    return moment.date().isoformat()


def today():
    return date.fromisoformat(local_date())
