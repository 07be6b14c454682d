import { performance } from 'node:perf_hooks';
import { tagFrame } from '../tagging.ts';
import { openAiId } from '../util/ids.ts';
import { Pacer } from '../util/pacer.ts';
import { bytesPerMs, toneAudio } from './audio-io.ts';
import type { RealtimeSessionConfig } from './config.ts';
import { functionCallItem, type MessageItemState, messageItem, responseObject, usage } from './events.ts';
import type { ResponseRecord, ScriptTurn } from './types.ts';

/** A conversation item the session tracks (for truncation and tool outputs). */
export interface ConvItem {
  id: string;
  type: 'message' | 'function_call' | 'function_call_output';
  role?: 'user' | 'assistant' | 'system';
  callId?: string;
  /** Assistant audio sent for this item, bytes (in the output format). */
  audioBytes: number;
}

/** What a response needs from its session. */
export interface ResponseHost {
  readonly config: RealtimeSessionConfig;
  readonly conversationId: string;
  send(type: string, fields: Record<string, unknown>): void;
  /** Hot path: one `response.output_audio.delta`. */
  sendAudioDelta(responseId: string, itemId: string, outputIndex: number, base64: string): void;
  lastItemId(): string | null;
  previousItemId(itemId: string): string | null;
  addItem(item: ConvItem): void;
  /** Take the next tag sequence number and record its emit time now. */
  emitTag(): number;
  inputUsage(): { textChars: number; audioMs: number; cachedText: number };
  /** Right after `response.created` (the session sends `rate_limits.updated` here). */
  created(run: ResponseRun): void;
  finished(run: ResponseRun): void;
}

export interface ResponsePlan {
  trigger: ResponseRecord['trigger'];
  turnIndex: number;
  turn: ScriptTurn;
  instructions: string | null;
  metadata: unknown;
  modalities: Array<'audio' | 'text'>;
  pacing: 'paced' | 'burst';
  speed: number;
  chunkMs: number;
  toneHz: number;
  tagAudio: boolean;
  delayMs: number;
}

/**
 * One streaming response: `response.created` → optional assistant message (audio deltas at real
 * time or in a burst, transcript deltas spread across them) → optional function call →
 * `response.done`. `cancel()` ends it early with the item `incomplete` and status `cancelled`.
 */
export class ResponseRun {
  readonly record: ResponseRecord;
  #host: ResponseHost;
  #plan: ResponsePlan;
  #output: Array<Record<string, unknown>> = [];
  #message: (MessageItemState & { item: ConvItem }) | null = null;
  #audio: Buffer = Buffer.alloc(0);
  #chunkBytes = 0;
  #chunks = 0;
  #words: string[] = [];
  #wordsSent = 0;
  #pacer: Pacer | null = null;
  #timer: NodeJS.Timeout | undefined;

  constructor(host: ResponseHost, plan: ResponsePlan) {
    this.#host = host;
    this.#plan = plan;
    this.record = {
      id: openAiId('resp'),
      trigger: plan.trigger,
      turnIndex: plan.turnIndex,
      status: 'in_progress',
      startedAtMs: performance.now(),
      doneAtMs: null,
      instructions: plan.instructions,
      itemIds: [],
      audioMs: 0,
    };
  }

  get id(): string {
    return this.record.id;
  }

  get active(): boolean {
    return this.record.status === 'in_progress';
  }

  start(): void {
    this.#host.send('response.created', { response: this.#response('in_progress', null, null) });
    this.#host.created(this);
    if (this.#plan.delayMs > 0) this.#timer = setTimeout(() => this.#begin(), this.#plan.delayMs);
    else this.#begin();
  }

  /** Stop now; `reason` goes to `status_details`. Returns false if already finished. */
  cancel(reason: 'client_cancelled' | 'turn_detected'): boolean {
    if (!this.active) return false;
    this.#stopTimers();
    if (this.#message) this.#closeMessage('incomplete');
    this.#finish('cancelled', { type: 'cancelled', reason });
    return true;
  }

  /** Stop timers without sending anything (the socket is gone). */
  dispose(): void {
    this.#stopTimers();
    this.record.status = 'cancelled';
  }

  #begin(): void {
    this.#timer = undefined;
    const say = this.#plan.turn.say;
    if (say) {
      this.#openMessage(say.text);
      if (this.#streamBody(say)) return; // paced audio continues on the pacer
    }
    this.#afterMessage();
  }

  /** Send the message body; returns true while audio keeps streaming on the pacer. */
  #streamBody(say: NonNullable<ScriptTurn['say']>): boolean {
    if (this.#plan.modalities[0] === 'text') {
      this.#host.send('response.output_text.delta', { ...this.#partRef(), delta: say.text });
      this.#wordsSent = this.#words.length;
      return false;
    }
    const format = this.#host.config.audio.output.format;
    const durationMs = say.durationMs ?? Math.max(300, say.text.length * 70);
    this.#audio = say.audio ? Buffer.from(say.audio) : toneAudio(format, this.#plan.toneHz, durationMs);
    this.#chunkBytes = Math.max(1, Math.round(this.#plan.chunkMs * bytesPerMs(format)));
    this.#chunks = Math.ceil(this.#audio.length / this.#chunkBytes);
    if (this.#chunks === 0) return false;
    if (this.#plan.pacing === 'burst') {
      for (let i = 0; i < this.#chunks && this.active; i++) this.#sendChunk(i);
      return false;
    }
    this.#pacer = new Pacer(this.#plan.chunkMs / this.#plan.speed, (i) => {
      this.#sendChunk(i);
      if (i + 1 >= this.#chunks) {
        this.#pacer?.stop();
        this.#afterMessage();
      }
      return true;
    });
    this.#pacer.start();
    return true;
  }

  #openMessage(text: string): void {
    const item: ConvItem = { id: openAiId('item'), type: 'message', role: 'assistant', audioBytes: 0 };
    const modality = this.#plan.modalities[0] ?? 'audio';
    this.#message = { id: item.id, status: 'in_progress', transcript: null, modality, item };
    this.#words = text.split(/(?<=\s)/);
    const added = messageItem(this.#message);
    this.#host.send('response.output_item.added', {
      response_id: this.id,
      output_index: this.#output.length,
      item: added,
    });
    this.#host.send('conversation.item.added', { previous_item_id: this.#host.lastItemId(), item: added });
    this.#host.addItem(item);
    this.record.itemIds.push(item.id);
    const part =
      modality === 'audio' ? { type: 'output_audio', transcript: '' } : { type: 'output_text', text: '' };
    this.#host.send('response.content_part.added', { ...this.#partRef(), part });
  }

  #partRef(): Record<string, unknown> {
    return {
      response_id: this.id,
      item_id: this.#message?.id,
      output_index: this.#output.length,
      content_index: 0,
    };
  }

  #sendChunk(i: number): void {
    const msg = this.#message;
    if (!msg) return;
    const target = Math.ceil((this.#words.length * (i + 1)) / this.#chunks);
    if (target > this.#wordsSent) {
      const delta = this.#words.slice(this.#wordsSent, target).join('');
      this.#wordsSent = target;
      this.#host.send('response.output_audio_transcript.delta', { ...this.#partRef(), delta });
    }
    let chunk = this.#audio.subarray(i * this.#chunkBytes, (i + 1) * this.#chunkBytes);
    if (this.#plan.tagAudio && chunk.length >= 10) chunk = tagFrame(this.#host.emitTag(), chunk);
    msg.item.audioBytes += chunk.length;
    this.#host.sendAudioDelta(this.id, msg.id, this.#output.length, chunk.toString('base64'));
  }

  #afterMessage(): void {
    if (!this.active) return;
    if (this.#message) this.#closeMessage('completed');
    const call = this.#plan.turn.toolCall;
    if (call) this.#functionCall(call);
    this.#finish('completed', null);
  }

  #closeMessage(status: 'completed' | 'incomplete'): void {
    const msg = this.#message;
    if (!msg) return;
    this.#message = null;
    const transcript = this.#words.slice(0, this.#wordsSent).join('');
    const ref = {
      response_id: this.id,
      item_id: msg.id,
      output_index: this.#output.length,
      content_index: 0,
    };
    if (msg.modality === 'audio') {
      this.#host.send('response.output_audio.done', ref);
      this.#host.send('response.output_audio_transcript.done', { ...ref, transcript });
      this.#host.send('response.content_part.done', { ...ref, part: { type: 'output_audio', transcript } });
    } else {
      this.#host.send('response.output_text.done', { ...ref, text: transcript });
      this.#host.send('response.content_part.done', {
        ...ref,
        part: { type: 'output_text', text: transcript },
      });
    }
    const item = messageItem({ ...msg, status, transcript });
    this.#host.send('response.output_item.done', {
      response_id: this.id,
      output_index: this.#output.length,
      item,
    });
    this.#host.send('conversation.item.done', { previous_item_id: this.#host.previousItemId(msg.id), item });
    this.#output.push(item);
    this.record.audioMs += msg.item.audioBytes / bytesPerMs(this.#host.config.audio.output.format);
  }

  #functionCall(call: NonNullable<ScriptTurn['toolCall']>): void {
    const args = JSON.stringify(call.arguments);
    const item: ConvItem = {
      id: openAiId('item'),
      type: 'function_call',
      callId: call.callId ?? openAiId('call'),
      audioBytes: 0,
    };
    const base = { id: item.id, name: call.name, callId: item.callId ?? '' };
    const outputIndex = this.#output.length;
    const added = functionCallItem({ ...base, status: 'in_progress', arguments: '' });
    this.#host.send('response.output_item.added', {
      response_id: this.id,
      output_index: outputIndex,
      item: added,
    });
    this.#host.send('conversation.item.added', { previous_item_id: this.#host.lastItemId(), item: added });
    this.#host.addItem(item);
    this.record.itemIds.push(item.id);
    const ref = { response_id: this.id, item_id: item.id, output_index: outputIndex, call_id: item.callId };
    const half = Math.ceil(args.length / 2);
    for (const delta of [args.slice(0, half), args.slice(half)]) {
      if (delta) this.#host.send('response.function_call_arguments.delta', { ...ref, delta });
    }
    this.#host.send('response.function_call_arguments.done', { ...ref, name: call.name, arguments: args });
    const done = functionCallItem({ ...base, status: 'completed', arguments: args });
    this.#host.send('response.output_item.done', {
      response_id: this.id,
      output_index: outputIndex,
      item: done,
    });
    this.#host.send('conversation.item.done', {
      previous_item_id: this.#host.previousItemId(item.id),
      item: done,
    });
    this.#output.push(done);
  }

  #finish(status: 'completed' | 'cancelled', details: unknown): void {
    this.record.status = status;
    this.record.doneAtMs = performance.now();
    const transcriptChars = this.#words.slice(0, this.#wordsSent).join('').length;
    const u = usage(this.#host.inputUsage(), { textChars: transcriptChars, audioMs: this.record.audioMs });
    this.#host.send('response.done', { response: this.#response(status, details, u) });
    this.#host.finished(this);
  }

  #response(status: ResponseRecord['status'], details: unknown, u: ReturnType<typeof usage> | null) {
    return responseObject({
      id: this.id,
      status,
      statusDetails: details,
      output: status === 'in_progress' ? [] : this.#output,
      conversationId: this.#host.conversationId,
      config: this.#host.config,
      modalities: this.#plan.modalities,
      usage: u,
      metadata: this.#plan.metadata,
    });
  }

  #stopTimers(): void {
    this.#pacer?.stop();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
