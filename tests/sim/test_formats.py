"""``response_format`` on the OpenAI endpoint: ``json_object`` and ``json_schema`` are accepted
and answered with bare JSON; a strict schema gets only the properties it allows."""

from __future__ import annotations

import json
from typing import Any, cast

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from app.paths import resource_path
from app.sim.server import Simulator
from tests.sim.conftest import KEY, ticket_messages

INTENT_KEYS = ["intents", "order_ids", "dates", "deadline", "requested_actions", "urgency"]


def _schema(strict: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {key: {} for key in [*INTENT_KEYS, "sentiment", "language"]}
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": INTENT_KEYS}
    if strict:
        schema["additionalProperties"] = False
    return {
        "type": "json_schema",
        "json_schema": {"name": "intent", "strict": strict, "schema": schema},
    }


FORMATS: list[dict[str, Any]] = [{"type": "json_object"}, _schema(False), _schema(True)]


async def _content(client: httpx.AsyncClient, body: dict[str, Any]) -> str:
    if not body.get("stream"):
        response = await client.post("/chat/completions", json=body)
        assert response.status_code == 200
        return str(response.json()["choices"][0]["message"]["content"])
    response = await client.post("/chat/completions", json=body)
    assert response.status_code == 200
    events = [e.removeprefix("data: ") for e in response.text.split("\n\n") if e]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e)["choices"][0] for e in events[:-1]]
    assert chunks[-1]["finish_reason"] == "stop"
    return "".join(c["delta"].get("content") or "" for c in chunks)


@pytest.mark.asyncio
@pytest.mark.parametrize("response_format", FORMATS)
@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize("step", ["intent", "retrieval"])
async def test_json_formats_get_bare_json(
    client: httpx.AsyncClient, response_format: dict[str, Any], stream: bool, step: str
) -> None:
    body = {"model": "sim-flash", "messages": ticket_messages(step), "stream": stream}
    answer = json.loads(await _content(client, {**body, "response_format": response_format}))
    fenced = await _content(client, body)
    assert fenced.startswith("```json\n")
    expected = json.loads(fenced.removeprefix("```json\n").removesuffix("\n```"))
    schema = response_format.get("json_schema", {}).get("schema", {})
    if schema.get("additionalProperties") is False:  # only what the schema allows
        expected = {k: v for k, v in expected.items() if k in schema["properties"]}
    assert answer == expected and answer


@pytest.mark.asyncio
async def test_the_pipelines_own_schema_is_accepted(client: httpx.AsyncClient) -> None:
    path = resource_path("schemas", "intent.json")
    if not path.is_file():
        pytest.skip("the pipeline has no intent schema file")
    schema = json.loads(path.read_text("utf-8"))
    spec = {"type": "json_schema", "json_schema": {"name": "intent", "schema": schema}}
    body = {"model": "sim-flash", "messages": ticket_messages("intent"), "response_format": spec}
    intent = json.loads(await _content(client, body))
    assert set(schema["required"]) <= intent.keys()


@pytest.mark.asyncio
async def test_prose_steps_ignore_a_json_format(client: httpx.AsyncClient) -> None:
    messages = ticket_messages("reasoning", {"intent": {"intents": ["order_status"]}})
    body = {"model": "sim-writer", "messages": messages, "response_format": {"type": "json_object"}}
    assert "Proposal:\n```json" in await _content(client, body)


def test_the_sdk_sends_a_schema_and_parses_the_answer(sim: Simulator) -> None:
    with openai.OpenAI(base_url=sim.base_url, api_key=KEY, max_retries=0) as client:
        whole = client.chat.completions.create(
            model="sim-flash",
            messages=cast("list[ChatCompletionMessageParam]", ticket_messages("intent")),
            response_format=cast("Any", _schema(True)),
        )
    content = whole.choices[0].message.content
    assert content is not None and json.loads(content)["order_ids"] == ["4521"]
    assert "simulated" not in json.loads(content)
