/**
 * What the shared conformance suite needs from each model adapter: the adapter pointed at its
 * test-kit fake, plus a provider-neutral view of what the fake saw and a few fault buttons.
 * One implementation per adapter lives beside its `*.conformance.test.ts`.
 */
import type { ScriptTurn } from '@switchboard/testkit';
import type { RealtimeModel, SessionConfig } from '../realtime/types.ts';

export type { ScriptTurn };

export interface TargetOptions {
  /**
   * Scripted model turns per conversation segment: `segments[0]` plays on the first connection,
   * `segments[1]` after the first forced reconnect, and so on. A provider that resumes its own
   * state (Gemini) plays them as one continuous script; one that starts fresh plays each segment
   * on its own connection.
   */
  segments: ScriptTurn[][];
  /** Audio of an interrupted turn the fake keeps sending after the interruption, ms (providers that stream ahead). */
  staleAudioAfterInterruptMs?: number;
  /** Model audio pacing: 1 = real time (default), 2 = twice as fast (audio queues up at the phone). */
  speed?: number;
}

/** A provider-neutral record of one model turn on the fake. */
export interface TargetTurn {
  trigger: 'greeting' | 'user_turn' | 'tool_output';
  /** Text that triggered it (greeting instructions, prompt), when any. */
  text: string | null;
  status: string;
}

export interface ConformanceTarget {
  provider: string;
  /** The bare adapter, pointed at the fake. */
  model: RealtimeModel;
  /** Model, voice, credentials (fake URL) and tuning for `CallSetup.session`. */
  session: Omit<SessionConfig, 'tools'>;
  sessionCount(): number;
  /** Caller audio the fake received on connection `i`, decoded to PCM16. */
  heardByModel(i: number): { samples: Int16Array; sampleRate: number };
  turns(i: number): TargetTurn[];
  /** Tool results the fake accepted on connection `i` (parsed JSON output). */
  toolOutputs(i: number): Array<{ callId: string; output: unknown }>;
  /** Caller speech that interrupted a streaming turn, as the fake saw it. */
  interruptions(i: number): number;
  /** Truncations the client sent (empty for providers without truncation). */
  truncations(i: number): Array<{ ok: boolean; audioEndMs: number }>;
  scriptMismatches(): unknown[];
  /** Drops the latest connection: close with `code`/`reason`, or a TCP reset without a code. */
  disconnect(code?: number, reason?: string): void;
  /** Sends a raw frame on the latest connection. */
  sendRaw(data: string): void;
  /** Makes the provider end the latest connection the way it does at its session limit. */
  forceReconnect(): void;
  /** How connection `i` began: resumed from a handle, and the instructions it was given. */
  startedWith(i: number): { resumed: boolean; instructions: string };
  close(): Promise<void>;
}

export type MakeTarget = (options: TargetOptions) => Promise<ConformanceTarget>;
