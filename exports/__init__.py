"""Exports: the finished standard as GB/T 1.1 DOCX and PDF, HTML, NISO STS XML, and redlines.

Entry point: `exports.api.export_document` (and `export_redline`); `stdforge export` on the command line.
"""

#: changes whenever an export's layout or content rules change: part of the web app's cache key
TEMPLATE_VERSION = "2026.11-1"
