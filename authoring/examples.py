"""Where the example standards are: `examples/` at the top of the repository, the one copy of them.

The demo loads two of them as the demo standard's revisions, the tests check them, the bench grows
its corpus from one and the docs point readers at them, all through this module, so the folder is
named once. The project runs from its own tree (`pip install -e .`), so the folder is found beside
the packages, never outside the repository.
"""

from __future__ import annotations

from pathlib import Path

#: the folder of the example standards (community-care.md, community-care-v2.md, en-sample.md)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_path(name: str) -> Path:
    """The file of the example `name` ("community-care"); the name is given without `.md`."""
    return EXAMPLES / f"{name}.md"


def example_text(name: str) -> str:
    """The text of the example `name`; a missing file raises, so a test that needs it fails."""
    return example_path(name).read_text(encoding="utf-8")


def example_paths() -> list[Path]:
    """Every example standard, by name; an empty or missing folder is an error, not zero examples."""
    paths = sorted(EXAMPLES.glob("*.md"))
    if not paths:
        raise FileNotFoundError(f"no example standards in {EXAMPLES}")
    return paths
