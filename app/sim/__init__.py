"""The simulated provider behind demo mode, the tests and the benchmarks: OpenAI's
chat.completions API and Anthropic's Messages API over the same answers.

``server`` runs it (``Simulator`` on a thread, ``serve`` for ``stepwise simulate``); ``api`` and
``api_anthropic`` route and check requests (``intake`` is what they share: recording, rate limits
from ``limits``, fault choice, ``badjson`` for the content fault); ``plan``, ``pacing`` and
``delivery`` pace the answer (by tokens, or by ``SimConfig.step_ms``) and inject faults in either
wire format (``wire``, ``wire_anthropic``); ``content`` and the modules it calls write answers
that fit each pipeline step (``intent``, ``planner``, ``reasoning`` with its ``proposal``,
``reply``). Qt-free, like all of ``app/``.
"""
