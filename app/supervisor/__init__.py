"""The supervisor view's core (issue 6), Qt-free: figures, draft-vs-sent diffs, inspections and
exports built on the store's queries (``app.store.supervision``). The windows live in ``ui/``."""
