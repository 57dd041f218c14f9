"""What is wrong in data/, said so that an editor can find and fix it."""

from dataclasses import dataclass

LANGS = ("kk", "ru")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in data/, said so that an editor can find and fix it."""

    file: str
    where: str  # "line 4" for a CSV row, "record drone-operator" for a YAML file
    field: str
    message: str

    def __str__(self):
        field = f" field '{self.field}':" if self.field else ""
        return f"{self.file}: {self.where}:{field} {self.message}"


class DataError(Exception):
    """Raised when data/ cannot be built; carries every problem found, not just the first."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in data/")
