/** Test helpers: SIPp as the carrier, a loopback user agent, an RTP sink, tones. */
export {
  AGENT_HZ,
  agentAudio,
  CALLER_HZ,
  callerAudio,
  dtmfPcap,
  type Logged,
  levelDb,
  rtpSink,
  startTestAgent,
  until,
} from './harness.ts';
export {
  randomPort,
  runSipp,
  SIPP_SCENARIOS,
  type SippOptions,
  type SippResult,
  sippAvailable,
  startSipp,
} from './sipp.ts';
