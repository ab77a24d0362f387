#!/bin/sh
# A chat completion with curl. BASE_URL is the gateway's OpenAI base URL (e.g.
# http://127.0.0.1:3211/api/v1), API_KEY a tenant API key; "writer" is one of the demo seed's agents.
curl -sS "$BASE_URL/chat/completions" \
  -H "Authorization: Bearer $API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"model": "writer", "messages": [{"role": "user", "content": "Write a tagline for Acme anvils."}]}'
