/**
 * A small CRM behind the Model Context Protocol, built with the official SDK
 * (`@modelcontextprotocol/sdk`, streamable HTTP, stateless): `crm_create_contact`,
 * `crm_check_calendar` and `crm_fail` (an error result). It records every call with its
 * arguments and headers, and can misbehave on purpose: `hang` (never answers a tool call),
 * `huge` (a multi-megabyte result), `invalid` (answers with something that is not JSON-RPC).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export type FakeMcpMode = 'normal' | 'hang' | 'huge' | 'invalid';

export interface FakeMcpCall {
  tool: string;
  arguments: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeMcpServer {
  /** The streamable HTTP endpoint (…/mcp). */
  url: string;
  /** Every tool call received, in order. */
  calls: FakeMcpCall[];
  /** Requests answered 401 for lacking `Authorization: Bearer <token>`. */
  rejected: number;
  mode: FakeMcpMode;
  close(): Promise<void>;
}

export interface FakeMcpOptions {
  /** Require this bearer token. */
  token?: string;
  mode?: FakeMcpMode;
}

/** Size of the `huge` result (characters). */
export const HUGE_RESULT_CHARS = 5 * 1024 * 1024;

function crm(fake: FakeMcpServer, headers: IncomingMessage['headers']): McpServer {
  const server = new McpServer({ name: 'fake-crm', version: '1.0.0' });
  const record = async (tool: string, args: Record<string, unknown>) => {
    fake.calls.push({ tool, arguments: args, headers });
    if (fake.mode === 'hang') await new Promise(() => {});
  };
  server.registerTool(
    'crm_create_contact',
    {
      description: 'Create a contact in the CRM.',
      inputSchema: {
        name: z.string().describe('Full name'),
        phone: z.string(),
        email: z.string().optional(),
      },
    },
    async (args) => {
      await record('crm_create_contact', args);
      if (fake.mode === 'huge') return { content: [{ type: 'text', text: 'x'.repeat(HUGE_RESULT_CHARS) }] };
      const contactId = `ct_${fake.calls.length}`;
      return {
        content: [{ type: 'text', text: `Created contact ${contactId} for ${args.name}.` }],
        structuredContent: { contactId, name: args.name },
      };
    },
  );
  server.registerTool(
    'crm_check_calendar',
    {
      description: 'Free appointment slots on a day.',
      inputSchema: { date: z.string().describe('YYYY-MM-DD') },
    },
    async (args) => {
      await record('crm_check_calendar', args);
      return {
        content: [{ type: 'text', text: JSON.stringify({ date: args.date, slots: ['09:00', '14:30'] }) }],
      };
    },
  );
  server.registerTool('crm_fail', { description: 'Always fails.', inputSchema: {} }, async (args) => {
    await record('crm_fail', args);
    return { isError: true, content: [{ type: 'text', text: 'The CRM is down for maintenance.' }] };
  });
  return server;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const raw = Buffer.concat(parts).toString('utf8');
  return raw ? JSON.parse(raw) : undefined;
}

export async function startFakeMcpServer(options: FakeMcpOptions = {}): Promise<FakeMcpServer> {
  const fake: FakeMcpServer = {
    url: '',
    calls: [],
    rejected: 0,
    mode: options.mode ?? 'normal',
    close: async () => {},
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/mcp')) return res.writeHead(404).end();
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      fake.rejected++;
      return res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
    }
    if (req.method !== 'POST') return res.writeHead(405).end();
    const body = await readJson(req);
    const isToolCall = (body as { method?: string } | undefined)?.method === 'tools/call';
    if (fake.mode === 'invalid' && isToolCall) {
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"1.0","oops":[');
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    const server = crm(fake, req.headers);
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };
  const http = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return fake;
}
