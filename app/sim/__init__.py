"""The simulated provider behind demo mode, the tests and the benchmarks: OpenAI's
chat.completions API and Anthropic's Messages API over the same answers.

``server`` runs it (``Simulator`` on a thread, ``serve`` for ``stepwise simulate``); ``api`` and
``api_anthropic`` route and check requests (``intake`` is what they share: recording, rate limits
from ``limits``, fault choice); ``plan`` and ``delivery`` pace the answer and inject faults in
either wire format (``wire``, ``wire_anthropic``); ``content`` and the modules it calls write
answers that fit each pipeline step. Qt-free, like all of ``app/``.
"""
