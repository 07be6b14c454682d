import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ToolFailure, ToolRegistry, toolOutputForModel } from './registry.ts';
import type { CallControl, ToolContext } from './types.ts';

interface Ctx {
  orgId: string;
}

const control: CallControl = {
  hangup: async () => {},
  redirect: async () => {},
  afterPlayback: async () => {},
  endCall: async () => {},
  transfer: async () => {},
};

function ctx(signal = new AbortController().signal): ToolContext<Ctx> {
  return { orgId: 'org_1', signal, control, toolCallId: 'call_1' };
}

function registry() {
  return new ToolRegistry<Ctx>()
    .register({
      name: 'create_lead',
      description: 'Save a lead.',
      hint: 'Save the caller once you know their name.',
      parameters: z.object({ name: z.string().describe('Full name'), size: z.number().int().default(1) }),
      handler: async (args, c) => ({ id: 'lead_1', name: args.name, size: args.size, org: c.orgId }),
    })
    .register({
      name: 'slow',
      description: 'Never finishes on time.',
      parameters: z.object({}),
      timeoutMs: 100,
      handler: (_args, c) =>
        new Promise((resolve) => {
          c.signal.addEventListener('abort', () => resolve('aborted'));
        }),
    })
    .register({
      name: 'broken',
      description: 'Throws.',
      parameters: z.object({}),
      handler: () => {
        throw new Error('db password is hunter2');
      },
    })
    .register({
      name: 'picky',
      description: 'Throws a model-facing failure.',
      parameters: z.object({}),
      handler: () => {
        throw new ToolFailure('That time slot is taken.', { slot: '10:00' });
      },
    });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ToolRegistry', () => {
  it('builds JSON-schema declarations for the enabled tools only, without $schema', () => {
    const decls = registry().declarations(['create_lead', 'not_built_here']);
    expect(decls).toEqual([
      {
        name: 'create_lead',
        description: 'Save a lead.',
        parameters: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'Full name' },
            size: expect.objectContaining({ type: 'integer', default: 1 }),
          },
          required: ['name'],
        },
      },
    ]);
  });

  it('shares one frozen declaration per tool between calls (no copy per call)', () => {
    const tools = registry();
    const first = tools.declarations(['create_lead'])[0];
    const again = tools.declarations(['create_lead'])[0];
    if (!first || !again) throw new Error('no declaration');
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const parameters = first.parameters as { properties: Record<string, unknown> };
    expect(Object.isFrozen(parameters.properties)).toBe(true);
    expect(() => {
      parameters.properties.extra = {};
    }).toThrow(TypeError);
    expect(Object.keys(parameters.properties)).toEqual(['name', 'size']);
  });

  it('rejects duplicate and invalid names at registration', () => {
    const r = registry();
    expect(() =>
      r.register({ name: 'slow', description: '', parameters: z.object({}), handler: () => 1 }),
    ).toThrow(/already/);
    expect(() =>
      r.register({ name: 'bad name', description: '', parameters: z.object({}), handler: () => 1 }),
    ).toThrow(/invalid/);
  });

  it('runs a tool with parsed, defaulted arguments and the caller context', async () => {
    const res = await registry().run('create_lead', '{"name":"Ada"}', ctx());
    expect(res).toMatchObject({ ok: true, result: { id: 'lead_1', name: 'Ada', size: 1, org: 'org_1' } });
    expect(res.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('returns unknown_tool, bad JSON and schema errors as structured errors', async () => {
    const r = registry();
    expect(await r.run('nope', '{}', ctx())).toMatchObject({ ok: false, error: { code: 'unknown_tool' } });
    expect(await r.run('create_lead', '{oops', ctx())).toMatchObject({
      ok: false,
      error: { code: 'bad_arguments', message: 'Arguments are not valid JSON.' },
    });
    const res = await r.run('create_lead', '{"name":42}', ctx());
    expect(res).toMatchObject({ ok: false, error: { code: 'bad_arguments' } });
    expect(!res.ok && res.error.details).toEqual([{ path: ['name'], message: expect.any(String) }]);
  });

  it('times out and aborts the handler signal', async () => {
    vi.useFakeTimers();
    const pending = registry().run('slow', '{}', ctx());
    await vi.advanceTimersByTimeAsync(100);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('cancels when the call signal aborts mid-run', async () => {
    const call = new AbortController();
    const pending = registry().run('slow', '{}', ctx(call.signal));
    call.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('hides thrown messages from the model but keeps the cause', async () => {
    const res = await registry().run('broken', '', ctx());
    expect(res).toMatchObject({ ok: false, error: { code: 'failed', message: 'The tool "broken" failed.' } });
    expect(!res.ok && res.cause).toBeInstanceOf(Error);
    expect(toolOutputForModel(res)).not.toContain('hunter2');
  });

  it('passes ToolFailure messages through to the model', async () => {
    const res = await registry().run('picky', '{}', ctx());
    expect(JSON.parse(toolOutputForModel(res))).toEqual({
      error: { code: 'failed', message: 'That time slot is taken.', details: { slot: '10:00' } },
    });
  });

  it('serialises results for the model', () => {
    expect(toolOutputForModel({ ok: true, result: { a: 1 }, durationMs: 1 })).toBe('{"a":1}');
    expect(toolOutputForModel({ ok: true, result: undefined, durationMs: 1 })).toBe('{"ok":true}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(toolOutputForModel({ ok: true, result: circular, durationMs: 1 })).toContain('"failed"');
  });

  it("declares and runs a call's own tools from its context, with their JSON Schema", async () => {
    type Scoped = Ctx & { own?: Map<string, import('./types.ts').ToolDefinition<z.ZodType, Scoped>> };
    const own = new Map([
      [
        'mcp__crm__lookup',
        {
          name: 'mcp__crm__lookup',
          description: 'Look someone up.',
          parameters: z.record(z.string(), z.unknown()),
          jsonSchema: { type: 'object', properties: { phone: { type: 'string' } }, required: ['phone'] },
          handler: (args: Record<string, unknown>, c: ToolContext<Scoped>) => ({
            found: args.phone,
            org: c.orgId,
          }),
        },
      ],
    ]);
    const tools = new ToolRegistry<Scoped>().useCallTools({ toolsFor: (c) => c.own });
    const context: Scoped = { orgId: 'org_2', own };
    expect(tools.declarations(['mcp__crm__lookup'])).toEqual([]); // without the call's context
    expect(tools.declarations(['mcp__crm__lookup'], context)).toEqual([
      {
        name: 'mcp__crm__lookup',
        description: 'Look someone up.',
        parameters: { type: 'object', properties: { phone: { type: 'string' } }, required: ['phone'] },
      },
    ]);
    const run = await tools.run('mcp__crm__lookup', '{"phone":"+1"}', {
      ...context,
      signal: new AbortController().signal,
      control,
      toolCallId: 'c',
    });
    expect(run).toMatchObject({ ok: true, result: { found: '+1', org: 'org_2' } });
    const other = await tools.run('mcp__crm__lookup', '{}', {
      orgId: 'org_3',
      signal: new AbortController().signal,
      control,
      toolCallId: 'c',
    });
    expect(other).toMatchObject({ ok: false, error: { code: 'unknown_tool' } });
  });

  it("declares a registered tool as the call's variant (declareFor), uncached", () => {
    const tools = new ToolRegistry<Ctx>().register({
      name: 'text',
      description: 'Text anyone.',
      parameters: z.object({ to: z.string().optional() }),
      declareFor: (c) =>
        c.orgId === 'narrow' ? { description: 'Text the caller only.', parameters: z.object({}) } : undefined,
      handler: () => ({ sent: true }),
    });
    expect(tools.declarations(['text'], { orgId: 'narrow' })).toEqual([
      {
        name: 'text',
        description: 'Text the caller only.',
        parameters: expect.objectContaining({ type: 'object' }),
      },
    ]);
    expect(tools.declarations(['text'], { orgId: 'narrow' })[0]?.parameters).not.toHaveProperty(
      'properties.to',
    );
    for (const decl of [tools.declarations(['text'], { orgId: 'wide' }), tools.declarations(['text'])]) {
      expect(decl[0]).toMatchObject({ description: 'Text anyone.', parameters: { properties: { to: {} } } });
    }
  });
});

describe('ToolRegistry.hints', () => {
  it('gives the hints of the enabled tools that have one', () => {
    expect(registry().hints(['create_lead', 'slow', 'unknown'])).toEqual({
      create_lead: 'Save the caller once you know their name.',
    });
    expect(registry().hints()).toEqual({ create_lead: 'Save the caller once you know their name.' });
  });
});
