// Errors with the official openai SDK for Node: every failure is OpenAI's error shape, so the SDK
// raises its usual typed errors with the status, code and parameter.
// BASE_URL is the gateway's OpenAI base URL, API_KEY a tenant API key.
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });

try {
  await client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "Hi" }] });
} catch (error) {
  if (!(error instanceof OpenAI.NotFoundError)) throw error;
  console.log(`${error.status} ${error.code} (param: ${error.param})`);
}

try {
  await new OpenAI({ baseURL: process.env.BASE_URL, apiKey: "sk-wrong-key-0000000000000000", maxRetries: 0 }).models.list();
} catch (error) {
  if (!(error instanceof OpenAI.AuthenticationError)) throw error;
  console.log(`${error.status} ${error.code}`);
}
