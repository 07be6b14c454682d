import { z } from 'zod';

/**
 * MCP servers an organization connects (docs/mcp.md). An agent enables one of their tools by
 * listing `mcp:<server>:<tool>` in its `tools`.
 */

export const MCP_TRANSPORTS = ['http', 'stdio'] as const;
export type McpTransport = (typeof MCP_TRANSPORTS)[number];
export const MCP_STATUSES = ['untested', 'ok', 'error'] as const;

/** Server names are short slugs: they appear in tool references and model function names. */
export const MCP_SERVER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
/** MCP tool names (the specification's recommended character set). */
export const MCP_TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
/** `mcp:<server>:<tool>` as stored in an agent's `tools`. */
export const MCP_TOOL_REF = /^mcp:([a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?):([A-Za-z0-9_.-]{1,128})$/;

export function parseMcpToolRef(ref: string): { server: string; tool: string } | null {
  const match = MCP_TOOL_REF.exec(ref);
  return match ? { server: match[1]!, tool: match[2]! } : null;
}

export const mcpToolSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** The tool's JSON Schema for its arguments, as the server declared it. */
  inputSchema: z.record(z.string(), z.unknown()),
});
export type McpTool = z.infer<typeof mcpToolSchema>;

export const mcpServerSchema = z.object({
  id: z.string(),
  name: z.string(),
  transport: z.enum(MCP_TRANSPORTS),
  url: z.string().nullable(),
  command: z.string().nullable(),
  args: z.array(z.string()),
  /** Header names with masked values; the values are stored encrypted and never returned. */
  headersMasked: z.record(z.string(), z.string()),
  status: z.enum(MCP_STATUSES),
  lastError: z.string().nullable(),
  /** Tools discovered at the last successful connection. */
  tools: z.array(mcpToolSchema),
  toolsFetchedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type McpServer = z.infer<typeof mcpServerSchema>;

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
const headersSchema = z
  .record(
    z.string().regex(HEADER_NAME, 'header names are letters, digits and -'),
    z
      .string()
      .max(4000)
      .refine((v) => !/[\r\n]/.test(v), 'header values are one line'),
  )
  .refine((h) => Object.keys(h).length <= 20, 'at most 20 headers');

const urlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const nameSchema = z
  .string()
  .trim()
  .regex(MCP_SERVER_NAME, 'must be 1-32 lowercase letters, digits or dashes (e.g. "crm")');
const commandSchema = z.string().trim().min(1).max(500);
const argsSchema = z.array(z.string().max(1000)).max(50);

export const createMcpServerSchema = z.discriminatedUnion('transport', [
  z.strictObject({
    name: nameSchema,
    transport: z.literal('http'),
    url: urlSchema,
    headers: headersSchema.default({}),
  }),
  z.strictObject({
    name: nameSchema,
    transport: z.literal('stdio'),
    command: commandSchema,
    args: argsSchema.default([]),
  }),
]);
export type CreateMcpServer = z.input<typeof createMcpServerSchema>;

/** `headers`, when given, replaces every stored header. */
export const updateMcpServerSchema = z
  .strictObject({
    name: nameSchema,
    url: urlSchema,
    headers: headersSchema,
    command: commandSchema,
    args: argsSchema,
  })
  .partial();
export type UpdateMcpServer = z.input<typeof updateMcpServerSchema>;

export const mcpServerToolsResponseSchema = z.object({
  server: z.string(),
  status: z.enum(MCP_STATUSES),
  /** Why the connection failed (status `error`). */
  error: z.string().nullable(),
  /** The tools found now, or at the last successful connection when this one failed. */
  tools: z.array(mcpToolSchema.extend({ ref: z.string(), functionName: z.string() })),
  fetchedAt: z.string().nullable(),
});

/** Longest function name every model API accepts (64, but some Gemini references say 63). */
const MAX_FUNCTION_NAME = 63;

/**
 * The function name a model sees for an MCP tool. OpenAI accepts only letters, digits, `_` and
 * `-` (at most 64); Gemini also `.` and `:` but wants a letter or `_` first. So
 * `mcp:<server>:<tool>` becomes `mcp__<server>__<tool>` (at most 63 characters): server names
 * cannot contain `_`, so the separator is unambiguous. A tool name with other characters (`.`)
 * or too long is rewritten and given a hash of the original, so two tools never share a name.
 */
export function mcpFunctionName(server: string, tool: string): string {
  const prefix = `mcp__${server}__`;
  const safe = tool.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe === tool && prefix.length + safe.length <= MAX_FUNCTION_NAME) return prefix + safe;
  const hash = fnv1a(`${server}:${tool}`);
  return `${prefix}${safe.slice(0, MAX_FUNCTION_NAME - prefix.length - hash.length - 1)}_${hash}`;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}
