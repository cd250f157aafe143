"""Provision verbs in running text: a requirement is a verb, not a character.

GB/T 1.1—2020 Table 3 (ISO/IEC Directives Part 2, clause 7) expresses requirements with 应 / 不应
(shall / shall not), recommendations with 宜 / 不宜, permissions with 可 / 不必, possibility and
capability with 能 / 不能, 可能 / 不可能. The character 应 also sits in many words that are no verb
(应急, 相应, 供应 …), so Chinese text is segmented with jieba, its dictionary extended with the verbs
and with those words. jieba also glues 应 to the next character where its dictionary has the pair
(间距应从…算起 → 应从; 应予以, 应立即): such a token is the verb 应 plus the rest, unless it is a known
word in which 应 is no verb.

Segmenting a whole standard would blow the speed budget, so a precompiled regex finds the candidate
characters and only a short window around each (at most eight characters either side, cut at
punctuation) goes to jieba. jieba itself is loaded once per process, lazily, on the first candidate:
its dictionary costs ~0.7 s to build and is then cached on disk (see `_cache_dir`).

A rule that needs judgement errs toward silence: an ambiguous word (应对, 应付, 应用) counts only
when the context settles it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from ..cache import cache_dir

if TYPE_CHECKING:
    import jieba


class ProvisionKind(StrEnum):
    REQUIREMENT = "requirement"
    RECOMMENDATION = "recommendation"
    PERMISSION = "permission"
    POSSIBILITY = "possibility"


@dataclass(frozen=True)
class Provision:
    """A provision verb found in a text: its kind, the verb as written, and where it is."""

    kind: ProvisionKind
    verb: str
    start: int
    end: int


#: the Chinese verbs of GB/T 1.1 Table 3, as whole jieba tokens
VERBS_ZH: dict[str, ProvisionKind] = {
    "应": ProvisionKind.REQUIREMENT,
    "不应": ProvisionKind.REQUIREMENT,
    "应当": ProvisionKind.REQUIREMENT,
    "应该": ProvisionKind.REQUIREMENT,
    "宜": ProvisionKind.RECOMMENDATION,
    "不宜": ProvisionKind.RECOMMENDATION,
    "可": ProvisionKind.PERMISSION,
    "不必": ProvisionKind.PERMISSION,
    "能": ProvisionKind.POSSIBILITY,
    "不能": ProvisionKind.POSSIBILITY,
    "可能": ProvisionKind.POSSIBILITY,
    "不可能": ProvisionKind.POSSIBILITY,
}

#: words in which 应 is no provision verb (yìng "respond", or part of a noun); a token containing one of
#: these around its 应 is not a requirement
NON_PROVISION_WORDS: frozenset[str] = frozenset(
    """
    应急 相应 响应 反应 应用 供应 适应 对应 效应 感应 顺应 呼应 应答 应变 回应 答应
    照应 接应 策应 报应 因应 侍应 支应 救应 内应 一应 宝应 酬应 虚应 灵应 符应 承应
    肆应 庆应 理应 必应 应力 应酬 应聘 应征 应邀 应届 应试 应考 应运 应声 应战 应景
    应诺 应允 应验 应召 应募 应诊 应诉 应付 应收 应税 应纳税 应激 应时 应门 应卯 应市
    应手 应承 应招 应援 应敌 应然 应物 应节 应许 应约 应和 应名 应制 应举 应天 应城
    应县 应接不暇 应有尽有 应知应会 应对 应有 应得 应尽
    """.split()  # noqa: SIM905 - a word list reads best as text
)

_LONGEST_WORD = max(map(len, NON_PROVISION_WORDS))

#: adjectives in which 可 is no permission; jieba would otherwise cut 可持续 into 可 / 持续
ADJECTIVES_WITH_KE: tuple[str, ...] = (
    "可持续",
    "可追溯",
    "可回收",
    "可降解",
    "可再生",
    "可调节",
    "可拆卸",
    "可替代",
)

#: a glued X应 token whose X is one of these adverbs is still the verb: 均应, 尚应, 亦应 …
_ADVERBS = frozenset("均尚亦也还仍则都皆更又即须凡所自确总并")

#: 应对 is "cope with" as a word, but "应对X进行…" is the verb 应 with the preposition 对
_DUI_ACTION = re.compile(r"进行|作出|做出|加以|予以|实施|开展|采取|提出|给予|处理|检查|核对|审核|评估|记录")

_CANDIDATES_ZH = re.compile(r"[应宜可能必]")
_CANDIDATES_REQUIREMENT_ZH = re.compile(r"应")
#: a window for segmentation ends at punctuation or white space
_CLAUSE_BREAK = re.compile(r"[\s。；;！!？?，,：:、（）()\[\]【】《》“”\"'‘’…—]")
_WINDOW = 8

_SHALL = re.compile(r"(?<![A-Za-z])shall(?:\s+not)?(?![A-Za-z])", re.IGNORECASE)
_VERBS_EN = re.compile(
    r"(?<![A-Za-z])(?:shall(?:\s+not)?|should(?:\s+not)?|may|need\s+not|can(?:not)?)(?![A-Za-z])",
    re.IGNORECASE,
)
_KIND_EN = {
    "shall": ProvisionKind.REQUIREMENT,
    "should": ProvisionKind.RECOMMENDATION,
    "may": ProvisionKind.PERMISSION,
    "need": ProvisionKind.PERMISSION,
    "can": ProvisionKind.POSSIBILITY,
    "cannot": ProvisionKind.POSSIBILITY,
}


def find_requirements(text: str) -> list[Provision]:
    """应 / 不应 / 应当 / 应该 used as verbs, and shall / shall not, in source order."""
    found = [p for p in _chinese(text, _CANDIDATES_REQUIREMENT_ZH) if p.kind is ProvisionKind.REQUIREMENT]
    found.extend(_english(text, _SHALL))
    return sorted(found, key=lambda p: p.start)


def find_provisions(text: str) -> list[Provision]:
    """Every provision verb of GB/T 1.1 Table 3 (or its English form), in source order."""
    found = list(_chinese(text, _CANDIDATES_ZH))
    found.extend(_english(text, _VERBS_EN))
    return sorted(found, key=lambda p: p.start)


def _english(text: str, pattern: re.Pattern[str]) -> Iterator[Provision]:
    for match in pattern.finditer(text):
        verb = match.group()
        first = verb.split()[0].lower()
        yield Provision(_KIND_EN[first], verb, match.start(), match.end())


def _chinese(text: str, candidates: re.Pattern[str]) -> Iterator[Provision]:
    done = -1  # a token holding several candidates (不可能) is reported once
    for match in candidates.finditer(text):
        position = match.start()
        if position < done:
            continue
        clause_start, clause_end = _clause(text, position)
        window_start = max(clause_start, position - _WINDOW)
        window_end = min(clause_end, position + _WINDOW + 1)
        token_start, token = _token_at(text[window_start:window_end], position - window_start)
        start = window_start + token_start
        provision = _classify(token, position - start, text[start + len(token) : clause_end])
        if provision is not None:
            kind, verb, offset = provision
            yield Provision(kind, verb, start + offset, start + offset + len(verb))
            done = start + len(token)


def _clause(text: str, position: int) -> tuple[int, int]:
    """The span between the punctuation marks around `position`."""
    start = position
    while start > 0 and not _CLAUSE_BREAK.match(text, start - 1):
        start -= 1
        if position - start > 4 * _WINDOW:
            break
    following = _CLAUSE_BREAK.search(text, position + 1)
    end = following.start() if following else len(text)
    return start, end


def _classify(token: str, at: int, after: str) -> tuple[ProvisionKind, str, int] | None:
    """Whether `token` (with a candidate at `at`) is a provision verb: (kind, verb, offset in token)."""
    if token in VERBS_ZH:
        return VERBS_ZH[token], token, 0
    if token[at] != "应":
        return None  # 可, 宜, 能 … count only as whole tokens: 可以, 能力, 宜居 are no verbs here
    if _in_known_word(token, at):
        return _ambiguous(token, at, after)
    prefix = token[:at]
    if prefix in ("", "不") or all(char in _ADVERBS for char in prefix):
        verb = "不应" if prefix.endswith("不") else "应"
        return ProvisionKind.REQUIREMENT, verb, at - len(verb) + 1
    if len(token) == 3 and at == 2:
        return ProvisionKind.REQUIREMENT, "应", at  # 教师应: a noun glued to the verb (not 一呼百应)
    return None


def _in_known_word(token: str, at: int) -> bool:
    """Whether a non-provision word covers the 应 at `at` in `token` (相应 in 采取相应, 应急 in 应急灯)."""
    for start in range(max(0, at - _LONGEST_WORD + 1), at + 1):
        for end in range(at + 1, min(len(token), start + _LONGEST_WORD) + 1):
            if token[start:end] in NON_PROVISION_WORDS:
                return True
    return False


def _ambiguous(token: str, at: int, after: str) -> tuple[ProvisionKind, str, int] | None:
    """A word that is the verb 应 only in some contexts; where the context does not say, silence."""
    word = token[at:]
    requirement = (ProvisionKind.REQUIREMENT, "应", at)
    if word == "应对":  # 应对X进行分析 = shall analyse X; 应对措施 = countermeasures
        return requirement if _DUI_ACTION.search(after) else None
    if word == "应征":  # 应征得同意 = shall obtain consent; 应征入伍 = enlist
        return requirement if after.startswith("得") else None
    if word in ("应有", "应得", "应尽"):  # 应有记录 = shall have records; 应有的作用 = due role
        return None if after.startswith("的") else requirement
    return None


@lru_cache(maxsize=4096)
def _segment(window: str) -> tuple[str, ...]:
    return tuple(_tokenizer().cut(window, HMM=False))


def _token_at(window: str, position: int) -> tuple[int, str]:
    """The jieba token covering `position` in `window`, with its start."""
    start = 0
    for token in _segment(window):
        if start <= position < start + len(token):
            return start, token
        start += len(token)
    return position, window[position]


_lock = threading.Lock()
_loaded: jieba.Tokenizer | None = None


def _tokenizer() -> jieba.Tokenizer:
    """jieba's tokenizer with the provision verbs and non-provision words, built once per process."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.tmp_dir = _cache_dir()
                tokenizer.initialize()
                for word in (*VERBS_ZH, *NON_PROVISION_WORDS, *ADJECTIVES_WITH_KE):
                    tokenizer.add_word(word)
                _loaded = tokenizer
    return _loaded


def warm_up() -> None:
    """Load jieba now (a server calls this at start so the first lint does not pay ~0.7 s)."""
    _tokenizer()


def _cache_dir() -> str:
    """Where jieba keeps its built dictionary (see `cache.cache_dir`)."""
    return str(cache_dir())
