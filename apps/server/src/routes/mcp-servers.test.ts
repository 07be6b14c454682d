/**
 * The MCP servers API on both databases: registration with tool discovery, validation,
 * stdio only when allowed and only for owners, agents enabling `mcp:<server>:<tool>`, renames
 * and removals carried into agents, an unreachable server kept with its error, tenancy.
 */
import { type FakeMcpServer, startFakeMcpServer } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('MCP servers API on %s', (kind) => {
  let t: TestApp;
  let stdio: TestApp;
  let crm: FakeMcpServer;
  beforeAll(async () => {
    crm = await startFakeMcpServer();
    t = await buildTestApp(kind);
    stdio = await buildTestApp(kind, { env: { MCP_ALLOW_STDIO: 'true' } });
  });
  afterAll(async () => {
    await t?.close();
    await stdio?.close();
    await crm?.close();
  });

  it('registers a server, lists its tools and lets an agent enable them', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const created = await admin.post('/api/mcp-servers', { name: 'crm', transport: 'http', url: crm.url });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'crm', status: 'ok', lastError: null, headersMasked: {} });
    expect(created.json().tools.map((x: { name: string }) => x.name)).toEqual([
      'crm_create_contact',
      'crm_check_calendar',
      'crm_fail',
    ]);
    const tools = (await admin.get(`/api/mcp-servers/${created.json().id}/tools`)).json();
    expect(tools.tools[0]).toMatchObject({
      ref: 'mcp:crm:crm_create_contact',
      functionName: 'mcp__crm__crm_create_contact',
      inputSchema: { type: 'object' },
    });
    expect(
      (await admin.post('/api/mcp-servers', { name: 'crm', transport: 'http', url: crm.url })).statusCode,
    ).toBe(409);

    const enable = await admin.patch(`/api/agents/${org.agent.id}`, {
      tools: ['end_call', 'mcp:crm:crm_create_contact'],
    });
    expect(enable.statusCode).toBe(200);
    expect(enable.json().tools).toEqual(['end_call', 'mcp:crm:crm_create_contact']);
    const unknownTool = await admin.patch(`/api/agents/${org.agent.id}`, { tools: ['mcp:crm:nope'] });
    expect(unknownTool.statusCode).toBe(400);
    expect(unknownTool.json().error.message).toMatch(/has no tool "nope"/);
    expect(
      (await admin.patch(`/api/agents/${org.agent.id}`, { tools: ['mcp:billing:x'] })).json().error.message,
    ).toMatch(/no MCP server named "billing"/);
    expect((await admin.patch(`/api/agents/${org.agent.id}`, { tools: ['mcp:Bad Name:x'] })).statusCode).toBe(
      400,
    );

    // A rename follows into the agent; a removal takes the tools away from it.
    const renamed = await admin.patch(`/api/mcp-servers/${created.json().id}`, { name: 'sales-crm' });
    expect(renamed.json().name).toBe('sales-crm');
    expect((await admin.get(`/api/agents/${org.agent.id}`)).json().tools).toEqual([
      'end_call',
      'mcp:sales-crm:crm_create_contact',
    ]);
    expect((await admin.delete(`/api/mcp-servers/${created.json().id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/agents/${org.agent.id}`)).json().tools).toEqual(['end_call']);
  });

  it('keeps an unreachable server with its error, validates input and checks roles and tenancy', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const down = await admin.post('/api/mcp-servers', {
      name: 'down',
      transport: 'http',
      url: 'http://127.0.0.1:9/mcp',
    });
    expect(down.statusCode).toBe(201);
    expect(down.json()).toMatchObject({
      status: 'error',
      lastError: expect.stringMatching(/Could not list tools/),
      tools: [],
    });
    expect(
      (await admin.post('/api/mcp-servers', { name: 'x', transport: 'http', url: 'ftp://example.com' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await admin.post('/api/mcp-servers', { name: 'UPPER', transport: 'http', url: crm.url })).statusCode,
    ).toBe(400);
    const badHeader = await admin.post('/api/mcp-servers', {
      name: 'h',
      transport: 'http',
      url: crm.url,
      headers: { 'X-A': 'a\r\nb' },
    });
    expect(badHeader.statusCode).toBe(400);
    expect(
      (await t.as(org.tokens.agent).post('/api/mcp-servers', { name: 'y', transport: 'http', url: crm.url }))
        .statusCode,
    ).toBe(403);
    expect((await t.as(other.tokens.admin).get(`/api/mcp-servers/${down.json().id}/tools`)).statusCode).toBe(
      404,
    );
    expect((await t.as(other.tokens.admin).delete(`/api/mcp-servers/${down.json().id}`)).statusCode).toBe(
      404,
    );
    expect((await t.as(other.tokens.viewer).get('/api/mcp-servers')).json().items).toEqual([]);
    // Local commands are off unless MCP_ALLOW_STDIO=true.
    const cmd = await t
      .as(org.tokens.owner)
      .post('/api/mcp-servers', { name: 'local', transport: 'stdio', command: 'node' });
    expect(cmd.statusCode).toBe(403);
    expect(cmd.json().error.message).toMatch(/MCP_ALLOW_STDIO/);
  });

  it('allows stdio servers for owners only when MCP_ALLOW_STDIO=true', async () => {
    const org = await stdio.seedOrg();
    const body = { name: 'local', transport: 'stdio', command: 'false', args: [] };
    expect((await stdio.as(org.tokens.admin).post('/api/mcp-servers', body)).statusCode).toBe(403);
    const created = await stdio.as(org.tokens.owner).post('/api/mcp-servers', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ transport: 'stdio', command: 'false', status: 'error' });
    expect(
      (await stdio.as(org.tokens.admin).delete(`/api/mcp-servers/${created.json().id}`)).statusCode,
    ).toBe(403);
  });
});
