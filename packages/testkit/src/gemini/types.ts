import type { ScriptSay, ScriptTurn } from '../openai/types.ts';

/** The OpenAI fake's script format, shared so one scenario drives both fakes. */
export type { ScriptSay, ScriptTurn };

export interface GeminiVadTuning {
  /** RMS (16-bit scale) that counts as speech at `START_SENSITIVITY_HIGH`; LOW doubles it. Default 1000. */
  rmsThreshold?: number;
  /** Voiced audio needed before speech starts (ms, default 60). */
  minSpeechMs?: number;
}

export interface FakeGeminiLiveOptions {
  /** API key to require (`?key=`); when omitted any non-empty key is accepted. */
  apiKey?: string;
  /** Model names (`models/…`) to accept; others close with 1008. Default: any. */
  models?: string[];
  /** The script every conversation plays (a resumed session continues its conversation's cursor). */
  script?: ScriptTurn[];
  /** Per-session script instead of `script` (index = connection order; not used on resume). */
  scriptFor?: (sessionIndex: number, model: string) => ScriptTurn[];
  /** Reply when the script is exhausted (default: "Okay." with a tone). */
  defaultSay?: ScriptSay;
  /** `paced` (default): 20 ms of audio every 20 ms. `burst`: everything at once. */
  pacing?: 'paced' | 'burst';
  /** Paced speed factor (1 = real time). */
  speed?: number;
  /** Audio per `inlineData` message (ms). Default 20 paced, 100 burst. */
  chunkMs?: number;
  /** Tone frequency of generated speech (Hz, default 440), PCM16 24 kHz. */
  toneHz?: number;
  /** Default think time before a turn's first output (ms, default 0). */
  responseDelayMs?: number;
  vad?: GeminiVadTuning;
  /** Keep every session's input audio (PCM16 16 kHz) for `session.inputAudio()` (default true). */
  keepInputAudio?: boolean;
  /** Record every server message type/time in `session.serverMessages` (default true). */
  logServerMessages?: boolean;
  /** Send `sessionResumptionUpdate`s when the setup asked for resumption (default true). */
  resumptionUpdates?: boolean;
  /** Delay before `setupComplete` (ms, default 0). */
  setupDelayMs?: number;
  /** Never send `setupComplete` (connect-timeout tests). */
  withholdSetupComplete?: boolean;
  /** Close every session right after its `setup` with this code/reason (e.g. 1007 expired key). */
  rejectSetup?: { code: number; reason: string };
  /** After `interrupted`, keep sending this much audio of the cut turn (what a real server may have in flight). Default 0. */
  staleAudioAfterInterruptMs?: number;
  /** Send `turnComplete` right after a `toolCall` instead of after the reply (default false). */
  turnCompleteAfterToolCall?: boolean;
}

/** A client message as received (audio payloads replaced by their byte count). */
export interface GeminiClientRecord {
  atMs: number;
  /** `setup` | `realtimeInput` | `clientContent` | `toolResponse` | `(invalid)`. */
  type: string;
  message: Record<string, unknown>;
}

export interface GeminiTurnRecord {
  id: string;
  trigger: 'greeting' | 'user_turn' | 'tool_output';
  /** Index of the script turn played, or -1 for the default reply. */
  turnIndex: number;
  status: 'in_progress' | 'completed' | 'interrupted';
  startedAtMs: number;
  doneAtMs: number | null;
  /** Text of the `clientContent` turn that triggered it (greeting/prompt), if any. */
  text: string | null;
  /** Audio sent in this turn (ms of 24 kHz PCM). */
  audioMs: number;
}

export interface GeminiToolCallRecord {
  atMs: number;
  id: string;
  name: string;
  args: object;
  /** Answered by a `toolResponse`, withdrawn by `toolCallCancellation`, or still open. */
  state: 'pending' | 'answered' | 'cancelled';
}

export interface GeminiToolResponseRecord {
  atMs: number;
  id: string;
  name: string;
  response: unknown;
  /** The id had been cancelled (or was never issued) when the response arrived. */
  late: boolean;
}
