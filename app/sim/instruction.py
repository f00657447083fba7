"""What the reply writer makes of the agent's instruction for a regenerated reply.

The agent types a few words beside Regenerate ("shorter", "more formal", "in Spanish"); the
pipeline quotes them in the reply step's CONTEXT block as ``instruction``. A real model follows
them freely; the simulator understands these three kinds, so the demo visibly does what was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LANGUAGES = (
    (re.compile(r"spanish|español|espanol", re.IGNORECASE), "es"),
    (re.compile(r"chinese|中文|汉语|普通话"), "zh"),
    (re.compile(r"english", re.IGNORECASE), "en"),
)
_SHORTER = re.compile(r"short|brief|concise|简短", re.IGNORECASE)
_FORMAL = re.compile(r"formal|polite|正式", re.IGNORECASE)


@dataclass(frozen=True)
class Asked:
    language: str | None = None
    shorter: bool = False
    formal: bool = False


def read_instruction(text: str) -> Asked:
    language = next((code for pattern, code in _LANGUAGES if pattern.search(text)), None)
    return Asked(language, bool(_SHORTER.search(text)), bool(_FORMAL.search(text)))


def shorter(body: str) -> str:
    """The gist: greeting, the first and the last paragraph of the message itself, sign-off; the
    paragraphs between and the closing pleasantry go."""
    paragraphs = body.split("\n\n")
    if len(paragraphs) <= 4:
        return body
    greeting, *middle, _closing, sign_off = paragraphs
    return "\n\n".join([greeting, middle[0], middle[-1], sign_off])


def formal(body: str) -> str:
    body = re.sub(r"^(?:Hi|Hello)\b\s*", "Dear ", body, count=1)
    body = body.replace("Dear ,", "Dear customer,")
    for casual, polite in (("I'll", "I will"), ("you've", "you have"), ("it's", "it is")):
        body = body.replace(casual, polite)
    return body.replace("Best regards,", "Yours sincerely,")
