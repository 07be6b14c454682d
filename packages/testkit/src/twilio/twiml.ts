import { parseXml, type XmlElement } from './xml.ts';

/** One TwiML verb or noun: name, attributes, nested nouns and its text (e.g. `<Say>` words). */
export type TwimlNode = XmlElement;

/** The `<Stream>` a call would open, with `<Parameter>`s flattened as in the `start` message. */
export interface TwimlStream {
  url: string;
  /** `true` for `<Connect><Stream>` (bidirectional), `false` for `<Start><Stream>`. */
  bidirectional: boolean;
  attributes: Record<string, string>;
  /** `<Parameter name value>` children → `start.customParameters`. */
  parameters: Record<string, string>;
}

/** Something real Twilio would reject or warn about (error code from Twilio's catalogue). */
export interface TwimlProblem {
  code: number;
  message: string;
}

export interface ParsedTwiml {
  /** The `<Response>` element. */
  root: TwimlNode;
  /** Top-level verbs in execution order. */
  verbs: TwimlNode[];
  /** First `<Connect><Stream>` or `<Start><Stream>`, or null. */
  stream: TwimlStream | null;
  /** Twilio-side validation problems (empty when the document is acceptable). */
  problems: TwimlProblem[];
}

const VERBS = new Set([
  'Say',
  'Play',
  'Pause',
  'Hangup',
  'Redirect',
  'Reject',
  'Connect',
  'Start',
  'Stop',
  'Dial',
  'Record',
  'Gather',
  'Enqueue',
  'Leave',
  'Refer',
  'Sms',
]);

/**
 * Parse a TwiML voice document (docs/telephony.md#twiml-connect-and-stream). Throws `SyntaxError`
 * for malformed XML or a root other than `<Response>` (Twilio error 12100); verb-level issues go to
 * `problems`.
 */
export function parseTwiml(xml: string): ParsedTwiml {
  const root = parseXml(xml);
  if (root.name !== 'Response') throw new SyntaxError(`TwiML root must be <Response>, got <${root.name}>`);
  const problems: TwimlProblem[] = [];
  let stream: TwimlStream | null = null;
  for (const verb of root.children) {
    if (!VERBS.has(verb.name)) problems.push({ code: 12200, message: `Unknown verb <${verb.name}>` });
    if (verb.name !== 'Connect' && verb.name !== 'Start') continue;
    for (const noun of verb.children) {
      if (noun.name !== 'Stream') continue;
      const candidate = toStream(noun, verb.name === 'Connect');
      problems.push(...streamProblems(candidate));
      stream ??= candidate;
    }
  }
  return { root, verbs: root.children, stream, problems };
}

/** First descendant (depth-first) named `name`, e.g. `findTwiml(t.root, 'Number')`. */
export function findTwiml(node: TwimlNode, name: string): TwimlNode | undefined {
  for (const child of node.children) {
    if (child.name === name) return child;
    const deeper = findTwiml(child, name);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Every descendant named `name`, document order. */
export function findAllTwiml(node: TwimlNode, name: string): TwimlNode[] {
  const out: TwimlNode[] = [];
  for (const child of node.children) {
    if (child.name === name) out.push(child);
    out.push(...findAllTwiml(child, name));
  }
  return out;
}

function toStream(node: TwimlNode, bidirectional: boolean): TwimlStream {
  const parameters: Record<string, string> = {};
  for (const p of node.children) {
    if (p.name === 'Parameter' && p.attributes.name !== undefined) {
      parameters[p.attributes.name] = p.attributes.value ?? '';
    }
  }
  return { url: node.attributes.url ?? '', bidirectional, attributes: node.attributes, parameters };
}

function streamProblems(stream: TwimlStream): TwimlProblem[] {
  const problems: TwimlProblem[] = [];
  if (!stream.url) problems.push({ code: 31920, message: '<Stream> has no url' });
  else if (!/^wss:\/\//i.test(stream.url)) {
    problems.push({ code: 31922, message: `Stream url must use wss: ${stream.url}` });
  }
  if (stream.url.includes('?')) {
    problems.push({
      code: 31922,
      message: 'Do not add query string parameters to the url. Use nested <Parameter> values instead',
    });
  }
  const track = stream.attributes.track;
  if (stream.bidirectional && track !== undefined && track !== 'inbound_track') {
    problems.push({ code: 31941, message: 'Value different of inbound_track is used with verb Connect' });
  }
  return problems;
}
