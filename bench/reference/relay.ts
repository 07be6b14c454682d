/**
 * The reference relay: the smallest Twilio ⇄ OpenAI Realtime bridge that still works, written the
 * way the public samples are (twilio-samples speech-assistant-openai-realtime-api-node): one
 * process, no database, no call records, no tracking. It answers the voice webhook with TwiML,
 * accepts the media stream, opens one model socket per call, forwards the caller's audio as
 * `input_audio_buffer.append`, the model's audio as Twilio `media` each followed by a `mark`, and
 * on `speech_started` truncates the item, sends `clear` and forgets its marks.
 *
 * Started by the benchmark (`bench/run.ts`) beside the real server, under the same load (same fake
 * model, same load generator), so the product's CPU per call-second and relay p99 are reported
 * as a ratio to this in the same run (docs/PERFORMANCE.md#reference-relay). Like the samples it
 * checks no signature and parses every frame with `JSON.parse`; it is a floor, not a product.
 */
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { lifetimeLimit } from '../child-util.ts';

lifetimeLimit(Number(process.env.BENCH_CHILD_MAX_MS ?? 3_600_000), 'reference-relay');

const MODEL_URL = process.env.REFERENCE_MODEL_URL ?? '';
const MODEL_KEY = process.env.REFERENCE_MODEL_KEY ?? '';
const PUBLIC_HOST = process.env.REFERENCE_PUBLIC_HOST ?? 'localhost';
const INSTRUCTIONS = 'You are a helpful phone agent. Keep answers short.';

const http = createServer((req, res) => {
  if (req.method === 'POST' && req.url?.startsWith('/api/twiml/connect-stream')) {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://${PUBLIC_HOST}/media-stream" /></Connect></Response>`,
      );
    });
    return;
  }
  req.resume();
  // Status callbacks and anything else: accepted, nothing stored.
  res.writeHead(req.url === '/health' || req.method === 'POST' ? 200 : 404).end();
});

const wss = new WebSocketServer({ server: http, path: '/media-stream' });

wss.on('connection', (twilio: WebSocket) => {
  let streamSid: string | null = null;
  let latestMediaTimestamp = 0;
  let lastAssistantItem: string | null = null;
  let responseStartTimestamp: number | null = null;
  let markQueue: string[] = [];
  const pending: string[] = [];

  const model = new WebSocket(`${MODEL_URL}?model=gpt-realtime`, {
    headers: { Authorization: `Bearer ${MODEL_KEY}` },
  });
  const toModel = (event: object) => {
    const text = JSON.stringify(event);
    if (model.readyState === WebSocket.OPEN) model.send(text);
    else if (model.readyState === WebSocket.CONNECTING) pending.push(text);
  };

  model.on('open', () => {
    for (const text of pending.splice(0)) model.send(text);
    model.send(
      JSON.stringify({
        type: 'session.update',
        session: {
          type: 'realtime',
          model: 'gpt-realtime',
          output_modalities: ['audio'],
          audio: {
            input: { format: { type: 'audio/pcmu' }, turn_detection: { type: 'server_vad' } },
            output: { format: { type: 'audio/pcmu' }, voice: 'alloy' },
          },
          instructions: INSTRUCTIONS,
        },
      }),
    );
    // The agent speaks first, as the product's default agent does.
    model.send(JSON.stringify({ type: 'response.create' }));
  });

  model.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString('utf8'));
    if (event.type === 'response.output_audio.delta' && event.delta && streamSid) {
      twilio.send(JSON.stringify({ event: 'media', streamSid, media: { payload: event.delta } }));
      if (responseStartTimestamp === null) responseStartTimestamp = latestMediaTimestamp;
      if (event.item_id) lastAssistantItem = event.item_id;
      twilio.send(JSON.stringify({ event: 'mark', streamSid, mark: { name: 'responsePart' } }));
      markQueue.push('responsePart');
    } else if (event.type === 'input_audio_buffer.speech_started') {
      if (markQueue.length > 0 && responseStartTimestamp !== null) {
        const elapsed = latestMediaTimestamp - responseStartTimestamp;
        if (lastAssistantItem) {
          toModel({
            type: 'conversation.item.truncate',
            item_id: lastAssistantItem,
            content_index: 0,
            audio_end_ms: Math.max(0, elapsed),
          });
        }
        twilio.send(JSON.stringify({ event: 'clear', streamSid }));
        markQueue = [];
        lastAssistantItem = null;
        responseStartTimestamp = null;
      }
    }
  });

  twilio.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8'));
    switch (msg.event) {
      case 'media':
        latestMediaTimestamp = Number(msg.media.timestamp);
        toModel({ type: 'input_audio_buffer.append', audio: msg.media.payload });
        break;
      case 'start':
        streamSid = msg.start.streamSid;
        latestMediaTimestamp = 0;
        responseStartTimestamp = null;
        break;
      case 'mark':
        markQueue.shift();
        break;
    }
  });

  const close = () => {
    if (model.readyState === WebSocket.OPEN || model.readyState === WebSocket.CONNECTING) model.close();
  };
  twilio.on('close', close);
  twilio.on('error', close);
  model.on('error', () => twilio.close());
  model.on('close', () => {
    if (twilio.readyState === WebSocket.OPEN) twilio.close();
  });
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ ready: true, port });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
