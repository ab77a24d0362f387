"""HTTP access to the gateway with the standard library only: JSON requests, error bodies, and a
server-sent-events reader that follows the SSE format (comments, multi-line data, CRLF)."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())

    def error(self):
        """The OpenAI error object of an error reply."""
        return self.json()["error"]


class Gateway:
    def __init__(self, base_url, api_key, timeout):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def _request(self, method, path, body, key, headers):
        all_headers = {"accept": "application/json, text/event-stream"}
        if key is not None:
            all_headers["authorization"] = f"Bearer {key}"
        if body is not None:
            all_headers["content-type"] = "application/json"
        all_headers.update(headers or {})
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        return urllib.request.Request(self.base_url + path, data=data, method=method, headers=all_headers)

    def call(self, method, path, body=None, key="default", headers=None):
        """Sends a request and returns the whole reply, whatever its status. `body` is JSON-encoded unless it is bytes."""
        key = self.api_key if key == "default" else key
        request = self._request(method, path, body, key, headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return Reply(response.status, _lower(response.headers), response.read())
        except urllib.error.HTTPError as failure:
            with failure:
                return Reply(failure.code, _lower(failure.headers), failure.read())

    def chat(self, body, key="default", headers=None):
        return self.call("POST", "/chat/completions", body, key, headers)

    def open_stream(self, body, key="default", headers=None):
        """Starts a streaming chat request; returns the open response (read it with sse_events) or raises on an HTTP error."""
        key = self.api_key if key == "default" else key
        return urllib.request.urlopen(self._request("POST", "/chat/completions", body, key, headers), timeout=self.timeout)

    def stream(self, body, key="default", headers=None):
        """A streaming chat request read to its end: (headers, events), each event's data parsed as JSON except [DONE]."""
        with self.open_stream(body, key, headers) as response:
            headers = _lower(response.headers)
            events = [event for event in sse_events(response)]
        return headers, events


def sse_events(response):
    """Yields each event's data from a text/event-stream response: parsed JSON, or the text "[DONE]"."""
    data_lines = []
    for raw in response:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line == "":
            if data_lines:
                data = "\n".join(data_lines)
                data_lines = []
                yield data if data == "[DONE]" else json.loads(data)
            continue
        if line.startswith(":"):
            continue  # a comment, e.g. the gateway's keep-alive
        field, _, value = line.partition(":")
        if field == "data":
            data_lines.append(value[1:] if value.startswith(" ") else value)
    if data_lines:
        data = "\n".join(data_lines)
        yield data if data == "[DONE]" else json.loads(data)


def _lower(headers):
    return {name.lower(): value for name, value in headers.items()}
