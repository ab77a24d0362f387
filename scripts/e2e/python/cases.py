"""The end-to-end cases. Each is meaningful against any deployment with a real model as well as the
offline demo: prompts ask for what the assertion checks, and tool calls are forced with tool_choice
rather than scripted. Cases that need a particular tenant setup name the flag that supplies it."""

import json
import secrets
import time

from gateway_client import sse_events

CASES = []


class CaseFailure(Exception):
    pass


def case(requires=None):
    """Registers a case; `requires` names the option (a command-line flag) it cannot run without."""

    def register(function):
        CASES.append((function.__name__, requires, function))
        return function

    return register


def expect(condition, message):
    if not condition:
        raise CaseFailure(message)


def expect_equal(actual, expected, what):
    expect(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")


def expect_error(reply, status, code, param="any", error_type=None):
    """An OpenAI-shaped error with this status, code and (unless "any") param; returns the error object."""
    expect_equal(reply.status, status, f"status (body {reply.body[:300]!r})")
    error = reply.error()
    expect_equal(sorted(error), ["code", "message", "param", "type"], "error fields")
    expect(isinstance(error["message"], str) and error["message"], "the error has a message")
    expect_equal(error["code"], code, "error code")
    if param != "any":
        expect_equal(error["param"], param, "error param")
    if error_type is not None:
        expect_equal(error["type"], error_type, "error type")
    expect(reply.header("x-request-id"), "the error carries x-request-id")
    return error


def user(text):
    return [{"role": "user", "content": text}]


def content_of(reply):
    body = reply.json()
    expect_equal(reply.status, 200, f"status (body {reply.body[:300]!r})")
    return body["choices"][0]["message"]["content"]


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
TIME_TOOL = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Current local time in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def forced(name):
    return {"type": "function", "function": {"name": name}}


# --- service and models ---------------------------------------------------------------------------


@case()
def health_needs_no_key(ctx):
    reply = ctx.gateway.call("GET", "/health", key=None)
    expect_equal(reply.status, 200, "status")
    expect_equal(reply.json(), {"status": "ok"}, "body")


@case()
def openapi_document_is_served(ctx):
    reply = ctx.gateway.call("GET", "/openapi.json", key=None)
    expect_equal(reply.status, 200, "status")
    document = reply.json()
    expect_equal(document["openapi"], "3.1.0", "openapi version")
    for path in ["/chat/completions", "/models", "/models/{id}", "/health"]:
        expect(path in document["paths"], f"{path} is documented")


@case()
def models_list_includes_the_model(ctx):
    reply = ctx.gateway.call("GET", "/models")
    expect_equal(reply.status, 200, "status")
    body = reply.json()
    expect_equal(body["object"], "list", "object")
    ids = [model["id"] for model in body["data"]]
    expect(ctx.model in ids, f"{ctx.model} is listed in {ids}")
    for model in body["data"]:
        expect_equal(sorted(model), ["created", "id", "object", "owned_by"], "model fields")
        expect_equal(model["object"], "model", "model object")


@case()
def models_retrieve_returns_the_model(ctx):
    reply = ctx.gateway.call("GET", f"/models/{ctx.model}")
    expect_equal(reply.status, 200, "status")
    body = reply.json()
    expect_equal((body["id"], body["object"]), (ctx.model, "model"), "id and object")
    expect(isinstance(body["created"], int) and isinstance(body["owned_by"], str), "created and owned_by")


# --- chat ------------------------------------------------------------------------------------------


@case()
def chat_non_streaming(ctx):
    reply = ctx.gateway.chat({"model": ctx.model, "messages": user("Say hello in five words or fewer.")})
    expect_equal(reply.status, 200, "status")
    body = reply.json()
    expect_equal(body["object"], "chat.completion", "object")
    expect(body["id"].startswith("chatcmpl-"), f"id {body['id']}")
    expect_equal(body["model"], ctx.model, "model")
    choice = body["choices"][0]
    expect_equal(choice["message"]["role"], "assistant", "role")
    expect(isinstance(choice["message"]["content"], str) and choice["message"]["content"].strip(), "non-empty content")
    expect_equal(choice["finish_reason"], "stop", "finish_reason")
    usage = body["usage"]
    expect(usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0, f"usage {usage}")
    expect_equal(usage["total_tokens"], usage["prompt_tokens"] + usage["completion_tokens"], "total_tokens")
    expect(reply.header("x-request-id").startswith("req_"), "x-request-id")
    expect(reply.header("server-timing"), "Server-Timing")


@case()
def chat_streaming(ctx):
    headers, events = ctx.gateway.stream({"model": ctx.model, "stream": True, "messages": user("Count from 1 to 5.")})
    expect(headers["content-type"].startswith("text/event-stream"), f"content-type {headers['content-type']}")
    expect_equal(events[-1], "[DONE]", "last event")
    chunks = events[:-1]
    expect(len(chunks) >= 3, f"several chunks, got {len(chunks)}")
    expect_equal({chunk["object"] for chunk in chunks}, {"chat.completion.chunk"}, "chunk objects")
    expect_equal(len({chunk["id"] for chunk in chunks}), 1, "one id for all chunks")
    expect_equal(chunks[0]["choices"][0]["delta"].get("role"), "assistant", "the first delta's role")
    text = "".join(chunk["choices"][0]["delta"].get("content") or "" for chunk in chunks)
    expect(text.strip(), "the deltas join into text")
    expect_equal(chunks[-1]["choices"][0]["finish_reason"], "stop", "the last chunk's finish_reason")
    expect(all("usage" not in chunk for chunk in chunks), "no usage without include_usage")
    expect(headers.get("x-conversation-id"), "X-Conversation-Id on a stream")


@case()
def stream_include_usage_ends_with_a_usage_chunk(ctx):
    _, events = ctx.gateway.stream(
        {"model": ctx.model, "stream": True, "stream_options": {"include_usage": True}, "messages": user("Say hi.")}
    )
    expect_equal(events[-1], "[DONE]", "last event")
    last = events[-2]
    expect_equal(last["choices"], [], "the usage chunk's choices")
    usage = last["usage"]
    expect(usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0, f"usage {usage}")
    expect_equal(usage["total_tokens"], usage["prompt_tokens"] + usage["completion_tokens"], "total_tokens")
    expect(all(chunk["usage"] is None for chunk in events[:-2]), "usage is null on every other chunk")


@case()
def max_tokens_gives_finish_reason_length(ctx):
    reply = ctx.gateway.chat(
        {"model": ctx.model, "max_tokens": 5, "messages": user("Write a 300-word story about an anvil.")}
    )
    expect_equal(reply.status, 200, "status")
    body = reply.json()
    expect_equal(body["choices"][0]["finish_reason"], "length", "finish_reason")
    expect(body["usage"]["completion_tokens"] <= 5, f"completion_tokens {body['usage']['completion_tokens']}")


@case()
def stop_sequence_is_honoured(ctx):
    reply = ctx.gateway.chat(
        {
            "model": ctx.model,
            "stop": ["STOPHERE"],
            "messages": user("Repeat exactly, with nothing else: alpha beta STOPHERE gamma delta"),
        }
    )
    content = content_of(reply)
    expect("STOPHERE" not in content and "gamma" not in content, f"the reply ends before the stop sequence: {content!r}")
    expect_equal(reply.json()["choices"][0]["finish_reason"], "stop", "finish_reason")


@case()
def json_object_response_parses(ctx):
    reply = ctx.gateway.chat(
        {
            "model": ctx.model,
            "response_format": {"type": "json_object"},
            "messages": user('Reply with a JSON object like {"answer": "..."} saying hello.'),
        }
    )
    content = content_of(reply)
    expect(isinstance(json.loads(content), dict), f"a JSON object: {content!r}")


@case()
def client_tools_over_several_rounds(ctx):
    messages = user("What is the weather in Paris, and what time is it there? Use the tools.")
    tools = [WEATHER_TOOL, TIME_TOOL]
    results = {"get_weather": '{"temperature_c": 18, "sky": "sunny"}', "get_time": '{"time": "14:05"}'}
    for name in ["get_weather", "get_time"]:
        reply = ctx.gateway.chat({"model": ctx.model, "messages": messages, "tools": tools, "tool_choice": forced(name)})
        expect_equal(reply.status, 200, f"status of the {name} round (body {reply.body[:300]!r})")
        choice = reply.json()["choices"][0]
        expect_equal(choice["finish_reason"], "tool_calls", f"finish_reason of the {name} round")
        calls = choice["message"]["tool_calls"]
        expect_equal([call["function"]["name"] for call in calls], [name], "the forced tool is called")
        arguments = json.loads(calls[0]["function"]["arguments"])
        expect(isinstance(arguments, dict) and isinstance(arguments.get("city"), str), f"arguments {arguments}")
        messages = messages + [
            {"role": "assistant", "content": None, "tool_calls": calls},
            {"role": "tool", "tool_call_id": calls[0]["id"], "content": results[name]},
        ]
    reply = ctx.gateway.chat({"model": ctx.model, "messages": messages, "tools": tools, "tool_choice": "none"})
    body = reply.json()
    expect_equal(reply.status, 200, "status of the final round")
    expect_equal(body["choices"][0]["finish_reason"], "stop", "the final answer's finish_reason")
    expect("tool_calls" not in body["choices"][0]["message"], "no more tool calls")
    expect(content_of(reply).strip(), "the final answer arrives")


@case()
def streamed_tool_call_assembles(ctx):
    _, events = ctx.gateway.stream(
        {
            "model": ctx.model,
            "stream": True,
            "messages": user("What is the weather in Oslo?"),
            "tools": [WEATHER_TOOL],
            "tool_choice": forced("get_weather"),
        }
    )
    calls = {}
    finish = None
    for chunk in events[:-1]:
        for choice in chunk["choices"]:
            for delta in choice["delta"].get("tool_calls") or []:
                call = calls.setdefault(delta["index"], {"id": None, "name": "", "arguments": ""})
                call["id"] = delta.get("id") or call["id"]
                call["name"] += delta["function"].get("name") or ""
                call["arguments"] += delta["function"].get("arguments") or ""
            finish = choice["finish_reason"] or finish
    expect_equal(finish, "tool_calls", "finish_reason")
    expect_equal([call["name"] for call in calls.values()], ["get_weather"], "the tool called")
    expect(calls[0]["id"], "the call has an id")
    expect(isinstance(json.loads(calls[0]["arguments"]).get("city"), str), f"arguments {calls[0]['arguments']!r}")


# --- conversations --------------------------------------------------------------------------------


@case()
def conversation_id_is_returned(ctx):
    first = ctx.gateway.chat({"model": ctx.model, "messages": user("Hello.")})
    second = ctx.gateway.chat({"model": ctx.model, "messages": user("Hello.")})
    ids = [first.header("x-conversation-id"), second.header("x-conversation-id")]
    expect(all(ids), f"both replies carry X-Conversation-Id: {ids}")
    expect(ids[0] != ids[1], "each request without the header starts a new conversation")


@case()
def conversation_continues(ctx):
    opening = "My name is Zebulon Quartermaine and I collect antique anvils from the nineteenth century. " * 3
    first = ctx.gateway.chat({"model": ctx.model, "messages": user(opening)})
    conversation = first.header("x-conversation-id")
    expect_equal(first.status, 200, "status of the first turn")
    follow_up = user("What is my name?")
    continued = ctx.gateway.chat({"model": ctx.model, "messages": follow_up}, headers={"X-Conversation-Id": conversation})
    expect_equal(continued.status, 200, f"status of the continued turn (body {continued.body[:300]!r})")
    expect_equal(continued.header("x-conversation-id"), conversation, "the continued turn's X-Conversation-Id")
    alone = ctx.gateway.chat({"model": ctx.model, "messages": follow_up})
    # The upstream saw the stored turns before the new one, so the prompt is longer than the question alone.
    continued_prompt = continued.json()["usage"]["prompt_tokens"]
    alone_prompt = alone.json()["usage"]["prompt_tokens"]
    expect(continued_prompt > alone_prompt + 20, f"prompt tokens with history {continued_prompt}, without {alone_prompt}")
    if not ctx.options.offline_demo:
        # A real model read the history; the offline demo only echoes the last message.
        expect("Zebulon" in content_of(continued), f"the answer uses the stored turn: {content_of(continued)!r}")


# --- errors anyone can provoke --------------------------------------------------------------------


@case()
def error_401_unknown_key(ctx):
    for reply in [
        ctx.gateway.call("GET", "/models", key="sk-not-a-real-key-" + secrets.token_hex(8)),
        ctx.gateway.chat({"model": ctx.model, "messages": user("hi")}, key="sk-not-a-real-key-" + secrets.token_hex(8)),
    ]:
        expect_error(reply, 401, "invalid_api_key", error_type="invalid_request_error")


@case()
def error_401_missing_key(ctx):
    expect_error(ctx.gateway.chat({"model": ctx.model, "messages": user("hi")}, key=None), 401, "invalid_api_key")


@case()
def error_404_unknown_model(ctx):
    reply = ctx.gateway.chat({"model": "no-such-model-" + secrets.token_hex(4), "messages": user("hi")})
    expect_error(reply, 404, "model_not_found", param="model", error_type="invalid_request_error")


@case()
def error_404_retrieve_unknown_model(ctx):
    expect_error(ctx.gateway.call("GET", "/models/no-such-model-" + secrets.token_hex(4)), 404, "model_not_found")


@case()
def error_404_unknown_conversation(ctx):
    reply = ctx.gateway.chat(
        {"model": ctx.model, "messages": user("hi")}, headers={"X-Conversation-Id": "no-such-conversation-" + secrets.token_hex(4)}
    )
    expect_error(reply, 404, "conversation_not_found")


@case()
def error_404_unknown_route(ctx):
    expect_error(ctx.gateway.call("GET", "/no-such-route"), 404, None)


@case()
def error_400_invalid_json(ctx):
    expect_error(ctx.gateway.call("POST", "/chat/completions", b'{"model": "x", "messages": ['), 400, "invalid_json")


@case()
def error_400_missing_messages(ctx):
    expect_error(ctx.gateway.chat({"model": ctx.model}), 400, None, param="messages", error_type="invalid_request_error")


@case()
def error_400_invalid_value(ctx):
    reply = ctx.gateway.chat({"model": ctx.model, "messages": user("hi"), "temperature": 5})
    expect_error(reply, 400, "invalid_value", param="temperature")


@case()
def error_400_unsupported_n(ctx):
    expect_error(ctx.gateway.chat({"model": ctx.model, "messages": user("hi"), "n": 2}), 400, "unsupported_parameter", param="n")


@case()
def error_400_unknown_parameter(ctx):
    reply = ctx.gateway.chat({"model": ctx.model, "messages": user("hi"), "frobnicate": True})
    expect_error(reply, 400, "unsupported_parameter", param="frobnicate")


@case()
def error_413_body_over_the_limit(ctx):
    body = json.dumps({"model": ctx.model, "messages": user("x" * 1_100_000)}).encode()
    expect_error(ctx.gateway.call("POST", "/chat/completions", body), 413, "request_too_large")


@case()
def cors_preflight_allows_authorization(ctx):
    reply = ctx.gateway.call(
        "OPTIONS",
        "/chat/completions",
        key=None,
        headers={
            "origin": "https://app.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )
    expect(reply.status in (200, 204), f"status {reply.status}")
    expect("authorization" in (reply.header("access-control-allow-headers") or "").lower(), "Authorization is allowed")


# --- cases that need a tenant set up for them -----------------------------------------------------


@case(requires="blocked_term")
def error_403_content_policy_violation(ctx):
    reply = ctx.gateway.chat({"model": ctx.model, "messages": user(f"Tell me about {ctx.options.blocked_term}.")})
    error = expect_error(reply, 403, "content_policy_violation", error_type="permission_error")
    expect(ctx.options.blocked_term not in error["message"], "the message does not repeat the blocked term")


@case(requires="pii_block_key")
def error_403_pii_detected(ctx):
    address = f"jane.{secrets.token_hex(3)}@example.com"
    reply = ctx.gateway.chat(
        {"model": ctx.model, "messages": user(f"Email me at {address} please.")}, key=ctx.options.pii_block_key
    )
    error = expect_error(reply, 403, "pii_detected", error_type="permission_error")
    expect("email" in error["message"].lower(), f"the category is named: {error['message']!r}")
    expect(address not in error["message"], "the value is never echoed")


@case(requires="restricted_key")
def error_403_model_not_allowed(ctx):
    reply = ctx.gateway.chat({"model": ctx.model, "messages": user("hi")}, key=ctx.options.restricted_key)
    expect_error(reply, 403, "model_not_allowed", param="model", error_type="permission_error")


@case(requires="busy_prompt")
def error_409_conversation_busy(ctx):
    conversation = ctx.gateway.chat({"model": ctx.model, "messages": user("Hello.")}).header("x-conversation-id")
    headers = {"X-Conversation-Id": conversation}
    with ctx.gateway.open_stream(
        {"model": ctx.model, "stream": True, "messages": user(ctx.options.busy_prompt)}, headers=headers
    ) as generating:
        events = sse_events(generating)
        next(events)  # the reply has started: the conversation is busy until it ends
        reply = ctx.gateway.chat({"model": ctx.model, "messages": user("Are you done?")}, headers=headers)
        error = expect_error(reply, 409, "conversation_busy")
        expect(int(reply.header("retry-after")) >= 1, f"retry-after {reply.header('retry-after')}")
        expect(error["param"] is None or "conversation" in error["param"].lower(), f"param {error['param']}")
        remaining = list(events)
    expect_equal(remaining[-1], "[DONE]", "the first reply still finishes")


@case(requires="rate_limit_key")
def error_429_rate_limit_exceeded(ctx):
    for _ in range(ctx.options.rate_limit_attempts):
        reply = ctx.gateway.chat({"model": ctx.model, "max_tokens": 1, "messages": user("hi")}, key=ctx.options.rate_limit_key)
        if reply.status == 429:
            expect_error(reply, 429, "rate_limit_exceeded", error_type="rate_limit_exceeded")
            expect(int(reply.header("retry-after")) >= 1, f"retry-after {reply.header('retry-after')}")
            expect(int(reply.header("retry-after-ms")) > 0, f"retry-after-ms {reply.header('retry-after-ms')}")
            expect(reply.header("x-ratelimit-limit-requests"), "x-ratelimit-limit-requests")
            return
        expect_equal(reply.status, 200, "status before the limit")
        expect(reply.header("x-ratelimit-remaining-requests") is not None, "x-ratelimit-remaining-requests")
    raise CaseFailure(f"no 429 within {ctx.options.rate_limit_attempts} requests")


@case(requires="budget_key")
def error_429_insufficient_quota(ctx):
    for _ in range(3):
        reply = ctx.gateway.chat({"model": ctx.model, "messages": user("hi")}, key=ctx.options.budget_key)
        if reply.status == 429:
            expect_error(reply, 429, "insufficient_quota", error_type="insufficient_quota")
            return
        expect_equal(reply.status, 200, "status before the budget is spent")
        time.sleep(0.2)
    raise CaseFailure("the budget key never got 429 insufficient_quota")


@case(requires="offline_demo")
def error_502_upstream_error(ctx):
    # The offline demo model obeys [[fault:500]]: the upstream fails, the client gets 502.
    reply = ctx.gateway.chat({"model": ctx.model, "messages": user("[[fault:500]] hi")})
    expect_error(reply, 502, "upstream_error", error_type="server_error")
