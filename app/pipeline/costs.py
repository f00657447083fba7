"""What a step cost: usage × the model's price (``resources/prices.json``, editable; Settings
overrides win). Models are matched by name, then by the longest known prefix, so a dated model id
(``gpt-4.1-2025-04-14``) finds its family's price. Unknown models cost None, shown as "no price"."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from app.paths import resource_path


@dataclass(frozen=True)
class Price:
    input_per_mtok: float
    output_per_mtok: float


@cache
def shipped_prices() -> dict[str, Price]:
    data = json.loads(resource_path("prices.json").read_text(encoding="utf-8"))
    return {name: Price(p["input"], p["output"]) for name, p in data["models"].items()}


class PriceTable:
    def __init__(self, overrides: Mapping[str, Price] | None = None) -> None:
        self._prices = {**shipped_prices(), **(overrides or {})}

    def price(self, model: str) -> Price | None:
        if model in self._prices:
            return self._prices[model]
        known = [name for name in self._prices if model.startswith(name)]
        return self._prices[max(known, key=len)] if known else None

    def cost(self, model: str, input_tokens: int, output_tokens: int) -> float | None:
        price = self.price(model)
        if price is None:
            return None
        return (input_tokens * price.input_per_mtok + output_tokens * price.output_per_mtok) / 1e6
