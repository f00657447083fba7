"""JSON parsing for stream chunks: orjson first, the standard library when orjson refuses.

Measured on this project's benchmark machine, ``json.loads`` of a typical 230-byte chat chunk
takes ~4.5 µs, more than everything else per chunk together; orjson takes ~1.5 µs. orjson is
stricter (no NaN/Infinity, integers up to 64 bits), so a chunk it refuses gets a second chance
with ``json.loads`` before it is called malformed.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads(data: str) -> Any:
    """Parse ``data``; raises ValueError if it is not JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)
