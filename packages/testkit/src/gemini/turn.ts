import { performance } from 'node:perf_hooks';
import { Pacer } from '../util/pacer.ts';
import { OUTPUT_BYTES_PER_MS, OUTPUT_MIME, tonePcm24k } from './audio.ts';
import type { GeminiSetup } from './setup.ts';
import type { GeminiToolCallRecord, GeminiTurnRecord, ScriptTurn } from './types.ts';

/** What a model turn needs from its session. */
export interface TurnHost {
  readonly setup: GeminiSetup;
  send(message: object): void;
  /** Hot path: one `modelTurn` audio chunk (base64 PCM16 24 kHz). */
  sendAudio(base64: string): void;
  /** `toolCall` sent; the session now waits for `toolResponse`. */
  toolCallIssued(calls: GeminiToolCallRecord[]): void;
  /** `usageMetadata` for the turn's `turnComplete`. */
  usage(run: TurnRun): Record<string, unknown>;
  finished(run: TurnRun): void;
}

export interface TurnPlan {
  id: string;
  trigger: GeminiTurnRecord['trigger'];
  turnIndex: number;
  turn: ScriptTurn;
  text: string | null;
  pacing: 'paced' | 'burst';
  speed: number;
  chunkMs: number;
  toneHz: number;
  delayMs: number;
  staleAudioMs: number;
  turnCompleteAfterToolCall: boolean;
}

let callSeq = 0;

/**
 * One model turn: audio as `serverContent.modelTurn.parts[].inlineData` (PCM16 24 kHz tone,
 * paced or burst) with `outputTranscription` spread over it, then either a `toolCall` or
 * `generationComplete` → `turnComplete` + `usageMetadata`. `interrupt()` stops it (the session
 * sends `interrupted` before and `turnComplete` after).
 */
export class TurnRun {
  readonly record: GeminiTurnRecord;
  #host: TurnHost;
  #plan: TurnPlan;
  #audio: Buffer = Buffer.alloc(0);
  #chunkBytes = 0;
  #chunks = 0;
  #sent = 0;
  #words: string[] = [];
  #wordsSent = 0;
  #pacer: Pacer | null = null;
  #timer: NodeJS.Timeout | undefined;

  constructor(host: TurnHost, plan: TurnPlan) {
    this.#host = host;
    this.#plan = plan;
    this.record = {
      id: plan.id,
      trigger: plan.trigger,
      turnIndex: plan.turnIndex,
      status: 'in_progress',
      startedAtMs: performance.now(),
      doneAtMs: null,
      text: plan.text,
      audioMs: 0,
    };
  }

  get active(): boolean {
    return this.record.status === 'in_progress';
  }

  /** Transcript words actually sent (what the model "said"). */
  get spokenText(): string {
    return this.#words.slice(0, this.#wordsSent).join('');
  }

  start(): void {
    if (this.#plan.delayMs > 0) this.#timer = setTimeout(() => this.#begin(), this.#plan.delayMs);
    else this.#begin();
  }

  /** Stops streaming; sends `staleAudioMs` more audio of this turn (in flight on a real server). */
  interrupt(): boolean {
    if (!this.active) return false;
    this.#stopTimers();
    this.record.status = 'interrupted';
    this.record.doneAtMs = performance.now();
    const staleChunks = Math.ceil(this.#plan.staleAudioMs / this.#plan.chunkMs);
    for (let i = 0; i < staleChunks && this.#sent < this.#chunks; i++) this.#sendChunk(this.#sent);
    return true;
  }

  /** Stop timers without sending anything (the socket is gone). */
  dispose(): void {
    this.#stopTimers();
    if (this.active) this.record.status = 'interrupted';
  }

  #begin() {
    this.#timer = undefined;
    const say = this.#plan.turn.say;
    if (!say) return this.#afterAudio();
    this.#words = say.text.split(/(?<=\s)/);
    if (this.#host.setup.modality === 'TEXT') {
      this.#host.send({ serverContent: { modelTurn: { parts: [{ text: say.text }] } } });
      this.#wordsSent = this.#words.length;
      return this.#afterAudio();
    }
    const durationMs = say.durationMs ?? Math.max(300, say.text.length * 70);
    this.#audio = say.audio ? Buffer.from(say.audio) : tonePcm24k(this.#plan.toneHz, durationMs);
    this.#chunkBytes = Math.max(2, Math.round(this.#plan.chunkMs * OUTPUT_BYTES_PER_MS) & ~1);
    this.#chunks = Math.ceil(this.#audio.length / this.#chunkBytes);
    if (this.#chunks === 0) return this.#afterAudio();
    if (this.#plan.pacing === 'burst') {
      for (let i = 0; i < this.#chunks && this.active; i++) this.#sendChunk(i);
      return this.#afterAudio();
    }
    this.#pacer = new Pacer(this.#plan.chunkMs / this.#plan.speed, (i) => {
      if (!this.active) return false;
      this.#sendChunk(i);
      if (i + 1 >= this.#chunks) {
        this.#pacer?.stop();
        this.#afterAudio();
      }
      return true;
    });
    this.#pacer.start();
  }

  #sendChunk(i: number): void {
    const chunk = this.#audio.subarray(i * this.#chunkBytes, (i + 1) * this.#chunkBytes);
    this.#sent = i + 1;
    this.record.audioMs += chunk.length / OUTPUT_BYTES_PER_MS;
    this.#host.sendAudio(chunk.toString('base64'));
    const target = Math.ceil((this.#words.length * (i + 1)) / this.#chunks);
    if (target > this.#wordsSent && this.#host.setup.outputTranscription) {
      const text = this.#words.slice(this.#wordsSent, target).join('');
      this.#host.send({ serverContent: { outputTranscription: { text } } });
    }
    this.#wordsSent = Math.max(this.#wordsSent, target);
  }

  #afterAudio(): void {
    if (!this.active) return;
    const call = this.#plan.turn.toolCall;
    this.record.status = 'completed';
    this.record.doneAtMs = performance.now();
    if (call) {
      callSeq++;
      const id = call.callId ?? `function-call-${Date.now()}${String(callSeq).padStart(6, '0')}`;
      const record: GeminiToolCallRecord = {
        atMs: performance.now(),
        id,
        name: call.name,
        args: call.arguments,
        state: 'pending',
      };
      this.#host.send({ toolCall: { functionCalls: [{ id, name: call.name, args: call.arguments }] } });
      this.#host.toolCallIssued([record]);
      if (this.#plan.turnCompleteAfterToolCall) this.#host.send({ serverContent: { turnComplete: true } });
    } else {
      this.#host.send({ serverContent: { generationComplete: true } });
      this.#host.send({ serverContent: { turnComplete: true }, usageMetadata: this.#host.usage(this) });
    }
    this.#host.finished(this);
  }

  #stopTimers(): void {
    this.#pacer?.stop();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

export const AUDIO_MIME = OUTPUT_MIME;
