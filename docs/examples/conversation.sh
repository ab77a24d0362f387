#!/bin/sh
# Continuing a stored conversation with curl: the first reply's X-Conversation-Id header, sent back
# with the next request, makes the model see the earlier turns without the client resending them.
set -e
conversation=$(curl -sS -o /dev/null -D - "$BASE_URL/chat/completions" \
  -H "Authorization: Bearer $API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"model": "writer", "messages": [{"role": "user", "content": "Write a tagline for Acme anvils."}]}' |
  tr -d '\r' | awk 'tolower($1) == "x-conversation-id:" { print $2 }')
echo "conversation: $conversation"
curl -sS "$BASE_URL/chat/completions" \
  -H "Authorization: Bearer $API_KEY" \
  -H "Content-Type: application/json" \
  -H "X-Conversation-Id: $conversation" \
  -d '{"model": "writer", "messages": [{"role": "user", "content": "Now make it shorter."}]}'
