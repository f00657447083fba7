"""Provider streams as they arrive on the wire, and helpers that read them like the client does.

Each constant is raw SSE text in the shape the provider sends (PROTOCOLS.md A2, A3): real field
sets, keep-alive comments, chunk order. ``read`` decodes it with the real ``SSEDecoder`` and feeds
a parser until the provider's end marker, as ``LLMClient._read`` does, so a test reads as "this
provider's stream gives these events". Only the values (ids, timestamps, signatures) are made up.
"""
# ruff: noqa: E501 -- one chunk per line, exactly as providers send them

from __future__ import annotations

from app.llm.accumulate import Accumulator
from app.llm.adapter import StreamParser
from app.llm.chat import ChatEvent
from app.llm.sse import ServerSentEvent, SSEDecoder


def decode(raw: str) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    return decoder.decode(raw.encode()) + decoder.flush()


def read(parser: StreamParser, raw: str) -> list[ChatEvent]:
    """The events ``raw`` gives, stopping at the end marker like the client."""
    events: list[ChatEvent] = []
    for sse in decode(raw):
        events += parser.feed(sse)
        if parser.ended:
            break
    return events


def accumulate(events: list[ChatEvent]) -> Accumulator:
    accumulator = Accumulator()
    for event in events:
        accumulator.add(event)
    return accumulator


# --- OpenAI --------------------------------------------------------------------------------------

# Role chunk with content "" and refusal null, content deltas, a content-null delta, "stop", then
# the include_usage chunk (choices: []) with cached tokens, then [DONE].
OPENAI_TEXT = """\
data: {"id":"chatcmpl-BxQ1","object":"chat.completion.chunk","created":1754000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ1","object":"chat.completion.chunk","created":1754000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{"content":"Your refund"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ1","object":"chat.completion.chunk","created":1754000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{"content":null},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ1","object":"chat.completion.chunk","created":1754000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{"content":" is on its way."},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ1","object":"chat.completion.chunk","created":1754000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

data: {"id":"chatcmpl-BxQ1","object":"chat.completion.chunk","created":1754000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_07871e2ad8","choices":[],"usage":{"prompt_tokens":1480,"completion_tokens":8,"total_tokens":1488,"prompt_tokens_details":{"cached_tokens":1280,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}

data: [DONE]

"""

# A reasoning model cut by max_tokens: "length", and reasoning tokens in the usage chunk.
OPENAI_LENGTH = """\
data: {"id":"chatcmpl-BxQ2","object":"chat.completion.chunk","created":1754000001,"model":"o4-mini-2025-04-16","system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ2","object":"chat.completion.chunk","created":1754000001,"model":"o4-mini-2025-04-16","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"The order"},"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ2","object":"chat.completion.chunk","created":1754000001,"model":"o4-mini-2025-04-16","system_fingerprint":null,"choices":[{"index":0,"delta":{},"finish_reason":"length"}],"usage":null}

data: {"id":"chatcmpl-BxQ2","object":"chat.completion.chunk","created":1754000001,"model":"o4-mini-2025-04-16","system_fingerprint":null,"choices":[],"usage":{"prompt_tokens":310,"completion_tokens":200,"total_tokens":510,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":192,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}

data: [DONE]

"""

# Structured-output refusal: delta.refusal streams like content, content stays null.
OPENAI_REFUSAL = """\
data: {"id":"chatcmpl-BxQ3","object":"chat.completion.chunk","created":1754000002,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{"role":"assistant","content":null,"refusal":""},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ3","object":"chat.completion.chunk","created":1754000002,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{"refusal":"I'm sorry,"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ3","object":"chat.completion.chunk","created":1754000002,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{"refusal":" I can't help with that."},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ3","object":"chat.completion.chunk","created":1754000002,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

data: [DONE]

"""

# Two parallel calls: each opens with id/type/name and arguments "", then the argument string
# pieces of index 0 and 1 interleave; "tool_calls" finish; usage; [DONE].
OPENAI_PARALLEL_TOOLS = """\
data: {"id":"chatcmpl-BxQ4","object":"chat.completion.chunk","created":1754000003,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_b3f1157249","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_order","type":"function","function":{"name":"get_order","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ4","object":"chat.completion.chunk","created":1754000003,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_b3f1157249","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_ship","type":"function","function":{"name":"track_parcel","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ4","object":"chat.completion.chunk","created":1754000003,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_b3f1157249","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"order_id\\""}}]},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ4","object":"chat.completion.chunk","created":1754000003,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_b3f1157249","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"tracking\\": "}}]},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ4","object":"chat.completion.chunk","created":1754000003,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_b3f1157249","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":": \\"A-1042\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ4","object":"chat.completion.chunk","created":1754000003,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_b3f1157249","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\\"1Z999\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-BxQ4","object":"chat.completion.chunk","created":1754000003,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_b3f1157249","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}

data: {"id":"chatcmpl-BxQ4","object":"chat.completion.chunk","created":1754000003,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_b3f1157249","choices":[],"usage":{"prompt_tokens":402,"completion_tokens":41,"total_tokens":443,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}

data: [DONE]

"""

# The server closed after finish_reason but before the usage chunk and [DONE]: complete.
OPENAI_FINISHED_WITHOUT_DONE = """\
data: {"id":"chatcmpl-BxQ5","object":"chat.completion.chunk","created":1754000004,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {"id":"chatcmpl-BxQ5","object":"chat.completion.chunk","created":1754000004,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Done."},"finish_reason":null}]}

data: {"id":"chatcmpl-BxQ5","object":"chat.completion.chunk","created":1754000004,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

"""

# Cut mid-answer: no finish_reason, no [DONE]; the last chunk also lacks its blank line, so the
# SSE decoder drops it (PROTOCOLS.md A1).
OPENAI_CUT = """\
data: {"id":"chatcmpl-BxQ6","object":"chat.completion.chunk","created":1754000005,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {"id":"chatcmpl-BxQ6","object":"chat.completion.chunk","created":1754000005,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"We will"},"finish_reason":null}]}

data: {"id":"chatcmpl-BxQ6","object":"chat.completion.chunk","created":1754000005,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" send"},"finish_reason":null}]}
"""

# An error after the 200 (openai-python raises APIError on it), then the server closes.
OPENAI_INBAND_ERROR = """\
data: {"id":"chatcmpl-BxQ7","object":"chat.completion.chunk","created":1754000006,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}

data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}

"""

# --- DeepSeek reasoner ---------------------------------------------------------------------------

# Keep-alive comments while queued; reasoning_content with content null, then content with
# reasoning_content null; usage attached to the finish chunk.
DEEPSEEK_REASONER = """\
: keep-alive

: keep-alive

data: {"id":"9f3c5a1e-0c2b-4d7e-9a55-6f1b2c3d4e5f","object":"chat.completion.chunk","created":1754000100,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"9f3c5a1e-0c2b-4d7e-9a55-6f1b2c3d4e5f","object":"chat.completion.chunk","created":1754000100,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"The customer"},"logprobs":null,"finish_reason":null}]}

: keep-alive

data: {"id":"9f3c5a1e-0c2b-4d7e-9a55-6f1b2c3d4e5f","object":"chat.completion.chunk","created":1754000100,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"content":null,"reasoning_content":" wants a refund."},"logprobs":null,"finish_reason":null}]}

data: {"id":"9f3c5a1e-0c2b-4d7e-9a55-6f1b2c3d4e5f","object":"chat.completion.chunk","created":1754000100,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"content":"Refund","reasoning_content":null},"logprobs":null,"finish_reason":null}]}

data: {"id":"9f3c5a1e-0c2b-4d7e-9a55-6f1b2c3d4e5f","object":"chat.completion.chunk","created":1754000100,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"content":" approved.","reasoning_content":null},"logprobs":null,"finish_reason":null}]}

data: {"id":"9f3c5a1e-0c2b-4d7e-9a55-6f1b2c3d4e5f","object":"chat.completion.chunk","created":1754000100,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"content":"","reasoning_content":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":64,"completion_tokens":120,"total_tokens":184,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":98},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":64}}

data: [DONE]

"""

# --- OpenRouter ----------------------------------------------------------------------------------

# Claude through OpenRouter: processing comments, reasoning + reasoning_details (reasoning.text
# pieces; the last carries the signature), content, and usage on the finish chunk.
OPENROUTER_CLAUDE_REASONING = """\
: OPENROUTER PROCESSING

: OPENROUTER PROCESSING

data: {"id":"gen-1754000200-abcDEF","provider":"Anthropic","model":"anthropic/claude-sonnet-4","object":"chat.completion.chunk","created":1754000200,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Check the","reasoning_details":[{"type":"reasoning.text","text":"Check the","format":"anthropic-claude-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

data: {"id":"gen-1754000200-abcDEF","provider":"Anthropic","model":"anthropic/claude-sonnet-4","object":"chat.completion.chunk","created":1754000200,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":" order date.","reasoning_details":[{"type":"reasoning.text","text":" order date.","format":"anthropic-claude-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

data: {"id":"gen-1754000200-abcDEF","provider":"Anthropic","model":"anthropic/claude-sonnet-4","object":"chat.completion.chunk","created":1754000200,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":null,"reasoning_details":[{"type":"reasoning.text","signature":"ErUBCkYIBRgCIkDk0bOR","format":"anthropic-claude-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

: OPENROUTER PROCESSING

data: {"id":"gen-1754000200-abcDEF","provider":"Anthropic","model":"anthropic/claude-sonnet-4","object":"chat.completion.chunk","created":1754000200,"choices":[{"index":0,"delta":{"role":"assistant","content":"It shipped"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

data: {"id":"gen-1754000200-abcDEF","provider":"Anthropic","model":"anthropic/claude-sonnet-4","object":"chat.completion.chunk","created":1754000200,"choices":[{"index":0,"delta":{"role":"assistant","content":" today."},"finish_reason":"stop","native_finish_reason":"end_turn","logprobs":null}],"usage":{"prompt_tokens":220,"completion_tokens":35,"total_tokens":255,"cost":0.001185,"is_byok":false,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":20}}}

data: [DONE]

"""

# An OpenAI reasoning model through OpenRouter: reasoning.summary, then reasoning.encrypted with
# no readable text at all.
OPENROUTER_OPENAI_REASONING = """\
data: {"id":"gen-1754000300-ghiJKL","provider":"OpenAI","model":"openai/o4-mini","object":"chat.completion.chunk","created":1754000300,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_details":[{"type":"reasoning.summary","summary":"**Checking the policy**","id":"rs_68a1","format":"openai-responses-v1","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

data: {"id":"gen-1754000300-ghiJKL","provider":"OpenAI","model":"openai/o4-mini","object":"chat.completion.chunk","created":1754000300,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":null,"reasoning_details":[{"type":"reasoning.encrypted","data":"gAAAAABoq1xYZ","id":"rs_68a1","format":"openai-responses-v1","index":1}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

data: {"id":"gen-1754000300-ghiJKL","provider":"OpenAI","model":"openai/o4-mini","object":"chat.completion.chunk","created":1754000300,"choices":[{"index":0,"delta":{"role":"assistant","content":"Yes."},"finish_reason":"stop","native_finish_reason":"completed","logprobs":null}]}

data: [DONE]

"""

# The upstream provider failed mid-generation: OpenRouter keeps the 200 and sends an error chunk
# with finish_reason "error" (its errors page), then closes.
OPENROUTER_MIDSTREAM_ERROR = """\
: OPENROUTER PROCESSING

data: {"id":"gen-1754000400-mnoPQR","provider":"Together","model":"meta-llama/llama-3.3-70b-instruct","object":"chat.completion.chunk","created":1754000400,"choices":[{"index":0,"delta":{"role":"assistant","content":"Let me"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

data: {"id":"gen-1754000400-mnoPQR","provider":"Together","model":"meta-llama/llama-3.3-70b-instruct","object":"chat.completion.chunk","created":1754000400,"error":{"code":502,"message":"Provider returned error","metadata":{"provider_name":"Together","raw":"upstream connect error"}},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error","native_finish_reason":"error","logprobs":null}]}

"""

# --- vLLM / Ollama -------------------------------------------------------------------------------

# vLLM ≥ 0.11: delta.reasoning; the usage chunk has no "choices" key at all.
VLLM_REASONING = """\
data: {"id":"chatcmpl-6c1d","object":"chat.completion.chunk","created":1754000500,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-6c1d","object":"chat.completion.chunk","created":1754000500,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"reasoning":"Simple question."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-6c1d","object":"chat.completion.chunk","created":1754000500,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"content":"Yes"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-6c1d","object":"chat.completion.chunk","created":1754000500,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}

data: {"id":"chatcmpl-6c1d","object":"chat.completion.chunk","created":1754000500,"model":"Qwen/Qwen3-8B","usage":{"prompt_tokens":18,"total_tokens":27,"completion_tokens":9,"prompt_tokens_details":null}}

data: [DONE]

"""

# Ollama's /v1 endpoint: delta.reasoning; a usage chunk with choices null.
OLLAMA_REASONING = """\
data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1754000600,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Hmm."},"finish_reason":null}]}

data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1754000600,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi!"},"finish_reason":null}]}

data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1754000600,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}

data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1754000600,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":null,"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}

data: [DONE]

"""

# --- Gemini's OpenAI endpoint --------------------------------------------------------------------

# Two calls, no "index" on either, each whole in one piece, the first with a thought signature in
# extra_content; finish_reason "stop" although tools were called (python-genai#2868).
GEMINI_TWO_CALLS = """\
data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"extra_content":{"google":{"thought_signature":"CiQB0e2Kb9x"}},"function":{"arguments":"{\\"order_id\\":\\"A-1042\\"}","name":"get_order"},"id":"function-call-11","type":"function"}]},"index":0}],"created":1754000700,"id":"r5a8aK2xHq","model":"gemini-2.5-flash","object":"chat.completion.chunk"}

data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"{\\"tracking\\":\\"1Z999\\"}","name":"track_parcel"},"id":"function-call-12","type":"function"}]},"index":0}],"created":1754000700,"id":"r5a8aK2xHq","model":"gemini-2.5-flash","object":"chat.completion.chunk"}

data: {"choices":[{"delta":{"role":"assistant"},"finish_reason":"stop","index":0}],"created":1754000700,"id":"r5a8aK2xHq","model":"gemini-2.5-flash","object":"chat.completion.chunk","usage":{"completion_tokens":38,"prompt_tokens":96,"total_tokens":190,"completion_tokens_details":{"reasoning_tokens":56}}}

data: [DONE]

"""

# One call whose arguments are split across pieces with neither index nor id, then the thought
# signature as a metadata-only delta (open-webui/computer#224).
GEMINI_SPLIT_CALL = """\
data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"{\\"query\\":","name":"search_kb"},"id":"function-call-21","type":"function"}]},"index":0}],"created":1754000800,"id":"s7b9bL3yJr","model":"gemini-3-flash-preview","object":"chat.completion.chunk"}

data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":" \\"refund policy\\"}"},"type":"function"}]},"index":0}],"created":1754000800,"id":"s7b9bL3yJr","model":"gemini-3-flash-preview","object":"chat.completion.chunk"}

data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"extra_content":{"google":{"thought_signature":"EqQDCqEDAdHtim"}}}]},"index":0}],"created":1754000800,"id":"s7b9bL3yJr","model":"gemini-3-flash-preview","object":"chat.completion.chunk"}

data: {"choices":[{"delta":{"role":"assistant"},"finish_reason":"stop","index":0}],"created":1754000800,"id":"s7b9bL3yJr","model":"gemini-3-flash-preview","object":"chat.completion.chunk","usage":{"completion_tokens":12,"prompt_tokens":80,"total_tokens":92}}

data: [DONE]

"""

# A gateway in front of Gemini: indexless pieces whose continuation says "id": "" and "type": ""
# (AstrBot#6661).
GATEWAY_EMPTY_ID_CALL = """\
data: {"id":"chatcmpl-gw1","object":"chat.completion.chunk","created":1754000900,"model":"gemini-2.5-pro","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"id":"call_mem","type":"function","function":{"name":"memory_save","arguments":""}}]},"finish_reason":null}]}

data: {"id":"chatcmpl-gw1","object":"chat.completion.chunk","created":1754000900,"model":"gemini-2.5-pro","choices":[{"index":0,"delta":{"tool_calls":[{"id":"","type":"","function":{"arguments":"{\\"content\\":\\"prefers email\\"}"}}]},"finish_reason":null}]}

data: {"id":"chatcmpl-gw1","object":"chat.completion.chunk","created":1754000900,"model":"gemini-2.5-pro","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

data: [DONE]

"""

# --- Groq ----------------------------------------------------------------------------------------

# x_groq on the first chunk (request id only) and on the last (with usage).
GROQ_TEXT = """\
data: {"id":"chatcmpl-d0e1","object":"chat.completion.chunk","created":1754001000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_3f3b593e33","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_01k2abc"}}

data: {"id":"chatcmpl-d0e1","object":"chat.completion.chunk","created":1754001000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_3f3b593e33","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-d0e1","object":"chat.completion.chunk","created":1754001000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_3f3b593e33","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"id":"req_01k2abc","usage":{"queue_time":0.0203,"prompt_tokens":48,"prompt_time":0.0026,"completion_tokens":9,"completion_time":0.0327,"total_tokens":57,"total_time":0.0353}}}

data: [DONE]

"""

# --- Anthropic -----------------------------------------------------------------------------------

# The whole sequence: message_start (with cache reads), ping, a thinking block (deltas, then its
# signature), a text block with a citations_delta, two tool_use blocks (one with input pieces, one
# with none), message_delta (tool_use, cumulative usage), message_stop.
ANTHROPIC_FULL = """\
event: message_start
data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":412,"cache_creation_input_tokens":0,"cache_read_input_tokens":1800,"output_tokens":1,"service_tier":"standard"}}}

event: ping
data: {"type": "ping"}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The order is late;"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" look it up."}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Let me check"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"citations_delta","citation":{"type":"char_location","cited_text":"Orders ship in 2 days.","document_index":0,"document_title":"Policy","start_char_index":0,"end_char_index":22}}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":" that order."}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_order","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"order_id\\": \\"A-"}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"1042\\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":2}

event: content_block_start
data: {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_01Ua2b3c4d5e6f7g8h9i0jK","name":"list_carriers","input":{}}}

event: content_block_stop
data: {"type":"content_block_stop","index":3}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":412,"cache_creation_input_tokens":0,"cache_read_input_tokens":1800,"output_tokens":96}}

event: message_stop
data: {"type":"message_stop"}

"""

# A redacted_thinking block (opaque data, no deltas), an event type newer than our code, and a
# message_delta whose usage has only output_tokens (the older and Bedrock shape).
ANTHROPIC_REDACTED = """\
event: message_start
data: {"type":"message_start","message":{"id":"msg_01Redacted","type":"message","role":"assistant","model":"claude-3-7-sonnet-20250219","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":90,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_annotation
data: {"type":"message_annotation","annotation":{"kind":"future-feature"}}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Done."}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":22}}

event: message_stop
data: {"type":"message_stop"}

"""

# Server-side web search: a server_tool_use block streams its own input_json_delta pieces and a
# web_search_tool_result block follows; neither is a call for us to run.
ANTHROPIC_SERVER_TOOL = """\
event: message_start
data: {"type":"message_start","message":{"id":"msg_01Search","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":2679,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","name":"web_search","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"query"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\\": \\"carrier strike\\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","content":[{"type":"web_search_result","title":"Carrier news","url":"https://news.example/strike","encrypted_content":"EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5LTQ1NGUtODgxNC1kNjNjNTk1ZWI3Y2M","page_age":"2 days ago"}]}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Deliveries are delayed."}}

event: content_block_stop
data: {"type":"content_block_stop","index":2}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10682,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":510,"server_tool_use":{"web_search_requests":1}}}

event: message_stop
data: {"type":"message_stop"}

"""

# Overloaded after the 200: the streaming form of an HTTP 529.
ANTHROPIC_OVERLOADED = """\
event: message_start
data: {"type":"message_start","message":{"id":"msg_01Busy","type":"message","role":"assistant","model":"claude-opus-4-1-20250805","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}

event: ping
data: {"type": "ping"}

event: error
data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}

"""

# Cut before message_stop (and before message_delta).
ANTHROPIC_CUT = """\
event: message_start
data: {"type":"message_start","message":{"id":"msg_01Cut","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"We will"}}

"""
