"""Demo data: parse the seed JSON into records and load it into an empty store.

``resources/demo/seed.json`` holds a fictional shop, Northwind Goods, with keys ``customers``,
``orders`` (each with ``items``), ``policies``, ``policy_limits`` and ``tickets``, whose fields are
exactly those of the records in ``models``. ``seed_demo`` loads it once, in one transaction, into a
store with no tickets; on a later start it only adds policy limits the store lacks (a demo database
made before schema 2 has none).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from app.paths import resource_path

from .errors import StoreBug
from .models import Customer, Order, OrderItem, PolicyArticle, PolicyLimit, Ticket

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger("stepwise.store")

_R = TypeVar("_R")


@dataclass(frozen=True)
class SeedRecords:
    customers: tuple[Customer, ...]
    orders: tuple[Order, ...]
    policies: tuple[PolicyArticle, ...]
    policy_limits: tuple[PolicyLimit, ...]
    tickets: tuple[Ticket, ...]


def seed_demo(store: Store) -> bool:
    """Fill an empty store with the bundled demo data. True when it loaded, False when the store
    already had tickets (so calling it on every start is safe)."""
    if not store.is_empty():
        _add_missing_limits(store)
        return False
    # load_seed checks emptiness again inside its transaction, in case another window won.
    loaded = store.load_seed(_read_demo_seed(), if_empty=True)
    if loaded:
        log.info("demo data loaded from %s", resource_path("demo", "seed.json"))
    return loaded


def _add_missing_limits(store: Store) -> None:
    # A demo database seeded before schema 2 has tickets but no policy limits, and the reasoning
    # step cites them: add them once. Only for policies the store has (the foreign key).
    if store.policy_limits():
        return
    wanted = parse_seed(_read_demo_seed()).policy_limits
    added = store.add_missing_policy_limits(
        [limit for limit in wanted if store.policy(limit.policy_id) is not None]
    )
    if added:
        log.info("added %d demo policy limits to an existing demo database", added)


def _read_demo_seed() -> Any:
    path = resource_path("demo", "seed.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise StoreBug(
            f"Could not load the demo data from {path} ({err}). The installation looks "
            "incomplete; reinstalling Stepwise should fix it."
        ) from err


def parse_seed(data: Mapping[str, Any]) -> SeedRecords:
    """Records from seed JSON; raises StoreBug naming the first bad entry."""
    try:
        return SeedRecords(
            customers=_parse_list(data, "customers", Customer, _customer),
            orders=_parse_list(data, "orders", Order, _order),
            policies=_parse_list(data, "policies", PolicyArticle, _policy),
            policy_limits=_parse_list(data, "policy_limits", PolicyLimit, _policy_limit),
            tickets=_parse_list(data, "tickets", Ticket, _ticket),
        )
    except _SeedFormatError as err:
        raise StoreBug(f"The seed data is malformed: {err}.") from err


class _SeedFormatError(ValueError):
    pass


def _parse_list(
    data: Mapping[str, Any], key: str, cls: type[_R], build: Callable[[Mapping[str, Any]], _R]
) -> tuple[_R, ...]:
    entries = data.get(key, [])
    if not isinstance(entries, list):
        raise _SeedFormatError(f"'{key}' must be a list")
    records = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise _SeedFormatError(f"{key}[{index}] must be an object")
        where = f"{key}[{index}] ({entry.get('id', '?')})"
        # Unknown keys first: a typo ("carier") is the likeliest cause of a missing field too.
        unknown = set(entry) - {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        if unknown:
            raise _SeedFormatError(f"{where} has unknown field(s) {sorted(unknown)}")
        broken = _not_text(entry)
        if broken is not None:
            raise _SeedFormatError(f"{where}: {broken}")
        try:
            records.append(build(entry))
        except KeyError as err:
            raise _SeedFormatError(f"{where} lacks the field {err}") from err
        except (TypeError, ValueError) as err:
            raise _SeedFormatError(f"{where}: {err}") from err
    return tuple(records)


def _not_text(value: Any) -> str | None:
    """What makes a string in ``value`` unstorable, or None. A JSON ``"\\ud800"`` escape gives a
    lone surrogate, which SQLite cannot store as UTF-8 (a raw UnicodeEncodeError otherwise)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            return f"text that is not valid Unicode (U+{ord(value[err.start]):04X})"
        return None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((found for found in map(_not_text, items) if found is not None), None)


def _customer(raw: Mapping[str, Any]) -> Customer:
    return Customer(**raw)


def _order(raw: Mapping[str, Any]) -> Order:
    items = tuple(OrderItem(**item) for item in raw["items"])
    return Order(**{**raw, "items": items, "total": float(raw["total"])})


def _policy(raw: Mapping[str, Any]) -> PolicyArticle:
    return PolicyArticle(**{**raw, "tags": tuple(raw.get("tags", ()))})


def _policy_limit(raw: Mapping[str, Any]) -> PolicyLimit:
    return PolicyLimit(**{**raw, "value": float(raw["value"])})


def _ticket(raw: Mapping[str, Any]) -> Ticket:
    return Ticket(**{**raw, "status": raw.get("status", "open")})
