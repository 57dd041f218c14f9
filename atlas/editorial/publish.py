"""Publishing: a new public database from data/ plus every approved change.

It is `atlas build` with the approved changes as its overlay: the same validation, the same
temporary file and atomic rename, so a running site switches from one build to the next
between two requests. One publish runs at a time (a lock file next to the database).
No Flask here: `atlas publish`, the administrators' button and the tests call publish().
"""

import fcntl
import os
import re
from datetime import datetime, timezone
from pathlib import Path

from ..dataset.build import build
from . import localtime, store
from .records import as_overlay


def publish(conn, data_dir, db_path, who):
    """Build and swap in the public database; returns (build meta, number of changes
    published for the first time). Raises DataError (nothing written) when the result fails
    validation."""
    lock_path = Path(db_path).with_name(f".{Path(db_path).name}.publish.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        remove_leftovers(Path(db_path))
        at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        approved = store.approved_changes(conn)
        overlay = [as_overlay(change, today=localtime.local_date(at)) for change in approved]
        meta = build(data_dir, db_path, overlay)
        new = [c["id"] for c in approved if not c["published_at"]]
        store.mark_published(conn, who, new, at)
    return meta, len(new)


def remove_leftovers(db_path):
    """Remove the temporary files of a build that was killed (`.atlas.db.<pid>.tmp` and its
    journal): a build removes its own when it ends, but a killed process cannot. Only files of
    processes that no longer run are removed, so a build running beside this one keeps its."""
    pattern = re.compile(rf"^\.{re.escape(db_path.name)}\.(\d+)\.tmp(-journal|-wal|-shm)?$")
    for path in db_path.parent.iterdir():
        found = pattern.match(path.name)
        if found and not running(int(found.group(1))):
            path.unlink(missing_ok=True)


def running(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
