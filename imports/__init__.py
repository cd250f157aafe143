"""Word files in: a DOCX read by pandoc and mapped to Standard Markdown (issue 14).

To the right of exports in the one direction of imports (accounts ← authoring ← workflow ← exports ←
imports): it reuses exports.pandoc's sandboxed runner, and wsgi.py and stdforge.py compose it. The
mapping itself (`imports.mapping`, `imports.references`) is pure, so the command line, the pages and
the tests run the same code.
"""
