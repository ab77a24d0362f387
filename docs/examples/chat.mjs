// The official openai SDK for Node: list the models the key may call, ask one, and continue the
// stored conversation. BASE_URL is the gateway's OpenAI base URL, API_KEY a tenant API key.
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY });

for await (const model of client.models.list()) console.log(`model: ${model.id}`);

const { data: completion, response } = await client.chat.completions
  .create({ model: "writer", messages: [{ role: "user", content: "Write a tagline for Acme anvils." }] })
  .withResponse();
console.log(completion.choices[0].message.content);

// The gateway stored that turn: send only the new message, with the conversation's id.
const conversation = response.headers.get("x-conversation-id");
const followUp = await client.chat.completions.create(
  { model: "writer", messages: [{ role: "user", content: "Now make it shorter." }] },
  { headers: { "X-Conversation-Id": conversation } },
);
console.log(followUp.choices[0].message.content);
