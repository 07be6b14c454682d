/**
 * ClusterBus instances stand for cluster workers and a LiveRelay for the primary, wired by fake
 * IPC channels that copy every message through JSON as the real channel does.
 */
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from './bus.ts';
import { ClusterBus, type LiveMessage, LiveRelay, type WorkerChannel } from './cluster-bus.ts';

const transcript = (text: string): LiveEvent => ({
  type: 'call.transcript',
  callId: 'c1',
  role: 'user',
  text,
  atMs: 0,
});

/** A primary with `n` workers; `sent` counts what each worker received from the primary. */
function cluster(n: number) {
  const relay = new LiveRelay();
  const received = new Map<number, LiveMessage[]>();
  const buses = Array.from({ length: n }, (_, i) => {
    const id = i + 1;
    const listeners = new Set<(message: unknown) => void>();
    received.set(id, []);
    relay.add(id, (message) => {
      received.get(id)?.push(message);
      for (const listener of listeners) listener(JSON.parse(JSON.stringify(message)));
    });
    const channel: WorkerChannel = {
      send: (message) => relay.handle(id, JSON.parse(JSON.stringify(message))),
      onMessage: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    return new ClusterBus(channel);
  });
  return { relay, buses, received };
}

describe('ClusterBus through the primary’s LiveRelay', () => {
  it('delivers an event once locally and once on each other worker of the organization', () => {
    const { buses } = cluster(3);
    const [one, two, three] = buses as [ClusterBus, ClusterBus, ClusterBus];
    const seen: Record<string, LiveEvent[]> = { one: [], two: [], three: [], otherOrg: [] };
    one.subscribe('org-a', (e) => seen.one?.push(e));
    two.subscribe('org-a', (e) => seen.two?.push(e));
    three.subscribe('org-a', (e) => seen.three?.push(e));
    three.subscribe('org-b', (e) => seen.otherOrg?.push(e));

    one.publish('org-a', transcript('hello'));
    two.publish('org-a', transcript('back'));
    expect(seen.one).toEqual([transcript('hello'), transcript('back')]);
    expect(seen.two).toEqual([transcript('hello'), transcript('back')]);
    expect(seen.three).toEqual([transcript('hello'), transcript('back')]);
    expect(seen.otherOrg).toEqual([]);
  });

  it('forwards only to workers with subscribers in the organization, and stops after the last leaves', () => {
    const { buses, received } = cluster(3);
    const [one, two] = buses as [ClusterBus, ClusterBus, ClusterBus];
    const first = two.subscribe('org-a', () => {});
    const second = two.subscribe('org-a', () => {});
    one.publish('org-a', transcript('1'));
    expect(received.get(2)).toHaveLength(1);
    expect(received.get(3)).toEqual([]);
    expect(received.get(1)).toEqual([]);

    first();
    first();
    one.publish('org-a', transcript('2'));
    expect(received.get(2)).toHaveLength(2);
    second();
    one.publish('org-a', transcript('3'));
    expect(received.get(2)).toHaveLength(2);
  });

  it('sends nothing to a worker that exited, and a closed bus neither sends nor delivers', async () => {
    const { relay, buses, received } = cluster(2);
    const [one, two] = buses as [ClusterBus, ClusterBus];
    const onTwo: LiveEvent[] = [];
    two.subscribe('org-a', (e) => onTwo.push(e));
    relay.remove(2);
    one.publish('org-a', transcript('gone'));
    expect(received.get(2)).toEqual([]);

    relay.add(2, (message) => received.get(2)?.push(message));
    relay.handle(2, { sb: 'live.subscribe', organizationId: 'org-a' });
    await one.close();
    one.publish('org-a', transcript('after close'));
    expect(received.get(2)).toEqual([]);
    expect(onTwo).toEqual([]);
  });

  it('ignores messages that are not live events', () => {
    const { relay } = cluster(1);
    expect(relay.handle(1, { sb: 'ready' })).toBe(false);
    expect(relay.handle(1, 'text')).toBe(false);
    expect(relay.handle(1, { sb: 'live', organizationId: 7 })).toBe(false);
    expect(relay.handle(1, { sb: 'live.subscribe', organizationId: 'org-a' })).toBe(true);
  });
});
