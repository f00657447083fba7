"""The official openai SDK parses everything the simulator sends (PROTOCOLS.md A2)."""

from __future__ import annotations

from typing import cast

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from app.sim.server import Simulator
from tests.sim.conftest import KEY, ticket_messages


def test_sync_client_streams_with_usage(sim: Simulator) -> None:
    with openai.OpenAI(base_url=sim.base_url, api_key=KEY, max_retries=0) as client:
        stream = client.chat.completions.create(
            model="sim-reasoner",
            messages=cast("list[ChatCompletionMessageParam]", ticket_messages("intent")),
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = list(stream)
        models = [m.id for m in client.models.list()]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    usage = chunks[-1].usage
    assert '"order_ids": ["4521"]' in text
    assert usage is not None and usage.completion_tokens > 0 and usage.prompt_tokens > 0
    assert "sim-reasoner" in models


@pytest.mark.asyncio
async def test_async_client_streams_with_usage(sim: Simulator) -> None:
    async with openai.AsyncOpenAI(base_url=sim.base_url, api_key=KEY, max_retries=0) as client:
        stream = await client.chat.completions.create(
            model="sim-writer",
            messages=[{"role": "user", "content": "Hello"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = [chunk async for chunk in stream]
        whole = await client.chat.completions.create(
            model="sim-writer", messages=[{"role": "user", "content": "Hello"}]
        )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens > 0


def test_sdk_sees_typed_errors(sim: Simulator) -> None:
    client = openai.OpenAI(base_url=sim.base_url, api_key="wrong", max_retries=0)
    with client, pytest.raises(openai.AuthenticationError) as caught:
        client.models.list()
    assert caught.value.code == "invalid_api_key"
