"""State-funded places of the colleges' offerings, one row a year (the state_order table): the one
query that every page, export and API answer showing places goes through."""

import sqlite3

from .clauses import where

__all__ = ["list_state_order", "add_state_order"]


def list_state_order(db, college=None, specialty=None):
    """{(college, specialty): [{"year", "places", "source"}, newest first]} of one college's or one
    specialty's offerings (or of all). An offering without a figure is simply absent."""
    try:
        found = db.execute(f"""select college, specialty, year, places, source from state_order
                               {where(college=college, specialty=specialty)}
                               order by college, specialty, year desc""",
                           {"college": college, "specialty": specialty}).fetchall()
    except sqlite3.OperationalError as error:  # a database built before places were kept per year
        if "no such table" in str(error):
            return {}
        raise
    by_offering = {}
    for r in found:
        by_offering.setdefault((r["college"], r["specialty"]), []).append(
            {"year": r["year"], "places": r["places"], "source": r["source"]})
    return by_offering


def add_state_order(db, offerings, college=None, specialty=None):
    """The offerings, each with `state_order` (every year, newest first) and `places` (the latest
    year's {"year", "places", "source"}, or None: "no data", never zero)."""
    by_offering = list_state_order(db, college=college, specialty=specialty)
    for offering in offerings:
        years = by_offering.get((offering["college"], offering["specialty"]), [])
        offering["state_order"] = years
        offering["places"] = years[0] if years else None
    return offerings
