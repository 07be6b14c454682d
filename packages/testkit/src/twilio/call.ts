import { MediaStreamClient, type MediaStreamClientOptions } from './media-stream-client.ts';
import { sendVoiceWebhook, type WebhookResult } from './webhook.ts';

export interface InboundCallOptions {
  /** Where the voice webhook really goes (e.g. `http://127.0.0.1:PORT/api/twiml/connect-stream`). */
  url: string;
  /** The public URL Twilio would sign (e.g. `https://bridge.example.com/api/twiml/connect-stream`). */
  signatureUrl?: string;
  authToken: string;
  /** Voice webhook parameters (override the defaults of `sendVoiceWebhook`). */
  params?: Record<string, string>;
  /**
   * Map a URL found in the TwiML (`wss://PUBLIC_HOST/…`) to where it really listens. Default: the
   * origin of `signatureUrl` is replaced by the origin of `url` (`wss:`→`ws:` when `url` is http).
   */
  rewriteUrl?: (url: string) => string;
  /** Options for the media stream (pacing, playout, continuous…). */
  stream?: Omit<
    MediaStreamClientOptions,
    'callSid' | 'accountSid' | 'customParameters' | 'authToken' | 'signatureUrl'
  >;
}

export interface InboundCall {
  webhook: WebhookResult;
  /** The connected stream when the TwiML was a valid `<Connect><Stream>`, else null. */
  stream: MediaStreamClient | null;
  callSid: string;
  accountSid: string;
}

/**
 * An inbound call as Twilio runs it (docs/telephony.md#twiml-connect-and-stream): signed voice
 * webhook, TwiML parsed, then — for a valid `<Connect><Stream>` — the WebSocket opened with a
 * signed upgrade, `connected` and `start` carrying the `<Parameter>`s. TwiML that Twilio would
 * reject (see `webhook.twiml.problems`) opens no stream.
 */
export async function startInboundCall(opts: InboundCallOptions): Promise<InboundCall> {
  const webhook = await sendVoiceWebhook({
    url: opts.url,
    signatureUrl: opts.signatureUrl,
    authToken: opts.authToken,
    params: opts.params,
  });
  const callSid = String(webhook.params.CallSid);
  const accountSid = String(webhook.params.AccountSid);
  const twimlStream = webhook.twiml?.stream;
  const streamOk =
    webhook.status === 200 &&
    twimlStream?.bidirectional === true &&
    !webhook.twiml?.problems.some((p) => p.code >= 31900 && p.code < 32000);
  if (!twimlStream || !streamOk) return { webhook, stream: null, callSid, accountSid };
  const rewrite = opts.rewriteUrl ?? defaultRewrite(opts.url, opts.signatureUrl);
  const stream = await MediaStreamClient.connect(rewrite(twimlStream.url), {
    ...opts.stream,
    callSid,
    accountSid,
    customParameters: twimlStream.parameters,
    authToken: opts.authToken,
    signatureUrl: twimlStream.url,
  });
  return { webhook, stream, callSid, accountSid };
}

function defaultRewrite(url: string, signatureUrl: string | undefined): (u: string) => string {
  if (!signatureUrl) return (u) => u;
  const local = new URL(url);
  const pub = new URL(signatureUrl);
  return (u) => {
    const target = new URL(u);
    if (target.host !== pub.host) return u;
    const secure = local.protocol === 'https:';
    return `${secure ? 'wss' : 'ws'}://${local.host}${target.pathname}${target.search}`;
  };
}
