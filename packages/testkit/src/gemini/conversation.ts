import { randomBytes } from 'node:crypto';
import type { ScriptTurn } from './types.ts';

/**
 * What survives a reconnect with a session-resumption handle: the script cursor and the
 * conversation history. Sessions that resume share the same object.
 */
export class FakeConversation {
  readonly id = randomBytes(6).toString('hex');
  readonly script: ScriptTurn[];
  cursor = 0;
  /** Turns in order (user speech, client text, model speech, tool traffic), as plain text. */
  readonly history: Array<{ role: 'user' | 'model' | 'tool'; text: string }> = [];
  #handles = 0;

  constructor(script: ScriptTurn[]) {
    this.script = script;
  }

  /** A fresh opaque resumption handle for this conversation. */
  nextHandle(): string {
    this.#handles++;
    return `resume-${this.id}-${this.#handles}-${randomBytes(6).toString('hex')}`;
  }
}
