"""The background book maker's process (`python -m atlas.book_maker`, started by atlas.book.make):
a fresh app over the given database, at a lower priority, then the books of its build."""

import argparse
import os
import sys
from datetime import datetime, timezone

from . import create_app
from .book.make import make_site_books


def main(argv=None):
    parser = argparse.ArgumentParser(description="Make the site's books of the current build.")
    parser.add_argument("--db", required=True)
    parser.add_argument("--books", required=True)
    parser.add_argument("--server-name")
    parser.add_argument("--https", action="store_true")
    options = parser.parse_args(argv)
    app = create_app({"DATABASE": options.db, "BOOKS_DIR": options.books, "SECRET_KEY": "books-need-no-key",
                      "SERVER_NAME": options.server_name, "HTTPS": options.https})
    os.nice(10)  # the site's requests come first on a small machine
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        build_id = make_site_books(app, log=lambda line: print(f"{stamp} {line}", flush=True))
    except Exception as error:  # noqa: BLE001 - recorded in failed.json; the log gets the reason
        print(f"{stamp} the book failed: {error}", flush=True)
        return 1
    print(f"{stamp} books of build {build_id} are ready", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
