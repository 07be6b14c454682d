import { describe, expect, it } from 'vitest';
import { mcpFunctionName, parseMcpToolRef } from './mcp.ts';

const SAFE = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;

describe('MCP tool names', () => {
  it('parses references and maps them to names every model API accepts', () => {
    expect(parseMcpToolRef('mcp:crm:crm_create_contact')).toEqual({
      server: 'crm',
      tool: 'crm_create_contact',
    });
    expect(parseMcpToolRef('mcp:Crm:x')).toBeNull();
    expect(parseMcpToolRef('crm_create_contact')).toBeNull();
    expect(mcpFunctionName('crm', 'crm_create_contact')).toBe('mcp__crm__crm_create_contact');
    const dotted = mcpFunctionName('sales-crm', 'contacts.create');
    expect(dotted).toMatch(SAFE);
    expect(dotted.startsWith('mcp__sales-crm__contacts_create_')).toBe(true);
    // Rewritten names never collide with each other or with a tool that had that name.
    expect(mcpFunctionName('crm', 'a.b')).not.toBe(mcpFunctionName('crm', 'a_b'));
    const long = mcpFunctionName('a-very-long-server-name-for-tests', 'x'.repeat(120));
    expect(long).toMatch(SAFE);
    expect(long).not.toBe(mcpFunctionName('a-very-long-server-name-for-tests', `${'x'.repeat(119)}y`));
  });
});
