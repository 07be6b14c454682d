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

  it('calls every listener subscribed when emit began, even one another listener removes', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: string[] = [];
    const second = () => seen.push('second');
    const added = () => seen.push('added');
    emitter.on('ping', () => {
      seen.push('first');
      emitter.off('ping', second);
      emitter.on('ping', added);
    });
    emitter.on('ping', second);
    emitter.emit('ping', { n: 1 });
    expect(seen).toEqual(['first', 'second']);
    seen.length = 0;
    emitter.emit('ping', { n: 2 });
    expect(seen).toEqual(['first', 'added']);
  });

  it('keeps one subscription per listener, like a set', () => {
    const emitter = new TypedEmitter<Events>();
    let count = 0;
    const listener = () => count++;
    emitter.on('ping', listener);
    emitter.on('ping', listener);
    expect(emitter.listenerCount('ping')).toBe(1);
    emitter.emit('ping', { n: 1 });
    expect(count).toBe(1);
    emitter.off('ping', listener);
    emitter.off('ping', listener);
    expect(emitter.listenerCount('ping')).toBe(0);
  });
});
