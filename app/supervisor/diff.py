"""The draft and the sent reply side by side: what changed, word by word, and how much.

``compare`` gives the edit measure the store keeps for the run (``app.store.edits``: Levenshtein
distance, ratio and level on whitespace-normalised text) and the segments a view marks. Segments
come from ``difflib.SequenceMatcher`` over words, punctuation marks and whitespace runs: a reply
is a few hundred of those, where difflib is quick and its opcodes are what a side-by-side view
needs. Whitespace runs compare equal to each other and whitespace added or removed is no change, so
a re-flowed paragraph shows none, as it counts none in the level; changes with only whitespace
between them are one change. Segments tile both texts: joining their ``draft_text`` gives the
draft back exactly, and joining their ``sent_text`` the sent reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from app.store.edits import measure

OPS = ("equal", "insert", "delete", "replace")
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    """A stretch of both texts: equal (its texts may differ in whitespace only), or changed.
    Offsets are character indexes, end-exclusive; an insert has no words on the draft's side
    and a delete none on the sent reply's."""

    op: str  # one of OPS
    draft_start: int
    draft_end: int
    sent_start: int
    sent_end: int
    draft_text: str
    sent_text: str


@dataclass(frozen=True)
class Comparison:
    draft: str
    sent: str
    distance: int  # Levenshtein distance between the whitespace-normalised texts
    ratio: float  # distance / the longer normalised text's length
    level: str  # "unedited" | "light" | "rewritten"
    segments: tuple[Segment, ...]

    @property
    def changed(self) -> tuple[Segment, ...]:
        return tuple(segment for segment in self.segments if segment.op != "equal")


def compare(draft: str, sent: str) -> Comparison:
    found = measure(draft, sent)
    return Comparison(draft, sent, found.distance, found.ratio, found.level, segments(draft, sent))


def segments(draft: str, sent: str) -> tuple[Segment, ...]:
    before, after = _tokens(draft), _tokens(sent)
    before_at, after_at = _offsets(before), _offsets(after)
    matcher = SequenceMatcher(None, _keys(before), _keys(after), autojunk=False)
    found: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a1, a2, b1, b2 = before_at[i1], before_at[i2], after_at[j1], after_at[j2]
        found = _joined(found, Segment(op, a1, a2, b1, b2, draft[a1:a2], sent[b1:b2]))
    return tuple(found)


def _joined(found: list[Segment], segment: Segment) -> list[Segment]:
    """``found`` with ``segment`` added: whitespace that differs (at the ends) is no edit, and
    changes with only whitespace between them ("ships today" -> "shipped this morning") are one
    change, as a reader sees them."""
    if segment.op != "equal" and not (segment.draft_text + segment.sent_text).strip():
        segment = Segment("equal", *_span(segment), segment.draft_text, segment.sent_text)
    if found and found[-1].op == "equal" and segment.op == "equal":
        return [*found[:-1], _merge(found[-1], segment)]
    if segment.op != "equal" and found and found[-1].op != "equal":
        return [*found[:-1], _merge(found[-1], segment)]
    gap = found[-1] if found else None
    if (
        segment.op != "equal"
        and len(found) >= 2
        and gap is not None
        and not (gap.draft_text + gap.sent_text).strip()
        and found[-2].op != "equal"
    ):
        return [*found[:-2], _merge(_merge(found[-2], gap), segment)]
    return [*found, segment]


def _span(segment: Segment) -> tuple[int, int, int, int]:
    return segment.draft_start, segment.draft_end, segment.sent_start, segment.sent_end


def _merge(first: Segment, second: Segment) -> Segment:
    draft_text, sent_text = first.draft_text + second.draft_text, first.sent_text + second.sent_text
    if first.op == second.op == "equal":
        op = "equal"
    elif draft_text.strip() and sent_text.strip():
        op = "replace"
    else:
        op = "insert" if sent_text.strip() else "delete"
    return Segment(
        op,
        first.draft_start,
        second.draft_end,
        first.sent_start,
        second.sent_end,
        draft_text,
        sent_text,
    )


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _keys(tokens: list[str]) -> list[str]:
    return [" " if token.isspace() else token for token in tokens]


def _offsets(tokens: list[str]) -> list[int]:
    """Character offset of each token's start, plus the text's length at the end."""
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets
