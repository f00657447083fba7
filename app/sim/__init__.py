"""The simulated OpenAI-compatible provider behind demo mode, the tests and the benchmarks.

``server`` runs it (``Simulator`` on a thread, ``serve`` for ``stepwise simulate``); ``api`` and
``delivery`` speak the wire format and inject faults; ``content`` and the modules it calls write
answers that fit each pipeline step. Qt-free, like all of ``app/``.
"""
