"""Ballots: vote rules as data, the exact tally, and the ballot's life (open, cast, close, result).

`rules` and `tally` import neither Flask nor SQLAlchemy, so `stdforge tally`, the server and the
tests compute a result with the same code.
"""
