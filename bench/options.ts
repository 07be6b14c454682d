/** Command-line options of `npm run bench` (see docs/PERFORMANCE.md). */
import { availableParallelism } from 'node:os';
import type { Pacing, Provider } from './protocol.ts';

export interface BenchOptions {
  provider: Provider;
  /** What carries the calls: Twilio Media Streams (simulated) or a SIP trunk (RTP over UDP). */
  transport: 'twilio' | 'sip';
  pacing: Pacing;
  /** Concurrent calls per step. */
  ramp: number[];
  /** Length of every call, seconds. */
  durationS: number;
  /** When the caller interrupts the agent, seconds into the call (null: never). */
  bargeInAtS: number | null;
  /** Calls of a step start spread over this many seconds (null: 50 ms per call, at most 10 s). */
  arrivalS: number | null;
  /** Length of an agent reply after the greeting, seconds (null: paced = the whole call, burst = 3 s). */
  replyS: number | null;
  /** Short calls before the first step, on the server and on the reference relay (JIT warm-up). */
  warmupCalls: number;
  smoke: boolean;
  jsonOnly: boolean;
  /** Run the codec micro-benchmarks. */
  codec: boolean;
  /** Run the call load. */
  load: boolean;
  /** Write a V8 CPU profile of the server (`--cpu-prof`) into bench/results/. */
  cpuProf: boolean;
  /** Pin the server and the reference relay to CPU 0, the fake, load generator and bench to the others (`taskset`). */
  pin: boolean;
  /** Run the knowledge retrieval micro-benchmark, on this database. */
  knowledge: boolean;
  knowledgeDb: 'pglite' | 'postgres';
  /** Documents indexed for it (default 1000; smoke 100). */
  knowledgeDocuments: number;
  /** Run every step against the reference relay too (OpenAI over Twilio only; default on there). */
  reference: boolean;
  /** Run every step a second time with a 5,000-row import and stats queries during the calls. */
  busyDashboard: boolean;
  /**
   * Server processes (WORKERS) on a temporary Postgres database; null = the default single
   * process on the embedded database.
   */
  workers: number | null;
}

export const USAGE = `Usage: npm run bench -- [options]

  --provider openai|gemini   model path (default openai)
  --transport twilio|sip     calls over Twilio Media Streams (default) or a SIP trunk (RTP; docs/sip.md)
  --pacing paced|burst       fake model output: 20 ms deltas at real time, or whole replies at once (default paced)
  --calls N                  one step of N concurrent calls
  --ramp a,b,c               steps of a, b, c concurrent calls (default openai 50,100,150,200,250; gemini 25,50,75,100,125)
  --duration S               length of every call in seconds (default 30)
  --barge-in-at S|off        the caller interrupts S seconds into the call (default 10)
  --arrival S                start a step's calls over S seconds (default 50 ms per call, at most 10 s)
  --reply S                  length of each agent reply after the first, seconds (default: paced = whole call, burst = 3)
  --warmup N                 N short calls (6 s) on each relay before the first step, not reported (default 5)
  --smoke                    CI mode: 4 calls for 5 s, one step (not a speed gate)
  --json-only                print the JSON result to stdout instead of the table
  --no-codec / --codec-only  skip the codec micro-benchmarks / run only them
  --no-knowledge / --knowledge-only
                             skip the knowledge search micro-benchmark / run only it
  --knowledge-db pglite|postgres
                             database for it (default pglite; postgres uses SWITCHBOARD_TEST_POSTGRES_URL)
  --knowledge-docs N         documents indexed for it (default 1000)
  --no-reference             skip the reference relay (runs by default on the OpenAI path over Twilio)
  --busy-dashboard           each step again with a 5,000-row prospect import + stats queries during the calls
  --workers N|auto           run the server with WORKERS=N (auto = cores) on a temporary Postgres
                             database (SWITCHBOARD_TEST_POSTGRES_URL); reports calls per machine and per core
  --cpu-prof                 profile the server (V8 .cpuprofile into bench/results/)
  --pin                      server and reference relay on CPU 0, fake, load generator and bench on the others (taskset)
  --help`;

function num(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < min)
    throw new Error(`${name} needs a number ≥ ${min}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const o: BenchOptions = {
    provider: 'openai',
    transport: 'twilio',
    pacing: 'paced',
    ramp: [],
    durationS: 30,
    bargeInAtS: 10,
    arrivalS: null,
    replyS: null,
    warmupCalls: 5,
    smoke: false,
    jsonOnly: false,
    codec: true,
    load: true,
    cpuProf: false,
    pin: false,
    knowledge: true,
    knowledgeDb: 'pglite',
    knowledgeDocuments: 1000,
    reference: true,
    busyDashboard: false,
    workers: null,
  };
  let docsGiven = false;
  let bargeInGiven = false;
  let durationGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? (arg.split(/=(.*)/s) as [string, string]) : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--transport': {
        const v = value();
        if (v !== 'twilio' && v !== 'sip') throw new Error('--transport needs twilio or sip');
        o.transport = v;
        break;
      }
      case '--provider': {
        const v = value();
        if (v !== 'openai' && v !== 'gemini') throw new Error('--provider is openai or gemini');
        o.provider = v;
        break;
      }
      case '--pacing': {
        const v = value();
        if (v !== 'paced' && v !== 'burst') throw new Error('--pacing is paced or burst');
        o.pacing = v;
        break;
      }
      case '--calls':
        o.ramp = [Math.round(num('--calls', value(), 1))];
        break;
      case '--ramp': {
        const v = value() ?? '';
        o.ramp = v.split(',').map((x) => Math.round(num('--ramp', x.trim(), 1)));
        break;
      }
      case '--duration':
        o.durationS = num('--duration', value(), 2);
        durationGiven = true;
        break;
      case '--barge-in-at': {
        const v = value();
        o.bargeInAtS = v === 'off' || v === 'none' ? null : num('--barge-in-at', v, 0.5);
        bargeInGiven = true;
        break;
      }
      case '--arrival':
        o.arrivalS = num('--arrival', value(), 0);
        break;
      case '--reply':
        o.replyS = num('--reply', value(), 0.3);
        break;
      case '--warmup':
        o.warmupCalls = Math.round(num('--warmup', value(), 0));
        break;
      case '--smoke':
        o.smoke = true;
        break;
      case '--json-only':
        o.jsonOnly = true;
        break;
      case '--no-codec':
        o.codec = false;
        break;
      case '--codec-only':
        o.load = false;
        break;
      case '--cpu-prof':
        o.cpuProf = true;
        break;
      case '--no-reference':
        o.reference = false;
        break;
      case '--busy-dashboard':
        o.busyDashboard = true;
        break;
      case '--workers': {
        const v = value();
        o.workers = v === 'auto' ? availableParallelism() : Math.round(num('--workers', v, 1));
        break;
      }
      case '--pin':
        o.pin = true;
        break;
      case '--no-knowledge':
        o.knowledge = false;
        break;
      case '--knowledge-only':
        o.load = false;
        o.codec = false;
        break;
      case '--knowledge-db': {
        const v = value();
        if (v !== 'pglite' && v !== 'postgres') throw new Error('--knowledge-db is pglite or postgres');
        o.knowledgeDb = v;
        break;
      }
      case '--knowledge-docs':
        o.knowledgeDocuments = Math.round(num('--knowledge-docs', value(), 1));
        docsGiven = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    }
  }
  if (o.smoke) {
    if (!docsGiven) o.knowledgeDocuments = 100;
    if (o.ramp.length === 0) o.ramp = [4];
    if (!durationGiven) o.durationS = 5;
    if (!bargeInGiven) o.bargeInAtS = 2.5;
    o.warmupCalls = 0;
  }
  // The reference relay speaks only Twilio Media Streams and OpenAI Realtime.
  if (o.provider !== 'openai' || o.transport !== 'twilio') o.reference = false;
  // Over SIP the phone sees no `clear`, so the barge-in reaction is not measured unless asked for.
  if (o.transport === 'sip' && !bargeInGiven) o.bargeInAtS = null;
  if (o.ramp.length === 0 && o.transport === 'sip') o.ramp = [50];
  if (o.ramp.length === 0)
    o.ramp = o.provider === 'gemini' ? [25, 50, 75, 100, 125] : [50, 100, 150, 200, 250];
  if (o.bargeInAtS !== null && o.bargeInAtS >= o.durationS - 1) {
    throw new Error('--barge-in-at must be at least 1 s before the end of the call (--duration)');
  }
  return o;
}
