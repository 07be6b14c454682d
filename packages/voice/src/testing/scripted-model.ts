/**
 * An in-memory {@link RealtimeModel} for CallSession tests: records every method call and lets
 * the test play server events (`emit`). Capabilities are configurable so tests can exercise
 * both OpenAI-like and Gemini-like behaviour without a provider.
 */
import { PCMU_8K } from '@switchboard/audio';
import { TypedEmitter } from '../emitter.ts';
import type {
  ModelCapabilities,
  ModelConnectOptions,
  ModelSession,
  ModelSessionEvents,
  RealtimeModel,
} from '../realtime/types.ts';
import type { AudioFormat } from '../types.ts';

export const SCRIPTED_CAPABILITIES: ModelCapabilities = {
  truncation: true,
  serverVad: true,
  inputFormats: [PCMU_8K],
  outputFormat: PCMU_8K,
  autoReplyAfterToolResult: false,
  sessionResumption: false,
};

export interface ScriptedModelOptions {
  capabilities?: Partial<ModelCapabilities>;
  /** Runs inside `connect` before the session is returned: throw to fail, await to delay. */
  beforeConnect?: (options: ModelConnectOptions) => Promise<void> | void;
  /** Shared ordered log; receives `model:<method>` for each call. */
  journal?: string[];
}

export interface RecordedCall {
  method:
    | 'sendAudio'
    | 'sendToolResult'
    | 'createResponse'
    | 'cancelResponse'
    | 'truncate'
    | 'sendDtmf'
    | 'close';
  args: unknown[];
}

export class ScriptedModelSession implements ModelSession {
  readonly capabilities: ModelCapabilities;
  readonly calls: RecordedCall[] = [];
  closed = false;
  #events = new TypedEmitter<ModelSessionEvents>();
  #journal: string[] | undefined;
  #outputFormat: AudioFormat;

  constructor(capabilities: ModelCapabilities, outputFormat: AudioFormat, journal?: string[]) {
    this.capabilities = capabilities;
    this.#outputFormat = outputFormat;
    this.#journal = journal;
  }

  on: ModelSession['on'] = (event, listener) => this.#events.on(event, listener);
  once: ModelSession['once'] = (event, listener) => this.#events.once(event, listener);
  off: ModelSession['off'] = (event, listener) => this.#events.off(event, listener);

  /** Plays a server event into the session under test. */
  emit<K extends keyof ModelSessionEvents>(event: K, payload: ModelSessionEvents[K]): void {
    this.#events.emit(event, payload);
  }

  /** Emits assistant audio for `itemId` in the requested output format. */
  audio(itemId: string, base64: string): void {
    this.emit('audio', { base64, itemId, format: this.#outputFormat });
  }

  /** Calls of one method, arguments only. */
  callsOf(method: RecordedCall['method']): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  sendAudio(base64: string, format: AudioFormat): void {
    this.#record('sendAudio', [base64, format], false);
  }
  sendToolResult(callId: string, output: string, opts: { name: string }): void {
    this.#record('sendToolResult', [callId, output, opts]);
  }
  createResponse(instructions?: string): void {
    this.#record('createResponse', instructions === undefined ? [] : [instructions]);
  }
  cancelResponse(): void {
    this.#record('cancelResponse', []);
  }
  truncate(itemId: string, audioEndMs: number): void {
    this.#record('truncate', [itemId, audioEndMs]);
  }
  sendDtmf(digit: string): void {
    this.#record('sendDtmf', [digit]);
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.#record('close', []);
    this.#events.emit('closed', { code: 1000, reason: 'closed', expected: true });
  }

  #record(method: RecordedCall['method'], args: unknown[], journal = true): void {
    this.calls.push({ method, args });
    if (journal) this.#journal?.push(`model:${method}`);
  }
}

export class ScriptedModel implements RealtimeModel {
  readonly provider = 'scripted';
  readonly capabilities: ModelCapabilities;
  readonly connects: ModelConnectOptions[] = [];
  readonly sessions: ScriptedModelSession[] = [];
  #options: ScriptedModelOptions;

  constructor(options: ScriptedModelOptions = {}) {
    this.#options = options;
    this.capabilities = { ...SCRIPTED_CAPABILITIES, ...options.capabilities };
  }

  /** The most recent session. */
  get session(): ScriptedModelSession {
    const session = this.sessions.at(-1);
    if (!session) throw new Error('ScriptedModel: not connected');
    return session;
  }

  async connect(options: ModelConnectOptions): Promise<ModelSession> {
    this.connects.push(options);
    await this.#options.beforeConnect?.(options);
    const session = new ScriptedModelSession(this.capabilities, options.outputFormat, this.#options.journal);
    this.sessions.push(session);
    return session;
  }
}
