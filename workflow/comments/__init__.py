"""Comments and their dispositions: clause-anchored comments that follow the text into new revisions.

models (rows), anchoring (the pure re-anchoring), permissions (who may comment, edit, dispose),
operations (the verbs), views and api (the two doors), tables (what the 汇总处理表 and the ISO
template list, for exports), cli (`stdforge reanchor`), desk (comments waiting for a disposition).
"""
