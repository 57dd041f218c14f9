"""How an import's provenance is written into a change and read back for the pages: plain text
that the importers, the build and the queries all share."""

import re

IMPORT_SOURCE = re.compile(r"^the education department's (?P<table>state-order table|college registry) (?P<file>.+), "
                           r"imported (?P<date>\d{4}-\d{2}-\d{2}) by (?P<who>.+)$")


def read_import_source(text):
    """{"table", "file", "date", "who"} of an import's provenance text, or None for any other source."""
    found = IMPORT_SOURCE.match(text or "")
    return found.groupdict() if found else None
