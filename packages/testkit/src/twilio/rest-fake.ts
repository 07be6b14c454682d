import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { twilioSid } from '../util/ids.ts';
import {
  NUMBERS_ROUTE,
  newPhoneNumberResource,
  type PhoneNumberResource,
  routeNumbers,
} from './rest-numbers.ts';
import {
  type CallResource,
  isFinalCallStatus,
  type MessageResource,
  newCallResource,
  newMessageResource,
  one,
  restError,
  type TwilioRestError,
  validateCallCreate,
  validateMessageCreate,
} from './rest-resources.ts';
import { parseForm, type TwilioParams } from './signature.ts';
import {
  deliverStatusCallback,
  type SentStatusCallback,
  type StatusCallbackSubscription,
  subscriptionFrom,
} from './status-callbacks.ts';
import { rfc2822 } from './webhook.ts';

export interface TwilioRestRequest {
  method: string;
  /** Path without the query string, e.g. `/2010-04-01/Accounts/AC…/Calls.json`. */
  path: string;
  query: TwilioParams;
  /** Parsed form body; repeated keys (e.g. `StatusCallbackEvent`) are arrays. */
  form: TwilioParams;
  /** Basic-auth credentials as sent, or null. */
  auth: { username: string; password: string } | null;
  /** `performance.now()` on arrival. */
  atMs: number;
  /** HTTP status the fake answered. */
  status: number;
}

export interface FakeCall {
  sid: string;
  /** The JSON the API returns for this call (mutable through `setCallStatus`). */
  resource: CallResource;
  /** The create form. */
  params: TwilioParams;
  /** Every update form, in order. */
  updates: TwilioParams[];
  /** The `StatusCallback` asked for at create or by the latest update naming one. */
  statusCallback?: StatusCallbackSubscription;
}

export interface RestFailure {
  status: number;
  code: number;
  message: string;
  /** Only fail a request whose method/path match (default: the very next request). */
  match?: { method?: string; path?: string | RegExp };
}

export interface TwilioRestFakeEvents {
  request: [TwilioRestRequest];
  call_created: [FakeCall];
  call_updated: [FakeCall, TwilioParams];
  message_created: [MessageResource];
  status_callback: [SentStatusCallback];
}

export interface TwilioRestFakeOptions {
  accountSid: string;
  authToken: string;
  /** Delay every response (ms; default 0) to exercise client timeouts. */
  latencyMs?: number;
  /**
   * Send the calls' status callbacks (status-callbacks.ts), as Twilio does, at each status
   * change (`setCallStatus`, a REST hang-up). `rewriteUrl` maps the public callback URL to
   * where the server really listens; the signature is made for the public URL. Off by default.
   */
  statusCallbacks?: { rewriteUrl: (url: string) => string };
}

const ROUTE = /^\/2010-04-01\/Accounts\/([^/]+)\/(Calls|Messages)(?:\/([^/]+))?\.json$/;

/**
 * The Twilio REST endpoints the product calls (docs/telephony.md#rest-api): create/update/fetch
 * Calls, create Messages, list/fetch/update IncomingPhoneNumbers (rest-numbers.ts). Basic auth is checked; errors use Twilio's JSON shape. See
 * docs/testkit.md for how to point the `twilio` SDK at it.
 */
export class TwilioRestFake extends EventEmitter<TwilioRestFakeEvents> {
  readonly accountSid: string;
  /** Every request, in order. */
  readonly requests: TwilioRestRequest[] = [];
  readonly calls = new Map<string, FakeCall>();
  readonly messages: MessageResource[] = [];
  /** Every status callback sent (with `statusCallbacks`), in order. */
  readonly sentStatusCallbacks: SentStatusCallback[] = [];
  /** The account's phone numbers (IncomingPhoneNumbers), added with `addPhoneNumber`. */
  readonly phoneNumbers: PhoneNumberResource[] = [];
  url = '';
  #statusCallbacks: TwilioRestFakeOptions['statusCallbacks'];
  #authToken: string;
  #latencyMs: number;
  #failures: RestFailure[] = [];
  #server: Server;

  constructor(opts: TwilioRestFakeOptions) {
    super();
    this.accountSid = opts.accountSid;
    this.#authToken = opts.authToken;
    this.#latencyMs = opts.latencyMs ?? 0;
    this.#statusCallbacks = opts.statusCallbacks;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#send(res, 500, restError(500, 20500, `Internal fake error: ${String(error)}`));
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Make the next (matching) request fail with Twilio's error shape, e.g. 400/21211. */
  failNext(failure: RestFailure): void {
    this.#failures.push(failure);
  }

  getCall(sid: string): FakeCall | undefined {
    return this.calls.get(sid);
  }

  /** The most recent call created (handy right after the product dials). */
  lastCall(): FakeCall | undefined {
    return [...this.calls.values()].at(-1);
  }

  /**
   * Makes an inbound call (one that reached the product through its voice webhook, not through
   * this API) known to the REST API, in progress, as Twilio does: the product can then fetch or
   * update it by sid (e.g. a hang-up from another server process).
   */
  addInboundCall(sid: string, params: { From: string; To: string }): FakeCall {
    const call: FakeCall = {
      sid,
      resource: { ...newCallResource(this.accountSid, sid, params), direction: 'inbound' },
      params,
      updates: [],
    };
    this.calls.set(sid, call);
    this.setCallStatus(sid, 'in-progress');
    return call;
  }

  /** Makes a number part of the account, optionally with its webhooks already set. */
  addPhoneNumber(
    e164: string,
    webhooks: Partial<Pick<PhoneNumberResource, 'voice_url' | 'status_callback' | 'sms_url'>> = {},
  ): PhoneNumberResource {
    const number = newPhoneNumberResource(this.accountSid, e164, webhooks);
    this.phoneNumbers.push(number);
    return number;
  }

  /** Move a call along its lifecycle as Twilio would (start/end time, duration, answered_by). */
  setCallStatus(sid: string, status: string, extra: Partial<CallResource> = {}): FakeCall {
    const call = this.calls.get(sid);
    if (!call) throw new Error(`Unknown call ${sid}`);
    const r = call.resource;
    const now = rfc2822();
    if (status === 'in-progress' && !r.start_time) r.start_time = now;
    if (isFinalCallStatus(status) && !r.end_time) {
      r.end_time = now;
      const started = typeof r.start_time === 'string' ? Date.parse(r.start_time) : Number.NaN;
      r.duration = String(Number.isNaN(started) ? 0 : Math.max(0, Math.round((Date.now() - started) / 1000)));
    }
    const changed = r.status !== status;
    Object.assign(r, extra, { status, date_updated: now });
    if (changed) this.#sendStatusCallback(call);
    return call;
  }

  #sendStatusCallback(call: FakeCall): void {
    const options = this.#statusCallbacks;
    if (!options || !call.statusCallback) return;
    const resource = { ...call.resource };
    void deliverStatusCallback(call.statusCallback, resource, {
      authToken: this.#authToken,
      rewriteUrl: options.rewriteUrl,
    }).then((sent) => {
      if (!sent) return;
      this.sentStatusCallbacks.push(sent);
      this.emit('status_callback', sent);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const atMs = performance.now();
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const entry: TwilioRestRequest = {
      method,
      path: url.pathname,
      query: parseForm(url.search.slice(1)),
      form: parseForm(body),
      auth: parseBasic(req.headers.authorization),
      atMs,
      status: 0,
    };
    const [status, payload] = this.#route(entry);
    entry.status = status;
    this.requests.push(entry);
    this.emit('request', entry);
    if (this.#latencyMs > 0) await new Promise((r) => setTimeout(r, this.#latencyMs));
    this.#send(res, status, payload);
  }

  #route(req: TwilioRestRequest): [number, unknown] {
    if (req.auth?.username !== this.accountSid || req.auth.password !== this.#authToken) {
      return [401, restError(401, 20003, 'Authenticate')];
    }
    const failure = this.#takeFailure(req);
    if (failure) return [failure.status, restError(failure.status, failure.code, failure.message)];
    if (NUMBERS_ROUTE.test(req.path)) return routeNumbers(this.accountSid, this.phoneNumbers, req);
    const m = ROUTE.exec(req.path);
    const notFound = restError(404, 20404, `The requested resource ${req.path} was not found`);
    if (!m || m[1] !== this.accountSid) return [404, notFound];
    const [, , kind, sid] = m;
    if (kind === 'Calls' && !sid && req.method === 'POST') return this.#createCall(req.form);
    if (kind === 'Calls' && sid) {
      const call = this.calls.get(sid);
      if (!call) return [404, notFound];
      if (req.method === 'GET') return [200, call.resource];
      if (req.method === 'POST') return this.#updateCall(call, req.form);
    }
    if (kind === 'Messages' && !sid && req.method === 'POST') return this.#createMessage(req.form);
    if (kind === 'Messages' && sid && req.method === 'GET') {
      const msg = this.messages.find((x) => x.sid === sid);
      return msg ? [200, msg] : [404, notFound];
    }
    return [405, restError(405, 20004, 'Method not allowed')];
  }

  #createCall(form: TwilioParams): [number, unknown] {
    const invalid = validateCallCreate(form);
    if (invalid) return [invalid.status, invalid];
    const sid = twilioSid('CA');
    const call: FakeCall = {
      sid,
      resource: newCallResource(this.accountSid, sid, form),
      params: form,
      updates: [],
      statusCallback: subscriptionFrom(form, false) ?? undefined,
    };
    this.calls.set(sid, call);
    this.emit('call_created', call);
    return [201, call.resource];
  }

  #updateCall(call: FakeCall, form: TwilioParams): [number, unknown] {
    const status = one(form, 'Status');
    const current = call.resource.status;
    if ((one(form, 'Twiml') || one(form, 'Url')) && isFinalCallStatus(current)) {
      return [400, restError(400, 21220, 'Call is not in-progress. Cannot redirect.')];
    }
    call.updates.push(form);
    const subscription = subscriptionFrom(form, true);
    if (subscription) call.statusCallback = { ...subscription, sent: call.statusCallback?.sent ?? 0 };
    if (status === 'completed' && !isFinalCallStatus(current)) {
      this.setCallStatus(call.sid, current === 'in-progress' ? 'completed' : 'canceled');
    } else if (status === 'canceled' && ['queued', 'initiated', 'ringing'].includes(current)) {
      this.setCallStatus(call.sid, 'canceled');
    } else {
      call.resource.date_updated = rfc2822();
    }
    this.emit('call_updated', call, form);
    return [200, call.resource];
  }

  #createMessage(form: TwilioParams): [number, unknown] {
    const invalid: TwilioRestError | null = validateMessageCreate(form);
    if (invalid) return [invalid.status, invalid];
    const msg = newMessageResource(this.accountSid, twilioSid('SM'), form);
    this.messages.push(msg);
    this.emit('message_created', msg);
    return [201, msg];
  }

  #takeFailure(req: TwilioRestRequest): RestFailure | undefined {
    const i = this.#failures.findIndex((f) => {
      const { method, path } = f.match ?? {};
      if (method && method.toUpperCase() !== req.method) return false;
      if (typeof path === 'string' && !req.path.includes(path)) return false;
      if (path instanceof RegExp && !path.test(req.path)) return false;
      return true;
    });
    return i === -1 ? undefined : this.#failures.splice(i, 1)[0];
  }

  #send(res: ServerResponse, status: number, payload: unknown): void {
    if (res.headersSent) return;
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Twilio-Request-Id': twilioSid('RQ'),
      ...(status === 401 ? { 'WWW-Authenticate': 'Basic realm="Twilio API"' } : {}),
    });
    res.end(JSON.stringify(payload));
  }
}

/** Start the fake on 127.0.0.1:0; `fake.url` is the base to use instead of `https://api.twilio.com`. */
export async function startTwilioRestFake(opts: TwilioRestFakeOptions): Promise<TwilioRestFake> {
  const fake = new TwilioRestFake(opts);
  await fake.listen();
  return fake;
}

function parseBasic(header: string | undefined): { username: string; password: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
