"""What the build writes whole for a page to read in one go (the professions list, each card):
JSON, stored as UTF-16 bytes.

Reading such a document is mostly turning its bytes into Python text, and the text is
Cyrillic: Python decodes UTF-8 into it character by character, but UTF-16 (the form it keeps
such text in) nearly as a copy. For the 63 KB list, 76 µs against 8 µs; SQLite hands a
BLOB over as it is, where a TEXT column is decoded from UTF-8 on the way."""

import json

ENCODING = "utf-16-le"


def dump_document(value):
    """The stored form of a document (the build)."""
    return json.dumps(value, ensure_ascii=False).encode(ENCODING)


def load_document(stored):
    """A document as the build gave it, from its stored form (or from the JSON text that
    builds wrote before documents were kept as UTF-16)."""
    return json.loads(stored if isinstance(stored, str) else stored.decode(ENCODING))
