"""A lint finding: where a rule fired and what to tell the drafter, in Chinese and English.

A finding keeps its message as a key into the message table plus the values to fill in, not as
finished text, so the same finding reads in either language (`stdforge lint --lang`, the editor's
panel in the user's language) and tests can assert on the data rather than on wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codes import SEVERITY, Severity
from .messages import MESSAGES

#: a value for a message template: the same in both languages, or (zh, en)
Param = str | tuple[str, str]


@dataclass(frozen=True)
class Finding:
    """One place where one rule fired; `clause` is the number of the element it is in, if any."""

    rule: str
    severity: Severity
    line: int
    clause: str | None
    #: key into MESSAGES: the rule code, or "CODE/variant" where a rule says different things
    key: str
    params: tuple[tuple[str, Param], ...] = ()

    def message(self, lang: str = "zh") -> str:
        """The message in `lang` ("zh" or "en"; anything else reads as Chinese)."""
        index = 1 if lang == "en" else 0
        template = MESSAGES[self.key][index]
        values = {name: value[index] if isinstance(value, tuple) else value for name, value in self.params}
        return template.format(**values)

    def as_json(self, lang: str = "zh") -> dict[str, object]:
        """The spec §4 JSON shape: exactly rule, severity, line, clause and message."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "line": self.line,
            "clause": self.clause,
            "message": self.message(lang),
        }


def finding(rule: str, line: int, clause: str | None, variant: str = "", **params: Param) -> Finding:
    """Build a finding of `rule` with its severity from the spec table and message `rule/variant`."""
    key = f"{rule}/{variant}" if variant else rule
    if key not in MESSAGES:  # a typo here would otherwise surface only when someone reads the message
        raise KeyError(f"no message for {key}")
    return Finding(rule, SEVERITY[rule], line, clause, key, tuple(sorted(params.items())))
