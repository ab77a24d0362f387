// Streaming with the official openai SDK for Node, with the token usage in a last chunk.
// BASE_URL is the gateway's OpenAI base URL, API_KEY a tenant API key.
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY });

const stream = await client.chat.completions.create({
  model: "writer",
  messages: [{ role: "user", content: "Write a tagline for Acme anvils." }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
  if (chunk.usage) console.log(`\nusage: ${chunk.usage.prompt_tokens} in, ${chunk.usage.completion_tokens} out`);
}
