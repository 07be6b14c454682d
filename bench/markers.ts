/**
 * Latency markers for paths that resample audio (Gemini), where byte tags cannot survive:
 * a short, quiet tone burst every MARKER_PERIOD_FRAMES frames (200 ms) in otherwise silent audio. The
 * receiver detects each burst's onset (a 20 ms frame whose level crosses the threshold after a
 * quiet frame); latency = onset arrival − burst emission, matched in order per call.
 * Resolution: one sample per 200 ms per direction per call; a latency above the burst period
 * cannot be told apart from loss.
 */
import { MULAW_TO_LINEAR, mulawTone } from '@switchboard/testkit';
import { F64List, type Summary, summarize } from './stats.ts';

export const MARKER_PERIOD_FRAMES = 10;
const MARKER_HZ = 1000;
/**
 * Quiet on purpose (peak ≈ 490, RMS ≈ 350, about −40 dBFS): below every speech detector on the
 * path (the fake's VAD at RMS 1000, the Gemini adapter's end-of-speech detector at −35 dBFS), so
 * the markers never look like the caller or the agent talking. Digital silence is exactly 0.
 */
const MARKER_AMPLITUDE = 0.015;
/** RMS (16-bit scale) a frame must reach to count as a burst; silence is 0, a burst ≈ 350. */
export const ONSET_RMS = 100;

/** One 20 ms µ-law marker burst (caller → model). */
export function markerFrameMulaw(): Buffer {
  return mulawTone(MARKER_HZ, 20, MARKER_AMPLITUDE);
}

/** `durationMs` of PCM16 24 kHz (model → caller): a 20 ms burst every 200 ms, silence between. */
export function markerReplyPcm24k(durationMs: number): Buffer {
  const chunk = 480; // samples per 20 ms at 24 kHz
  const chunks = Math.ceil(durationMs / 20);
  const out = Buffer.alloc(chunks * chunk * 2);
  const peak = MARKER_AMPLITUDE * 32767;
  for (let c = 0; c < chunks; c += MARKER_PERIOD_FRAMES) {
    for (let i = 0; i < chunk; i++) {
      const v = Math.round(peak * Math.sin((2 * Math.PI * MARKER_HZ * i) / 24000));
      out.writeInt16LE(v, (c * chunk + i) * 2);
    }
  }
  return out;
}

/** Whether a base64 PCM16 chunk starts with a marker burst (a burst chunk is not all zeros). */
export function isBurstChunkBase64(base64: string): boolean {
  // 16 base64 characters = 12 bytes = 6 samples; a 1 kHz burst at 24 kHz is non-zero from sample 1.
  for (let i = 0; i < 16 && i < base64.length; i++) if (base64.charCodeAt(i) !== 65 /* 'A' */) return true;
  return false;
}

export function mulawRms(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) {
    const v = MULAW_TO_LINEAR[bytes[i] as number] as number;
    sum += v * v;
  }
  return bytes.length ? Math.sqrt(sum / bytes.length) : 0;
}

export function pcm16Rms(bytes: Uint8Array): number {
  const n = bytes.length >> 1;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const lo = bytes[2 * i] as number;
    const hi = bytes[2 * i + 1] as number;
    const v = ((hi << 24) >> 16) | lo;
    sum += v * v;
  }
  return n ? Math.sqrt(sum / n) : 0;
}

/** Rising edges of frame loudness. */
export class OnsetDetector {
  #loud = false;

  /** Feed one frame's RMS; true when it starts a burst. */
  push(rms: number): boolean {
    const loud = rms >= ONSET_RMS;
    const onset = loud && !this.#loud;
    this.#loud = loud;
    return onset;
  }
}

export interface MatchedMarkers {
  latencies: Float64Array;
  /** When the burst behind each latency was sent. */
  sentAt: Float64Array;
  latency: Summary;
  expected: number;
  received: number;
  /** Unmatched bursts followed by a matched one (holes). */
  lost: number;
  /** Unmatched bursts after the last matched one (still queued at hang-up). */
  undelivered: number;
  /** Onsets with no burst to pair with (noise, or a burst matched twice). */
  spurious: number;
}

/** In-order pairing is trusted only while every latency stays below this (ms)… */
const IN_ORDER_MAX_MS = 1_000;
/** …and never changes by this much from one burst to the next (a burst period is 200 ms). */
const IN_ORDER_MAX_STEP_MS = 150;

/**
 * Matches onsets to bursts, both ascending wall-clock times of one call. First each onset is
 * given the latest burst sent at or before it (tolerance `slackMs`): right whenever latency
 * stays below the burst period (200 ms), and a missing onset then shows as a hole. If that
 * leaves holes or extra onsets — what latencies above 200 ms look like — and pairing the k-th
 * onset with the k-th burst gives plausible latencies (−slack … 1 s, no jump of a period between
 * neighbours, which is what a missing onset would cause), the in-order pairing is used instead:
 * the stream is ordered (TCP), so it stays right however late the audio is.
 * Bursts sent before `countFrom` or after `countUntil` are not expected (not live yet / hanging up).
 */
export function matchMarkers(
  sent: ArrayLike<number>,
  onsets: ArrayLike<number>,
  countFrom: number,
  countUntil: number,
  slackMs = 1,
): MatchedMarkers {
  const nearest = matchNearest(sent, onsets, countFrom, countUntil, slackMs);
  if (nearest.lost === 0 && nearest.spurious === 0) return nearest;
  const live = Array.from(sent).filter((s) => s >= countFrom);
  const n = onsets.length;
  if (n > live.length) return nearest;
  let previous = Number.NaN;
  for (let k = 0; k < n; k++) {
    const d = (onsets[k] as number) - (live[k] as number);
    if (d < -slackMs || d > IN_ORDER_MAX_MS) return nearest;
    // A missing onset shifts every later pair by a whole period: a jump, not a drift.
    if (Math.abs(d - previous) > IN_ORDER_MAX_STEP_MS) return nearest;
    previous = d;
  }
  return { ...matchMarkersInOrder(live, onsets, countUntil), spurious: 0 };
}

function matchNearest(
  sent: ArrayLike<number>,
  onsets: ArrayLike<number>,
  countFrom: number,
  countUntil: number,
  slackMs = 1,
): MatchedMarkers {
  const used = new Uint8Array(sent.length);
  const latencies = new F64List(Math.max(16, onsets.length));
  const sentAt = new F64List(Math.max(16, onsets.length));
  let spurious = 0;
  let j = -1;
  for (let i = 0; i < onsets.length; i++) {
    const t = onsets[i] as number;
    while (j + 1 < sent.length && (sent[j + 1] as number) <= t + slackMs) j++;
    if (j < 0 || used[j] === 1) {
      spurious++;
      continue;
    }
    used[j] = 1;
    latencies.push(t - (sent[j] as number));
    sentAt.push(sent[j] as number);
  }
  const last = used.lastIndexOf(1);
  let expected = 0;
  let lost = 0;
  let undelivered = 0;
  for (let k = 0; k < sent.length; k++) {
    const s = sent[k] as number;
    if (s < countFrom || s > countUntil) continue;
    expected++;
    if (used[k] === 1) continue;
    if (k < last) lost++;
    else undelivered++;
  }
  const all = latencies.toArray();
  return {
    latency: summarize(all),
    latencies: all,
    sentAt: sentAt.toArray(),
    expected,
    received: all.length,
    lost,
    undelivered,
    spurious,
  };
}

/**
 * Pairs the k-th onset with the k-th burst (burst pacing: a whole reply is emitted in one
 * instant, so emission times cannot tell bursts apart; TCP keeps them in order).
 */
export function matchMarkersInOrder(
  sent: ArrayLike<number>,
  onsets: ArrayLike<number>,
  countUntil: number,
): MatchedMarkers {
  const n = Math.min(sent.length, onsets.length);
  const latencies = new Float64Array(n);
  for (let k = 0; k < n; k++) latencies[k] = (onsets[k] as number) - (sent[k] as number);
  let expected = 0;
  for (let k = 0; k < sent.length; k++) if ((sent[k] as number) <= countUntil) expected++;
  const received = Math.min(n, expected);
  return {
    latencies,
    sentAt: Float64Array.from({ length: n }, (_, k) => sent[k] as number),
    latency: summarize(latencies),
    expected,
    received,
    lost: 0,
    undelivered: expected - received,
    spurious: Math.max(0, onsets.length - sent.length),
  };
}
