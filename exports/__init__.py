"""Exports: the finished standard as GB/T 1.1 DOCX and PDF, HTML, NISO STS XML, and redlines.

    from exports.api import export_document, export_redline
    result = export_document(text, "docx", figures={"flow.png": png}, progress=report)
    result.data, result.filename ("T-SZYL-3-2025.docx"), result.media_type, result.sha256, result.warnings

How: the document core parses and numbers the Markdown; blocks.py turns the tree into a pandoc AST
with every number, label and caption already resolved (no raw node from the source ever reaches
pandoc); one sandboxed pandoc run writes DOCX (reference DOCX from styles.py) or Typst (template in
typst_template.py, compiled by the `typst` package after a CJK font check). `stdforge export` on the
command line (cli.py).
"""

#: changes whenever an export's layout or content rules change: part of the web app's cache key
TEMPLATE_VERSION = "2026.12-1"
