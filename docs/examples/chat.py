# A chat completion from Python's standard library, then a second turn in the same stored
# conversation. BASE_URL is the gateway's OpenAI base URL, API_KEY a tenant API key.
import json
import os
import urllib.request


def chat(messages, conversation=None):
    headers = {"Authorization": f"Bearer {os.environ['API_KEY']}", "Content-Type": "application/json"}
    if conversation:
        headers["X-Conversation-Id"] = conversation
    request = urllib.request.Request(
        os.environ["BASE_URL"] + "/chat/completions",
        data=json.dumps({"model": "writer", "messages": messages}).encode(),
        headers=headers,
    )
    with urllib.request.urlopen(request) as response:
        return response.headers["X-Conversation-Id"], json.load(response)


conversation, reply = chat([{"role": "user", "content": "Write a tagline for Acme anvils."}])
print(reply["choices"][0]["message"]["content"])

# The gateway stored the first turn: send only the new message, with the conversation's id.
_, reply = chat([{"role": "user", "content": "Now make it shorter."}], conversation)
print(reply["choices"][0]["message"]["content"])
