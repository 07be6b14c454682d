/** Transcript lines of a browser test call, merged from `{type:'transcript', role, text, final}`. */
export interface Line {
  role: 'user' | 'assistant';
  text: string;
  final: boolean;
}

/**
 * Interim messages may carry the whole utterance so far or only the newest words; both are
 * handled: text that extends the open line replaces it, anything else is appended to it.
 * A final message replaces the open line with the definitive text.
 */
export function mergeTranscript(lines: readonly Line[], msg: Line): Line[] {
  const last = lines.at(-1);
  const open = last && !last.final && last.role === msg.role ? last : null;
  const rest = open ? lines.slice(0, -1) : lines;
  if (!open) return [...lines, { ...msg }];
  if (msg.final) return [...rest, { ...msg }];
  const text = msg.text.startsWith(open.text) ? msg.text : open.text + msg.text;
  return [...rest, { role: msg.role, text, final: false }];
}
