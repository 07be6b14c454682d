/**
 * Toggles for the tools of the organization's MCP servers (Settings › MCP servers), stored in
 * the agent's `tools` as `mcp:<server>:<tool>`.
 */
import type { ListResponse, McpServer } from '@switchboard/shared';
import { Link } from 'react-router';
import { useApi } from '../lib/use-api.ts';

export function McpToolToggles({
  tools,
  onChange,
}: {
  tools: readonly string[];
  onChange: (tools: string[]) => void;
}) {
  const { data, error } = useApi<ListResponse<McpServer>>('/api/mcp-servers');
  const servers = data?.items ?? [];
  const known = new Set(servers.flatMap((s) => s.tools.map((t) => `mcp:${s.name}:${t.name}`)));
  const missing = tools.filter((t) => t.startsWith('mcp:') && !known.has(t));
  return (
    <fieldset className="tool-list" aria-describedby="mcp-tools-help">
      <legend>Tools from your systems (MCP)</legend>
      <p id="mcp-tools-help" className="field__hint">
        Tools of the MCP servers connected under <Link to="/settings/mcp">Settings › MCP servers</Link>. The
        agent calls them during calls like the built-in tools; every call is on the call's timeline.
      </p>
      {error ? <p className="field__error">Could not load MCP servers.</p> : null}
      {data && servers.length === 0 ? <p className="muted small">No MCP server is connected yet.</p> : null}
      {servers.map((server) => (
        <div key={server.id} className="mcp-server-tools">
          <p className="small">
            <strong>{server.name}</strong>{' '}
            {server.status === 'error' ? (
              <span className="field__error">unreachable at the last check</span>
            ) : null}
          </p>
          {server.tools.length === 0 ? <p className="muted small">No tools found.</p> : null}
          {server.tools.map((tool) => {
            const ref = `mcp:${server.name}:${tool.name}`;
            const id = `tool-${ref.replaceAll(':', '-')}`;
            return (
              <div key={ref} className="check">
                <input
                  id={id}
                  type="checkbox"
                  checked={tools.includes(ref)}
                  onChange={(e) =>
                    onChange(e.target.checked ? [...tools, ref] : tools.filter((x) => x !== ref))
                  }
                />
                <label htmlFor={id}>
                  {tool.name} <code className="muted small">{ref}</code>
                </label>
                {tool.description ? <p className="field__hint">{tool.description}</p> : null}
              </div>
            );
          })}
        </div>
      ))}
      {missing.length > 0 ? (
        <p className="field__error">
          Enabled but no longer offered: {missing.join(', ')}.{' '}
          <button
            type="button"
            className="btn btn--small"
            onClick={() => onChange(tools.filter((t) => !missing.includes(t)))}
          >
            Remove them
          </button>
        </p>
      ) : null}
    </fieldset>
  );
}
