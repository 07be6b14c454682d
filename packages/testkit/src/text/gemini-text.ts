/**
 * Fake Gemini text API: `POST /v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent` (`?alt=sse`: one `data:` event per GenerateContentResponse, `\r\n\r\n`
 * apart; without it a JSON array), key in `x-goog-api-key` or `?key=`, answered from a
 * TextScript. Function calls carry a `thoughtSignature` that the next request must echo, as
 * Gemini 3 requires. docs/testkit.md.
 *
 *   const gemini = await startFakeGeminiText({ script: [...] });
 *   // GEMINI_BASE_URL = gemini.url
 */
import { randomBytes } from 'node:crypto';
import { type GoogleErrorBody, readGenerateRequest } from './gemini-text-request.ts';
import {
  delay,
  type FakeRequestContext,
  HttpFake,
  type RecordedTextRequest,
  sendJson,
  startSse,
  type TextFake,
  type TextFakeOptions,
} from './http-fake.ts';
import {
  chunkText,
  estimateTokens,
  plannedReply,
  type TextConversation,
  type TextFakeError,
  type TextReply,
} from './script.ts';

export interface FakeGeminiTextOptions extends TextFakeOptions {
  /** Send and require thought signatures on function calls (default true, as Gemini 3). */
  thoughtSignatures?: boolean;
  /** Put an `id` on each function call (default false: the Gemini API sends none). */
  functionCallIds?: boolean;
}

/** `url` is the API root for GEMINI_BASE_URL. */
export type FakeGeminiText = TextFake;

const PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export async function startFakeGeminiText(options: FakeGeminiTextOptions = {}): Promise<FakeGeminiText> {
  const signatures = options.thoughtSignatures ?? true;
  const fake: HttpFake = new HttpFake(options, async ({ record, res }: FakeRequestContext, failure) => {
    const match = PATH.exec(record.path);
    if (record.method !== 'POST' || !match) {
      return sendJson(res, record, 404, googleError(404, 'NOT_FOUND', `Method not found: ${record.path}`));
    }
    const key = (record.headers['x-goog-api-key'] as string | undefined) ?? record.query.key;
    if (!key) {
      return sendJson(
        res,
        record,
        403,
        googleError(
          403,
          'PERMISSION_DENIED',
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        ),
      );
    }
    if (options.apiKey !== undefined && key !== options.apiKey) {
      return sendJson(res, record, 400, {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'API_KEY_INVALID',
              domain: 'googleapis.com',
              metadata: { service: 'generativelanguage.googleapis.com' },
            },
          ],
        },
      });
    }
    if (failure) return sendFailure(res, record, failure);
    const model = decodeURIComponent(match[1]!);
    const stream = match[2] === 'streamGenerateContent';
    if (options.models && !options.models.includes(model)) {
      return sendJson(
        res,
        record,
        404,
        googleError(
          404,
          'NOT_FOUND',
          `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
        ),
      );
    }
    const read = readGenerateRequest(record.body, model, stream, signatures);
    if ('status' in read) return sendJson(res, record, read.status, read.body);
    record.conversation = read;
    record.stream = stream;
    const { reply, turnIndex } = fake.script.take(read);
    record.turnIndex = turnIndex;
    await delay(reply.delayMs ?? 0);
    if (reply.error) return sendFailure(res, record, reply.error);
    const events = responses(reply, read, fake.problems, options, signatures);
    if (!stream) return sendJson(res, record, 200, events.at(-1)!.whole);
    if (record.query.alt !== 'sse') {
      // Without alt=sse the stream is one JSON array, written as it grows.
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.write('[');
      for (const [i, e] of events.entries()) res.write(`${i ? ',\r\n' : ''}${JSON.stringify(e.chunk)}`);
      return void res.end(']');
    }
    const sse = startSse(res, record, '\r\n\r\n');
    let sent = 0;
    for (const e of events) {
      if (reply.dropAfterChars !== undefined && sent >= reply.dropAfterChars) return sse.drop();
      sse.send(JSON.stringify(e.chunk));
      sent += e.textChars;
      await delay(options.chunkDelayMs ?? 0);
    }
    sse.end();
  });
  await fake.listen();
  return fake.handle();
}

/** The stream events (`chunk`) and, on the last one, the whole non-streamed response (`whole`). */
function responses(
  reply: TextReply,
  c: TextConversation,
  problems: string[],
  options: FakeGeminiTextOptions,
  signatures: boolean,
) {
  const { text, calls } = plannedReply(reply, c, problems);
  const callParts = calls.map((call, i) => ({
    functionCall: {
      ...(options.functionCallIds ? { id: `fc_${randomBytes(6).toString('hex')}` } : {}),
      name: call.name,
      args: JSON.parse(call.arguments) as unknown,
    },
    // Gemini signs the first function call of a response.
    ...(signatures && i === 0 ? { thoughtSignature: randomBytes(24).toString('base64') } : {}),
  }));
  const prompt = estimateTokens(JSON.stringify(c.messages) + c.instructions);
  const output = estimateTokens(text + JSON.stringify(callParts));
  const finishReason = reply.finishReason ?? 'STOP';
  const responseId = randomBytes(12).toString('base64url');
  const envelope = (parts: unknown[], last: boolean, outputSoFar: number) => ({
    candidates: [{ content: { parts, role: 'model' }, ...(last ? { finishReason } : {}), index: 0 }],
    usageMetadata: {
      promptTokenCount: prompt,
      ...(outputSoFar ? { candidatesTokenCount: outputSoFar } : {}),
      totalTokenCount: prompt + outputSoFar,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
    },
    modelVersion: c.model,
    responseId,
  });
  const pieces = text ? chunkText(text, options.chunkChars ?? 8) : [];
  const events: Array<{ chunk: unknown; textChars: number; whole?: unknown }> = [];
  let soFar = 0;
  for (const [i, piece] of pieces.entries()) {
    soFar += piece.length;
    const last = i === pieces.length - 1 && callParts.length === 0;
    events.push({
      chunk: envelope([{ text: piece }], last, last ? output : estimateTokens(text.slice(0, soFar))),
      textChars: piece.length,
    });
  }
  if (callParts.length || events.length === 0)
    events.push({
      chunk: envelope(callParts.length ? callParts : [{ text: '' }], true, output),
      textChars: 0,
    });
  const wholeParts = [...(text ? [{ text }] : []), ...callParts];
  events.at(-1)!.whole = envelope(wholeParts, true, output);
  return events;
}

function googleError(code: number, status: string, message: string): GoogleErrorBody {
  return { error: { code, message, status } };
}

const STATUS: Record<number, [string, string]> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  403: ['PERMISSION_DENIED', 'The caller does not have permission'],
  429: ['RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'],
  500: [
    'INTERNAL',
    'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  ],
  503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
};

function sendFailure(
  res: Parameters<typeof sendJson>[0],
  record: RecordedTextRequest,
  failure: TextFakeError,
): void {
  const [status, message] = STATUS[failure.status] ?? STATUS[failure.status >= 500 ? 500 : 400]!;
  const headers: Record<string, string> =
    failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
  sendJson(
    res,
    record,
    failure.status,
    googleError(failure.status, failure.code ?? status, failure.message ?? message),
    headers,
  );
}
