"""The stream readers the throughput benchmark compares, each doing what a caller really does.

A reader is an async context manager that opens its client (untimed) and yields ``fetch``: one
timed request that reads the whole stream and returns what it collected. ``raw`` returns the
body's bytes, the others the assistant's text pieces. Imports happen inside, so a reader whose
library is missing or mid-rewrite fails alone.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx

Fetch = Callable[[], Awaitable[list[str] | list[bytes]]]
OpenReader = Callable[[str], AbstractAsyncContextManager[Fetch]]

MODEL = "gpt-4.1"
MESSAGES = [{"role": "user", "content": "hi"}]
BODY: dict[str, Any] = {
    "model": MODEL,
    "messages": MESSAGES,
    "stream": True,
    "stream_options": {"include_usage": True},
}


@asynccontextmanager
async def raw(base_url: str) -> AsyncIterator[Fetch]:
    """The ceiling: httpx reading the body and doing nothing else."""
    async with httpx.AsyncClient() as client:

        async def fetch() -> list[bytes]:
            pieces: list[bytes] = []
            url = f"{base_url}/chat/completions"
            async with client.stream("POST", url, json=BODY) as response:
                async for piece in response.aiter_raw():
                    pieces.append(piece)
            return pieces

        yield fetch


@asynccontextmanager
async def httpx_sse(base_url: str) -> AsyncIterator[Fetch]:
    """The obvious hand-rolled client: httpx-sse events, ``json.loads``, the content delta."""
    from httpx_sse import aconnect_sse

    async with httpx.AsyncClient() as client:

        async def fetch() -> list[str]:
            pieces: list[str] = []
            url = f"{base_url}/chat/completions"
            async with aconnect_sse(client, "POST", url, json=BODY) as source:
                async for sse in source.aiter_sse():
                    if sse.data == "[DONE]":
                        break
                    choices = json.loads(sse.data)["choices"]
                    content = choices[0]["delta"].get("content") if choices else None
                    if content:
                        pieces.append(content)
            return pieces

        yield fetch


@asynccontextmanager
async def openai_sdk(base_url: str) -> AsyncIterator[Fetch]:
    """The official SDK: every chunk becomes a pydantic model."""
    import openai

    async with openai.AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0) as client:

        async def fetch() -> list[str]:
            pieces: list[str] = []
            stream = await client.chat.completions.create(
                model=MODEL,
                messages=[{"role": "user", "content": "hi"}],
                stream=True,
                stream_options={"include_usage": True},
            )
            async with stream:
                async for chunk in stream:
                    if chunk.choices and chunk.choices[0].delta.content:
                        pieces.append(chunk.choices[0].delta.content)
            return pieces

        yield fetch


@asynccontextmanager
async def stepwise(base_url: str) -> AsyncIterator[Fetch]:
    """Our client, ``app.llm``: SSE decoder → chunk parser → typed events."""
    from app.llm.chat import ChatRequest
    from app.llm.client import LLMClient

    client = LLMClient(base_url, lambda: "bench-key")
    request = ChatRequest(model=MODEL, messages=MESSAGES)
    try:

        async def fetch() -> list[str]:
            pieces: list[str] = []
            async with client.stream(request) as events:
                async for event in events:
                    if type(event).__name__ == "TextChunk":
                        pieces.append(event.text)  # type: ignore[union-attr]
            return pieces

        yield fetch
    finally:
        await client.aclose()


READERS: dict[str, OpenReader] = {
    "raw": raw,
    "httpx-sse": httpx_sse,
    "openai-sdk": openai_sdk,
    "stepwise": stepwise,
}
