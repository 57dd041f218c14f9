"""What an import plan is made of: problems, decisions waiting for the administrator, changes."""

from dataclasses import dataclass, field


@dataclass
class Problem:
    """A reason a row cannot be imported as it is, by row and column. decision: the file is fine but
    the administrator must decide (a college that fits two, a record to create, a conflict)."""
    row: int
    column: str
    msgid: str
    params: dict = field(default_factory=dict)
    decision: bool = False


@dataclass
class Decision:
    """A name the atlas cannot place on its own, with its candidates [(slug, score)] and rows."""
    kind: str  # college, specialty, header
    value: str
    how: str  # ambiguous, fuzzy, none
    candidates: list = field(default_factory=list)
    rows: list = field(default_factory=list)


@dataclass
class Change:
    """One approved change to record: kind offering, college or specialty."""
    college: str
    specialty: str
    data: dict
    before: dict
    new: bool
    rows: list
    kind: str = "offering"


@dataclass
class Conflict:
    """A value the college provided and the department approved, which the table would replace."""
    college: str
    specialty: str
    field: str
    current: object
    table: object
    rows: list
