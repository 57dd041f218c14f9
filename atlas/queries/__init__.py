"""Every SELECT of the site lives in this package: the pages' queries (localised to one
language) and the open-data records (both languages, as stored)."""

from .pages import *  # noqa: F401,F403
from .records import *  # noqa: F401,F403
