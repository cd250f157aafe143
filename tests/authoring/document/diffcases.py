"""Small standards for the diff tests: written out in full so each test shows what it compares."""

from __future__ import annotations

from authoring.document import Document, parse

FRONT = """---
title:
  zh: 测试标准
association: 测试协会
language: {language}
---

"""


def standard(body: str, *, language: str = "zh") -> str:
    """A standard's text: front matter, then `body` as written."""
    return FRONT.format(language=language) + body.strip("\n") + "\n"


def doc(body: str, *, language: str = "zh") -> Document:
    return parse(standard(body, language=language))


BASE = """
# 前言 {.foreword}

本文件按照GB/T 1.1—2020的规定起草。

# 范围 {#scope}

本文件规定了服务的要求。

# 基本要求 {#ch-basic}

## 服务机构 {#c-provider}

服务机构应依法登记。

## 服务人员 {#c-staff}

服务人员应持证上岗。

## 服务协议 {#c-agreement}

服务机构应与服务对象签订服务协议。

# 服务流程 {#ch-process}

## 服务受理 {#c-intake}

服务机构应在2个工作日内受理申请。

## 服务评估 {#c-assessment}

服务机构应在提供服务前进行评估，评估人员不应少于2名，评估结果应记入档案。
"""
