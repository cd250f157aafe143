"""The registry's full-text index of published standards, kept in step by the publishing verb.

`index_published(standard, text)` is called by `workflow.operations.publish` in the same unit of work
that gives the standard its number, so a standard is findable exactly when its publication commits.
"""

from __future__ import annotations

from authoring.models import Standard


def index_published(standard: Standard, text: str) -> None:
    """Make `standard` (just published, `text` its final revision) findable in the registry."""
