# A streamed chat completion from Python's standard library: reads the server-sent events line by
# line and prints each delta as it arrives. BASE_URL is the gateway's OpenAI base URL, API_KEY a key.
import json
import os
import urllib.request

request = urllib.request.Request(
    os.environ["BASE_URL"] + "/chat/completions",
    data=json.dumps(
        {"model": "writer", "stream": True, "messages": [{"role": "user", "content": "Write a tagline for Acme anvils."}]}
    ).encode(),
    headers={"Authorization": f"Bearer {os.environ['API_KEY']}", "Content-Type": "application/json"},
)
with urllib.request.urlopen(request) as response:
    for line in response:
        line = line.decode().strip()
        if not line.startswith("data: "):
            continue  # blank lines end events; lines starting with ":" are keep-alive comments
        data = line[len("data: "):]
        if data == "[DONE]":
            break
        for choice in json.loads(data)["choices"]:
            print(choice["delta"].get("content") or "", end="", flush=True)
print()
