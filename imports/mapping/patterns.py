"""What a Word standard's typed text looks like: clause numbers, annex titles, labels, captions."""

from __future__ import annotations

import re

#: a typed clause number and what follows it: "4.2　要求", "A.1.2 General", "0.1 编制背景"
NUMBERED = re.compile(r"^((?:\d+|[A-Z])(?:\.\d+)*)(?:[\s\u3000]+|(?=[\u3400-\u9fff]))(.*)$", re.S)
ANNEX = re.compile(
    r"^(?:附\s*录\s*([A-Z])|Annex\s+([A-Z]))\s*[（(]\s*(规范性|资料性|normative|informative)\s*[）)]\s*(.*)$",
    re.S | re.IGNORECASE,
)
ANNEX_ALONE = re.compile(r"^(?:附\s*录\s*([A-Z])|Annex\s+([A-Z]))$")
ANNEX_STATUS = re.compile(r"^[（(]\s*(规范性|资料性|normative|informative)\s*[）)]$", re.IGNORECASE)
TERM_NUMBER = re.compile(r"^3(\.\d+)+$")
NOTE = re.compile(r"^(注|示例)\s*(\d+)?\s*[：:]\s*|^(NOTE|EXAMPLE)(\s+\d+)?(\s*:\s*|[\s\u2003]+)")
LIST_ALPHA = re.compile(r"^([a-z])[)）]\s*")
LIST_DIGIT = re.compile(r"^(\d{1,2})[)）]\s*")
LIST_DASH = re.compile(r"^(——|—|•|·|●|○|■|–)\s*")
CAPTION = re.compile(
    r"^(?:表|Table)\s*([A-Z]\.)?\d+\s*(?:（续）|\(continued\))?[\s\u3000—–-]*(.*)$", re.S | re.IGNORECASE
)
FIGURE_CAPTION = re.compile(r"^(?:图|Figure)\s*([A-Z]\.)?\d+[\s\u3000—–-]*(.*)$", re.S | re.IGNORECASE)
PLACEHOLDER = re.compile(r"^(?:图片缺失|Figure missing)[：:]\s*figures/(\S+)$")
EQUATION_NUMBER = re.compile(r"^[（(]([A-Z]\.)?\d+[)）]$")
FIXED = {
    "前言": "foreword",
    "foreword": "foreword",
    "引言": "introduction",
    "introduction": "introduction",
    "参考文献": "bibliography",
    "bibliography": "bibliography",
}
TOC_TITLES = {"目次", "目录", "contents", "table of contents"}
ID = re.compile(r"[A-Za-z][\w.-]{0,80}")
CJK = re.compile(r"[\u3400-\u9fff]")
SPLIT_TERM = re.compile(r"^(.*?[\u3400-\u9fff）)\]】])[\s\u3000]*([A-Za-z].*)$")
PICTURE = {"png": "png", "jpg": "jpg", "jpeg": "jpg"}
