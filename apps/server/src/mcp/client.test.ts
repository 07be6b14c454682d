/**
 * The MCP client against the test kit's MCP server (same SDK): tools listed with schemas,
 * arguments and headers received, and each misbehaviour (hang, huge answer, invalid JSON-RPC,
 * wrong token, nothing listening) turned into an McpError with its reason.
 */
import { type FakeMcpServer, startFakeMcpServer } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp, type McpEndpoint, McpError } from './client.ts';

const TOKEN = 'crm-secret-token';
let crm: FakeMcpServer;
const endpoint = (url = crm.url, token = TOKEN): McpEndpoint => ({
  transport: 'http',
  url,
  headers: { Authorization: `Bearer ${token}` },
  command: null,
  args: [],
});

async function reasonOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpError);
  return (error as McpError).reason;
}

describe('MCP client', () => {
  beforeAll(async () => {
    crm = await startFakeMcpServer({ token: TOKEN });
  });
  afterAll(() => crm?.close());

  it('lists tools with their schemas and calls one with arguments and headers', async () => {
    const mcp = await connectMcp(endpoint());
    const tools = await mcp.listTools();
    expect(tools.map((t) => t.name)).toEqual(['crm_create_contact', 'crm_check_calendar', 'crm_fail']);
    expect(tools[0]!.inputSchema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' }, phone: { type: 'string' } },
      required: ['name', 'phone'],
    });
    const result = await mcp.callTool(
      'crm_create_contact',
      { name: 'Dana', phone: '+14155550123' },
      { timeoutMs: 5000 },
    );
    expect(result).toMatchObject({ isError: false, structuredContent: { name: 'Dana' } });
    expect(crm.calls.at(-1)).toMatchObject({
      tool: 'crm_create_contact',
      arguments: { name: 'Dana', phone: '+14155550123' },
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect((await mcp.callTool('crm_fail', {}, { timeoutMs: 5000 })).isError).toBe(true);
    await mcp.close();
  });

  it('reports a wrong token, a server that is not there, a hang, a huge answer and invalid JSON-RPC', async () => {
    expect(await reasonOf(connectMcp(endpoint(crm.url, 'wrong')))).toBe('connect');
    expect(await reasonOf(connectMcp(endpoint('http://127.0.0.1:9/mcp')))).toBe('connect');
    const mcp = await connectMcp(endpoint());
    try {
      crm.mode = 'hang';
      expect(
        await reasonOf(mcp.callTool('crm_check_calendar', { date: '2026-03-09' }, { timeoutMs: 300 })),
      ).toBe('timeout');
      crm.mode = 'huge';
      expect(
        await reasonOf(mcp.callTool('crm_create_contact', { name: 'A', phone: '1' }, { timeoutMs: 5000 })),
      ).toBe('too_large');
      crm.mode = 'invalid';
      expect(
        await reasonOf(mcp.callTool('crm_check_calendar', { date: '2026-03-09' }, { timeoutMs: 2000 })),
      ).toMatch(/protocol|timeout/);
      crm.mode = 'normal';
      // The connection still works after each failure.
      expect(
        (await mcp.callTool('crm_check_calendar', { date: '2026-03-09' }, { timeoutMs: 5000 })).isError,
      ).toBe(false);
    } finally {
      crm.mode = 'normal';
      await mcp.close();
    }
  });
});
