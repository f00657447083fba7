"""The simulator over real loopback HTTP: endpoints, auth, errors and the exact SSE wire format."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.sim.server import Simulator
from tests.sim.conftest import KEY, chat_body, ticket_messages


def _events(raw: str) -> list[str]:
    """The data of each SSE event, checking every event is exactly ``data: ...`` + blank line."""
    assert raw.endswith("\n\n")
    blocks = raw[:-2].split("\n\n")
    assert all(b.startswith("data: ") and "\n" not in b for b in blocks), blocks
    return [b.removeprefix("data: ") for b in blocks]


async def _stream(client: httpx.AsyncClient, body: dict[str, Any]) -> list[str]:
    response = await client.post("/chat/completions", json={**body, "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    return _events(response.text)


@pytest.mark.asyncio
async def test_models_list(client: httpx.AsyncClient) -> None:
    response = await client.get("/models")
    assert response.status_code == 200 and response.headers["x-stepwise-simulated"] == "true"
    listing = response.json()
    assert listing["object"] == "list"
    assert [m["id"] for m in listing["data"]] == [
        "sim-flash",
        "sim-planner",
        "sim-reasoner",
        "sim-writer",
    ]
    assert all(
        m["object"] == "model" and m["owned_by"] == "stepwise-simulator" for m in listing["data"]
    )
    assert (await client.get("/models/sim-writer")).json()["id"] == "sim-writer"


@pytest.mark.asyncio
@pytest.mark.parametrize("auth", [None, "Bearer wrong-key", KEY, "Basic c2ltLWtleQ=="])
async def test_requests_without_the_key_are_rejected(sim: Simulator, auth: str | None) -> None:
    headers = {"Authorization": auth} if auth else {}
    async with httpx.AsyncClient(base_url=sim.base_url, headers=headers) as anonymous:
        response = await anonymous.post("/chat/completions", json=chat_body())
    assert response.status_code == 401
    assert response.headers["x-stepwise-simulated"] == "true"
    assert response.json() == {
        "error": {
            "message": "Incorrect API key provided.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }


@pytest.mark.asyncio
async def test_stream_is_framed_exactly_like_openai(client: httpx.AsyncClient) -> None:
    events = await _stream(client, chat_body())
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert {(c["id"], c["created"], c["model"], c["object"]) for c in chunks} == {
        (chunks[0]["id"], chunks[0]["created"], "sim-writer", "chat.completion.chunk")
    }
    assert chunks[0]["id"].startswith("chatcmpl-")
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    middle = [c["choices"][0] for c in chunks[1:-1]]
    assert all(set(m["delta"]) == {"content"} and m["finish_reason"] is None for m in middle)
    assert "".join(m["delta"]["content"] for m in middle).startswith("(Simulated answer")
    assert chunks[-1]["choices"][0] == {
        "index": 0,
        "delta": {},
        "logprobs": None,
        "finish_reason": "stop",
    }
    # Without include_usage OpenAI sends no usage key at all.
    assert all("usage" not in c for c in chunks)


@pytest.mark.asyncio
async def test_usage_chunk_only_when_asked_for(client: httpx.AsyncClient) -> None:
    body = chat_body(stream_options={"include_usage": True})
    events = await _stream(client, body)
    chunks = [json.loads(e) for e in events[:-1]]
    assert events[-1] == "[DONE]"
    *content, usage_chunk = chunks
    assert all(c["usage"] is None for c in content)
    assert content[-1]["choices"][0]["finish_reason"] == "stop"
    assert usage_chunk["choices"] == []
    usage = usage_chunk["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


@pytest.mark.asyncio
async def test_reasoning_model_streams_reasoning_before_content(
    client: httpx.AsyncClient,
) -> None:
    events = await _stream(client, chat_body("sim-reasoner"))
    deltas = [json.loads(e)["choices"][0]["delta"] for e in events[1:-2]]
    kinds = ["reasoning" if "reasoning_content" in d else "content" for d in deltas]
    assert kinds[0] == "reasoning" and kinds == sorted(kinds, reverse=True)
    assert all(d["content"] is None for d in deltas if "reasoning_content" in d)


@pytest.mark.asyncio
async def test_only_the_reasoning_model_reasons(client: httpx.AsyncClient) -> None:
    events = await _stream(client, chat_body("sim-flash"))
    assert not any("reasoning_content" in e for e in events)


@pytest.mark.asyncio
async def test_non_streaming_completion(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat/completions", json=chat_body("sim-reasoner"))
    assert response.status_code == 200
    completion = response.json()
    assert completion["object"] == "chat.completion" and completion["id"].startswith("chatcmpl-")
    assert completion["model"] == "sim-reasoner" and isinstance(completion["created"], int)
    choice = completion["choices"][0]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    assert choice["message"]["content"] and choice["message"]["reasoning_content"]
    usage = completion["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    plain = (await client.post("/chat/completions", json=chat_body())).json()
    assert "reasoning_content" not in plain["choices"][0]["message"]


@pytest.mark.asyncio
async def test_streamed_and_whole_answers_agree_and_repeat(client: httpx.AsyncClient) -> None:
    body = {"model": "sim-flash", "messages": ticket_messages("intent")}
    whole = (await client.post("/chat/completions", json=body)).json()
    again = (await client.post("/chat/completions", json=body)).json()
    events = await _stream(client, body)
    streamed = "".join(
        json.loads(e)["choices"][0]["delta"].get("content") or "" for e in events[1:-2]
    )
    text = whole["choices"][0]["message"]["content"]
    assert text == again["choices"][0]["message"]["content"] == streamed
    assert '"order_ids": ["4521"]' in text


@pytest.mark.asyncio
async def test_max_tokens_cuts_the_answer(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat/completions", json=chat_body(max_tokens=5))
    completion = response.json()
    assert completion["choices"][0]["finish_reason"] == "length"
    assert completion["usage"]["completion_tokens"] == 5


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, None),
        (b"[1, 2]", 400, None),
        (json.dumps({"model": "sim-writer"}).encode(), 400, "missing_required_parameter"),
        (json.dumps({"model": "sim-writer", "messages": []}).encode(), 400, "invalid_value"),
        (json.dumps(chat_body("no-such-model")).encode(), 404, "model_not_found"),
        (json.dumps({"messages": [{"role": "user", "content": "x"}]}).encode(), 400, None),
    ],
)
async def test_bad_requests_get_openai_errors(
    client: httpx.AsyncClient, body: bytes, status: int, code: str | None
) -> None:
    response = await client.post("/chat/completions", content=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["type"] == "invalid_request_error" and error["message"]


@pytest.mark.asyncio
async def test_real_model_names_answer_as_their_sim_kind(client: httpx.AsyncClient) -> None:
    completion = (await client.post("/chat/completions", json=chat_body("o3-mini"))).json()
    assert completion["model"] == "o3-mini"
    assert completion["choices"][0]["message"]["reasoning_content"]


@pytest.mark.asyncio
async def test_unknown_paths_answer_in_openai_shape(client: httpx.AsyncClient) -> None:
    response = await client.get("/nope")
    assert response.status_code == 404 and response.headers["x-stepwise-simulated"] == "true"
    assert response.json()["error"]["message"] == "Invalid URL (GET /v1/nope)"
    assert (await client.get("/chat/completions")).status_code == 405


@pytest.mark.asyncio
async def test_requests_are_recorded(sim: Simulator, client: httpx.AsyncClient) -> None:
    body = chat_body(content="remember me")
    await client.post("/chat/completions", json=body)
    assert sim.requests[-1] == body
