import type { RealtimeSessionConfig } from './config.ts';
import type { ResponsePlan } from './response.ts';
import type { FakeOpenAIRealtimeOptions, ResponseRecord, ScriptTurn } from './types.ts';

/** A script cursor: which turn plays next, and what the fake does once the script is exhausted. */
export class ScriptCursor {
  readonly turns: ScriptTurn[];
  readonly mismatches: Array<{ turnIndex: number; expected: string; actual: string }> = [];
  #next = 0;
  #defaultSay: NonNullable<ScriptTurn['say']>;

  constructor(turns: ScriptTurn[], defaultSay: ScriptTurn['say'] = { text: 'Okay.' }) {
    this.turns = turns;
    this.#defaultSay = defaultSay;
  }

  /** Index of the next turn to play. */
  get position(): number {
    return this.#next;
  }

  /** The next turn without consuming it (for the user transcript of the coming turn). */
  peek(): ScriptTurn | undefined {
    return this.turns[this.#next];
  }

  /** Consume the next turn for a response started by `trigger`; -1 = default reply. */
  take(trigger: ResponseRecord['trigger']): { turn: ScriptTurn; turnIndex: number } {
    const scripted = this.turns[this.#next];
    if (!scripted) return { turn: { say: this.#defaultSay }, turnIndex: -1 };
    const turnIndex = this.#next++;
    if (scripted.on && scripted.on !== 'any' && scripted.on !== trigger) {
      this.mismatches.push({ turnIndex, expected: scripted.on, actual: trigger });
    }
    return { turn: scripted, turnIndex };
  }

  /** The user transcript the next turn scripts for the speech that triggers it, if any. */
  nextUserTranscript(): string | undefined {
    const next = this.peek();
    const forUser = next && (next.on === undefined || next.on === 'user_turn' || next.on === 'any');
    return forUser ? next.userTranscript : undefined;
  }
}

/** Everything a `ResponseRun` needs, from server options, the turn and `response.create` params. */
export function planResponse(
  opts: FakeOpenAIRealtimeOptions,
  config: RealtimeSessionConfig,
  picked: { turn: ScriptTurn; turnIndex: number },
  trigger: ResponseRecord['trigger'],
  params: Record<string, unknown>,
): ResponsePlan {
  const pacing = opts.pacing ?? 'paced';
  const modalities = params.output_modalities;
  return {
    trigger,
    turnIndex: picked.turnIndex,
    turn: picked.turn,
    instructions: typeof params.instructions === 'string' ? params.instructions : null,
    metadata: params.metadata ?? null,
    modalities:
      Array.isArray(modalities) && (modalities[0] === 'audio' || modalities[0] === 'text')
        ? [modalities[0]]
        : config.output_modalities,
    pacing,
    speed: opts.speed ?? 1,
    chunkMs: opts.tagAudio ? 20 : (opts.chunkMs ?? (pacing === 'paced' ? 20 : 100)),
    toneHz: opts.toneHz ?? 440,
    tagAudio: opts.tagAudio ?? false,
    delayMs: picked.turn.delayMs ?? opts.responseDelayMs ?? 0,
  };
}
