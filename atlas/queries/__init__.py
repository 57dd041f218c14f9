"""Every SELECT of the site lives in this package: the pages' queries (localised to one
language) and the open-data records (both languages, as stored)."""

from .cards import gather_profession_card, get_profession_card  # noqa: F401
from .changes import get_addition, get_college_provenance, get_offering_origins, list_published_changes  # noqa: F401
from .colleges import *  # noqa: F401,F403
from .pages import *  # noqa: F401,F403
from .places import *  # noqa: F401,F403
from .records import *  # noqa: F401,F403
