import { describe, expect, it } from 'vitest';
import { TypedEmitter } from './emitter.ts';

interface Events {
  ping: { n: number };
  error: { message: string };
}

describe('TypedEmitter', () => {
  it('delivers payloads and unsubscribes', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: number[] = [];
    const off = emitter.on('ping', (p) => seen.push(p.n));
    emitter.emit('ping', { n: 1 });
    off();
    emitter.emit('ping', { n: 2 });
    expect(seen).toEqual([1]);
  });

  it('once fires a single time', () => {
    const emitter = new TypedEmitter<Events>();
    let count = 0;
    emitter.once('ping', () => count++);
    emitter.emit('ping', { n: 1 });
    emitter.emit('ping', { n: 1 });
    expect(count).toBe(1);
    expect(emitter.listenerCount('ping')).toBe(0);
  });

  it('never lets a listener exception escape emit', () => {
    const failures: string[] = [];
    const emitter = new TypedEmitter<Events>((_, event) => failures.push(String(event)));
    const seen: number[] = [];
    emitter.on('ping', () => {
      throw new Error('boom');
    });
    emitter.on('ping', (p) => seen.push(p.n));
    expect(() => emitter.emit('ping', { n: 7 })).not.toThrow();
    expect(seen).toEqual([7]);
    expect(failures).toEqual(['ping']);
  });
});
