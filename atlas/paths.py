"""Where the project's folders are: data/, instance/, static/ and translations/ sit beside atlas/."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
