/**
 * An agent's MCP tools in a call, through the product's tool registry against the test kit's
 * MCP server: declared with the server's schema under the model-safe name, arguments reach the
 * server, results are cut to size, and a hanging, oversized or malformed answer or an error
 * result reaches the model as a structured failure, recorded on the call's timeline.
 */
import { mcpServers } from '@switchboard/db';
import { type FakeMcpServer, startFakeMcpServer } from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { errorOf, resultOf, toolHarness } from '../testing/tool-context.ts';
import { buildToolRegistry } from '../tools/index.ts';
import { mcpToolsForCall } from './call-tools.ts';

const kinds = await testDbKinds();
const TOKEN = 'crm-token-123456';

describe.each(kinds)('MCP tools in a call on %s', (kind) => {
  let t: TestApp;
  let crm: FakeMcpServer;
  beforeAll(async () => {
    crm = await startFakeMcpServer({ token: TOKEN });
    t = await buildTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
    await crm?.close();
  });

  const setup = async () => {
    const org = await t.seedOrg();
    const res = await t.as(org.tokens.admin).post('/api/mcp-servers', {
      name: 'crm',
      transport: 'http',
      url: crm.url,
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.json().status).toBe('ok');
    const ended = new AbortController();
    const tools = await mcpToolsForCall(t.ctx, {
      organizationId: org.id,
      tools: ['end_call', 'mcp:crm:crm_create_contact', 'mcp:crm:crm_fail', 'mcp:crm:gone', 'mcp:other:x'],
      signal: ended.signal,
    });
    const h = await toolHarness(t, org, {}, { callTools: tools.callTools });
    return { org, h, tools, ended };
  };

  it('declares the tools under model-safe names with the server schema and runs them', async () => {
    const { h, tools, ended } = await setup();
    expect(tools.enabledTools).toEqual(['end_call', 'mcp__crm__crm_create_contact', 'mcp__crm__crm_fail']);
    const [declaration] = buildToolRegistry(t.ctx).declarations(['mcp__crm__crm_create_contact'], h.context);
    expect(declaration).toMatchObject({
      name: 'mcp__crm__crm_create_contact',
      description: 'Create a contact in the CRM. (via crm)',
      parameters: { type: 'object', required: ['name', 'phone'] },
    });
    const result = resultOf(
      await h.run('mcp__crm__crm_create_contact', { name: 'Dana Scully', phone: '+14155550123' }),
    );
    expect(result).toMatchObject({
      server: 'crm',
      tool: 'crm_create_contact',
      structured: { name: 'Dana Scully' },
    });
    expect(crm.calls.at(-1)).toMatchObject({
      tool: 'crm_create_contact',
      arguments: { name: 'Dana Scully', phone: '+14155550123' },
    });
    const failed = errorOf(await h.run('mcp__crm__crm_fail', {}));
    expect(failed).toMatchObject({
      code: 'failed',
      message: 'crm reported an error: The CRM is down for maintenance.',
    });
    ended.abort();
  });

  it('turns a hang, a huge result and invalid JSON-RPC into structured failures', async () => {
    const { h, ended } = await setup();
    try {
      crm.mode = 'huge';
      expect(errorOf(await h.run('mcp__crm__crm_create_contact', { name: 'A', phone: '1' }))).toMatchObject({
        message: 'crm sent a result too large to use.',
        details: { reason: 'too_large' },
      });
      crm.mode = 'invalid';
      expect(
        errorOf(await h.run('mcp__crm__crm_create_contact', { name: 'A', phone: '1' })).details,
      ).toMatchObject({
        server: 'crm',
      });
      crm.mode = 'normal';
      expect(resultOf(await h.run('mcp__crm__crm_create_contact', { name: 'B', phone: '2' })).server).toBe(
        'crm',
      );
    } finally {
      crm.mode = 'normal';
      ended.abort();
    }
  });

  it('stores headers encrypted and never returns them', async () => {
    const { org } = await setup();
    const [row] = await t.ctx.db.select().from(mcpServers).where(eq(mcpServers.organizationId, org.id));
    expect(row!.headersCiphertext).not.toContain(TOKEN);
    const listed = (await t.as(org.tokens.viewer).get('/api/mcp-servers')).json();
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    expect(listed.items[0].headersMasked).toEqual({ Authorization: '••••3456' });
  });
});
