/**
 * How an outbound call opens, driven by asynchronous answering-machine detection (the call is
 * connected before Twilio knows who answered). The agent does not greet at once: a person who
 * says "hello?" gets a reply from the model anyway, and a machine should not be talked at.
 *
 * - `human` / `unknown` → the greeting (unless the conversation already started);
 * - `machine_*` → the voicemail message after the beep (DetectMessageEnd reports the beep), then
 *   hang up; `fax` → hang up;
 * - no result and nobody spoke within `waitMs` → the greeting anyway.
 * A result that arrives before the model is connected is applied once it is.
 */
import { greetingInstructions } from '@switchboard/voice';

/** Greet anyway when neither AMD nor the callee said anything for this long, ms. */
export const OUTBOUND_GREETING_WAIT_MS = 5_000;

export interface OpeningActions {
  say(instructions: string, opts: { interrupt?: boolean }): Promise<boolean>;
  leaveVoicemail(): Promise<void>;
  hangup(reason: string): Promise<void>;
}

type State = 'waiting' | 'greeted' | 'voicemail' | 'done';

export function isMachine(answeredBy: string): boolean {
  return answeredBy.startsWith('machine_');
}

export class OutboundOpening {
  #actions: OpeningActions;
  #greeting: string;
  #waitMs: number;
  #state: State = 'waiting';
  #live = false;
  #pending: string | null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: {
    actions: OpeningActions;
    greeting: string;
    /** AMD result already stored on the call when the stream started. */
    answeredBy: string | null;
    waitMs?: number;
  }) {
    this.#actions = options.actions;
    this.#greeting = options.greeting.trim();
    this.#pending = options.answeredBy;
    this.#waitMs = options.waitMs ?? OUTBOUND_GREETING_WAIT_MS;
  }

  /** The model is connected. */
  ready(): void {
    if (this.#live) return;
    this.#live = true;
    if (this.#pending) this.answeredBy(this.#pending);
    else this.#timer = setTimeout(() => this.#greet(), this.#waitMs);
  }

  /** Somebody spoke (caller or agent): the conversation started without a greeting. */
  engaged(): void {
    if (this.#state !== 'waiting') return;
    this.#state = 'greeted';
    clearTimeout(this.#timer);
  }

  answeredBy(value: string): void {
    if (!this.#live) {
      this.#pending = value;
      return;
    }
    if (this.#state === 'voicemail' || this.#state === 'done') return;
    if (isMachine(value)) {
      this.#settle('voicemail');
      void this.#actions.leaveVoicemail();
    } else if (value === 'fax') {
      this.#settle('done');
      void this.#actions.hangup('fax');
    } else {
      this.#greet();
    }
  }

  stop(): void {
    this.#settle('done');
  }

  #greet(): void {
    if (this.#state !== 'waiting') return;
    this.#settle('greeted');
    if (this.#greeting) void this.#actions.say(greetingInstructions(this.#greeting), { interrupt: false });
  }

  #settle(state: State): void {
    this.#state = state;
    clearTimeout(this.#timer);
  }
}
