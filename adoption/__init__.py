"""Government adoption (采信, issue 13): submissions of a dossier to an agency and the reviewers' desk,
self-declarations (自我声明) of enterprises that implement a published standard.

It sits to the right of exports (accounts ← authoring ← workflow ← exports ← adoption): the dossier
itself is built by `exports.dossier`; this package submits it, reads it back for the reviewer and
records the decision. Its blueprints, models and hooks are listed in wsgi.py.
"""
