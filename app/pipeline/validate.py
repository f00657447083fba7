"""JSON answers checked against the step's schema (``resources/schemas/``), plus what a schema
cannot say: ISO dates must be real dates, near the ticket's own date.

The intent labels come from ``resources/taxonomy.json`` (editable), so the schema's enum and the
prompt read the same list.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from app.paths import resource_path
from app.pipeline.messages import parse_json_output
from app.pipeline.steps import taxonomy

MAX_DATE_DISTANCE_DAYS = 400  # a date a year or more from the ticket is a misreading


@cache
def schema(schema_name: str) -> dict[str, Any]:
    """The step's JSON schema, with the intent labels of the editable taxonomy filled in."""
    loaded: dict[str, Any] = json.loads(
        resource_path("schemas", schema_name).read_text(encoding="utf-8")
    )
    intents = loaded.get("properties", {}).get("intents", {}).get("items")
    if isinstance(intents, dict) and "enum" in intents:
        intents["enum"] = sorted(taxonomy())
    Draft202012Validator.check_schema(loaded)
    return loaded


@cache
def _validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(schema_name))


NOT_JSON = "not a JSON object"  # how a problem says the answer could not be parsed at all


def check_answer(text: str, schema_name: str | None, ticket_day: date) -> tuple[Any, str | None]:
    """The parsed answer and None, or what is wrong with it in one line."""
    try:
        data = parse_json_output(text)
    except ValueError as err:
        return None, f"{NOT_JSON} ({err})"
    if schema_name is None:
        return data, None
    errors = sorted(_validator(schema_name).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        where = "/".join(str(p) for p in errors[0].path) or "the answer"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return None, f"{where}: {errors[0].message}{more}"
    problem = _date_problem(data, ticket_day)
    return (None, problem) if problem else (data, None)


def _date_problem(data: dict[str, Any], ticket_day: date) -> str | None:
    values = [d.get("iso") for d in data.get("dates") or [] if isinstance(d, dict)]
    values.append(data.get("deadline"))
    for value in filter(None, values):
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return f"{value} is not a real date"
        if abs((day - ticket_day).days) > MAX_DATE_DISTANCE_DAYS:
            return f"{value} is too far from the ticket's date ({ticket_day.isoformat()})"
    return None
