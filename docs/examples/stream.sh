#!/bin/sh
# A streamed chat completion with curl: server-sent events, one chunk per delta, then "data: [DONE]".
# -N turns off curl's buffering so the chunks print as they arrive.
curl -sSN "$BASE_URL/chat/completions" \
  -H "Authorization: Bearer $API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"model": "writer", "stream": true, "messages": [{"role": "user", "content": "Write a tagline for Acme anvils."}]}'
