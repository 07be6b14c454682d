// The text fakes refuse what the real APIs refuse and stream what they stream (raw HTTP, no client).
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGeminiText } from './gemini-text.ts';
import { startFakeOpenAIChat } from './openai-chat.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function post(url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe('fake OpenAI chat completions', () => {
  const start = async () => {
    const fake = await startFakeOpenAIChat({
      apiKey: 'sk-right',
      script: [{ say: 'Hello there', toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] }],
    });
    closers.push(() => fake.close());
    return { fake, url: `${fake.url}/chat/completions`, auth: { authorization: 'Bearer sk-right' } };
  };
  const tools = [
    { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } },
  ];

  it('refuses a missing or wrong key, unknown parameters and broken tool sequences', async () => {
    const { url, auth } = await start();
    const messages = [{ role: 'user', content: 'hi' }];
    expect((await post(url, { model: 'm', messages }, {})).status).toBe(401);
    const wrong = await post(url, { model: 'm', messages }, { authorization: 'Bearer sk-wrong' });
    expect(JSON.parse(wrong.text).error.code).toBe('invalid_api_key');
    expect(JSON.parse((await post(url, { model: 'm', messages, foo: 1 }, auth)).text).error.message).toBe(
      'Unrecognized request argument supplied: foo',
    );
    const orphan = await post(
      url,
      { model: 'm', messages: [...messages, { role: 'tool', tool_call_id: 'c1', content: '{}' }] },
      auth,
    );
    expect(JSON.parse(orphan.text).error.message).toContain("messages with role 'tool' must be a response");
    const unanswered = await post(
      url,
      {
        model: 'm',
        messages: [
          ...messages,
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
          },
        ],
      },
      auth,
    );
    expect(JSON.parse(unanswered.text).error.message).toContain('did not have response messages: c1');
    const loose = await post(
      url,
      {
        model: 'm',
        messages,
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'x',
            strict: true,
            schema: { type: 'object', properties: { a: { type: 'string' } } },
          },
        },
      },
      auth,
    );
    expect(JSON.parse(loose.text).error.code).toBe('invalid_json_schema');
  });

  it('streams chunks with tool-call fragments, the usage chunk and [DONE]', async () => {
    const { url, auth } = await start();
    const res = await post(
      url,
      {
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        tools,
        stream: true,
        stream_options: { include_usage: true },
      },
      auth,
    );
    const events = res.text.split('\n\n').filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
    const fragments = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(fragments[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'lookup', arguments: '' },
    });
    expect(fragments.map((f: { function: { arguments: string } }) => f.function.arguments).join('')).toBe(
      '{"q":"x"}',
    );
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
  });
});

describe('fake Gemini generateContent', () => {
  const start = async () => {
    const fake = await startFakeGeminiText({
      apiKey: 'g-right',
      script: [{ toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }], times: 5 }],
    });
    closers.push(() => fake.close());
    const url = (method: string) => `${fake.url}/v1beta/models/gemini-2.5-flash:${method}`;
    return { fake, url, auth: { 'x-goog-api-key': 'g-right' } };
  };
  const tools = [
    {
      functionDeclarations: [
        { name: 'lookup', parameters: { type: 'OBJECT', properties: { q: { type: 'STRING' } } } },
      ],
    },
  ];
  const user = { role: 'user', parts: [{ text: 'hi' }] };

  it('refuses a missing or wrong key, unknown fields, JSON-Schema-only keywords and missing responses', async () => {
    const { url, auth } = await start();
    expect((await post(url('generateContent'), { contents: [user] }, {})).status).toBe(403);
    const wrong = await post(url('generateContent'), { contents: [user] }, { 'x-goog-api-key': 'nope' });
    expect(wrong.text).toContain('API_KEY_INVALID');
    const unknown = await post(url('generateContent'), { contents: [user], messages: [] }, auth);
    expect(JSON.parse(unknown.text).error.message).toBe(
      'Invalid JSON payload received. Unknown name "messages": Cannot find field.',
    );
    const schema = await post(
      url('generateContent'),
      {
        contents: [user],
        tools: [
          {
            functionDeclarations: [
              { name: 'lookup', parameters: { type: 'OBJECT', additionalProperties: false } },
            ],
          },
        ],
      },
      auth,
    );
    expect(JSON.parse(schema.text).error.message).toContain('Unknown name "additionalProperties"');
    const call = {
      role: 'model',
      parts: [{ functionCall: { name: 'lookup', args: {} }, thoughtSignature: 'sig' }],
    };
    const twoResponses = {
      role: 'user',
      parts: [
        { functionResponse: { name: 'lookup', response: {} } },
        { functionResponse: { name: 'lookup', response: {} } },
      ],
    };
    const mismatch = await post(
      url('generateContent'),
      { contents: [user, call, twoResponses], tools },
      auth,
    );
    expect(JSON.parse(mismatch.text).error.message).toContain('number of function response parts');
  });

  it('signs function calls and requires the signature back in the same turn', async () => {
    const { url, auth } = await start();
    const first = JSON.parse((await post(url('generateContent'), { contents: [user], tools }, auth)).text);
    const part = first.candidates[0].content.parts[0];
    expect(part).toMatchObject({
      functionCall: { name: 'lookup', args: { q: 'x' } },
      thoughtSignature: expect.any(String),
    });
    const response = {
      role: 'user',
      parts: [{ functionResponse: { name: 'lookup', response: { ok: true } } }],
    };
    const unsigned = { role: 'model', parts: [{ functionCall: part.functionCall }] };
    const refused = await post(url('generateContent'), { contents: [user, unsigned, response], tools }, auth);
    expect(JSON.parse(refused.text).error.message).toContain('missing a thought_signature');
    const signed = { role: 'model', parts: [part] };
    expect(
      (await post(url('generateContent'), { contents: [user, signed, response], tools }, auth)).status,
    ).toBe(200);
  });

  it('streams one GenerateContentResponse per SSE event with alt=sse, a JSON array without', async () => {
    const { fake, url, auth } = await start();
    fake.setScript([{ say: 'Hello from the fake Gemini', times: 2 }]);
    const sse = await post(`${url('streamGenerateContent')}?alt=sse`, { contents: [user] }, auth);
    const events = sse.text
      .split('\r\n\r\n')
      .filter(Boolean)
      .map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(events.map((e) => e.candidates[0].content.parts[0].text).join('')).toBe(
      'Hello from the fake Gemini',
    );
    expect(events.at(-1)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { totalTokenCount: expect.any(Number) },
    });
    const array = JSON.parse((await post(url('streamGenerateContent'), { contents: [user] }, auth)).text);
    expect(Array.isArray(array)).toBe(true);
  });
});
