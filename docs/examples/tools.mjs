// Client-side tools with the official openai SDK for Node: the model asks for a tool call, this
// program runs the tool and sends the result back, and the model answers with it.
// BASE_URL is the gateway's OpenAI base URL, API_KEY a tenant API key.
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY });

const tools = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];
const runTool = {
  get_weather: ({ city }) => JSON.stringify({ city, temperature_c: 18, sky: "sunny" }),
};

const messages = [{ role: "user", content: "What is the weather in Paris?" }];
// The first round must call a tool; after that the model decides.
let toolChoice = "required";
for (;;) {
  const completion = await client.chat.completions.create({ model: "writer", messages, tools, tool_choice: toolChoice });
  const message = completion.choices[0].message;
  messages.push(message);
  if (!message.tool_calls?.length) {
    console.log(message.content);
    break;
  }
  for (const call of message.tool_calls) {
    const result = runTool[call.function.name](JSON.parse(call.function.arguments));
    console.log(`tool call: ${call.function.name}(${call.function.arguments}) -> ${result}`);
    messages.push({ role: "tool", tool_call_id: call.id, content: result });
  }
  toolChoice = "auto";
}
