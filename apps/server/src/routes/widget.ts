/**
 * The website widget (docs/widget.md). Dashboard: an agent's widget settings
 * (`GET`/`PUT /api/agents/:id/widget`). Public, checked against the page's `Origin`:
 * `GET /api/widget/config` (theme and channels), `POST /api/widget/sessions` (a single-use token
 * valid 60 s and the socket URL), and the sockets that accept only such a token:
 * `WS /api/widget/chat` and `WS /api/widget/voice` (the browser test call's path).
 */
import {
  createWidgetSessionSchema,
  idParamsSchema,
  updateWidgetSettingsSchema,
  type WidgetChannel,
  widgetKeySchema,
  widgetPublicConfigSchema,
  widgetSessionSchema,
  widgetSettingsSchema,
} from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { widgetVoiceCall } from '../calls/admit-widget-call.ts';
import { handleBrowserCall } from '../calls/browser-call.ts';
import { AppError } from '../errors.ts';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { audit } from '../plugins/audit.ts';
import { getAgent } from '../services/get-agent.ts';
import { buildToolRegistry } from '../tools/index.ts';
import { handleWidgetChat } from '../widget/chat-socket.ts';
import { issueWidgetSession } from '../widget/sessions.ts';
import {
  findWidgetByKey,
  getWidgetSettings,
  originAllowed,
  toWidgetSettingsJson,
  updateWidgetSettings,
  type WidgetRow,
} from '../widget/settings.ts';

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** The widget a public request names, usable from the request's origin, or a clear 4xx. */
async function publicWidget(
  request: FastifyRequest,
  key: string,
  channel?: WidgetChannel,
): Promise<WidgetRow> {
  const widget = await findWidgetByKey(request.server.ctx, key);
  if (!widget) throw new AppError('not_found', 'Unknown widget key');
  if (!widget.enabled) throw new AppError('forbidden', 'This widget is switched off', { reason: 'disabled' });
  const origin = pageOrigin(request);
  if (!originAllowed(widget, origin) && !(origin && origin === ownOrigin(request))) {
    throw new AppError('forbidden', 'This website is not allowed to use this widget', { reason: 'origin' });
  }
  if (channel && !widget.channels.includes(channel)) {
    throw new AppError('bad_request', `This widget does not offer ${channel}`);
  }
  return widget;
}

/**
 * The page's origin: the `Origin` header; browsers omit it on same-origin GETs, which they mark
 * `Sec-Fetch-Site: same-origin` (the dashboard's preview reading the config).
 */
function pageOrigin(request: FastifyRequest): string | undefined {
  const origin = str(request.headers.origin);
  if (origin) return origin;
  return request.headers['sec-fetch-site'] === 'same-origin' ? ownOrigin(request) : undefined;
}

/** This server's own origin: the dashboard's live preview runs the widget from here. */
function ownOrigin(request: FastifyRequest): string {
  const { publicUrl } = request.server.ctx.config;
  return publicUrl ? new URL(publicUrl).origin : `${request.protocol}://${request.host}`;
}

function socketBase(request: FastifyRequest): string {
  const base = request.server.ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
  return base.replace(/^http/, 'ws');
}

export async function widgetRoutes(app: FastifyInstance): Promise<void> {
  const tools = buildToolRegistry(app.ctx);

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/agents/:id/widget',
      auth: 'viewer',
      tag: 'widget',
      summary: "The agent's website widget settings (created, switched off, on first read)",
      params: idParamsSchema,
      responses: { 200: widgetSettingsSchema },
    },
    async (request, { params }) =>
      toWidgetSettingsJson(
        await getWidgetSettings(deps(request), {
          organizationId: request.auth.organizationId,
          agentId: params.id,
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'PUT',
      url: '/api/agents/:id/widget',
      auth: 'admin',
      tag: 'widget',
      summary:
        "Change the agent's widget: switch, allowed origins, channels, theme; `rotateKey` issues a new key",
      params: idParamsSchema,
      body: updateWidgetSettingsSchema.extend({ rotateKey: z.boolean().optional() }),
      responses: { 200: widgetSettingsSchema },
    },
    async (request, { params, body }) => {
      const row = await updateWidgetSettings(deps(request), {
        organizationId: request.auth.organizationId,
        agentId: params.id,
        data: body,
      });
      await audit(request, 'agent.widget.update', { type: 'agent', id: params.id });
      return toWidgetSettingsJson(row);
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/widget/config',
      auth: 'public',
      tag: 'widget',
      summary: "A widget's theme and channels, for a page on an allowed origin",
      query: z.strictObject({ key: widgetKeySchema }),
      responses: { 200: widgetPublicConfigSchema },
      rateLimit: { max: 120, timeWindow: '1 minute' },
    },
    async (request, { query }) => {
      const widget = await publicWidget(request, query.key);
      const agent = await getAgent(deps(request), {
        organizationId: widget.organizationId,
        id: widget.agentId,
      });
      return { channels: widget.channels, theme: widget.theme, agentName: agent.name };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/widget/sessions',
      auth: 'public',
      tag: 'widget',
      summary: 'Start a widget session: a single-use token (60 s) and the chat or voice socket URL',
      body: createWidgetSessionSchema,
      bodyLimit: 4096,
      responses: { 201: widgetSessionSchema },
      rateLimit: { max: 30, timeWindow: '1 minute' },
    },
    async (request, { body }, reply) => {
      const widget = await publicWidget(request, body.agentKey, body.channel);
      const { token, expiresAt } = await issueWidgetSession(request.server.ctx, {
        widget,
        channel: body.channel,
        origin: new URL(pageOrigin(request)!).origin,
        ip: request.ip,
        visitorId: body.visitorId,
      });
      reply.code(201);
      return {
        token,
        expiresAt: expiresAt.toISOString(),
        url: `${socketBase(request)}/api/widget/${body.channel}`,
      };
    },
  );

  app.get('/api/widget/chat', { websocket: true, config: { auth: 'public' } }, (socket, request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    void handleWidgetChat(
      app.ctx,
      socket,
      { token: str(query.token), origin: str(request.headers.origin) },
      tools,
    );
  });

  app.get('/api/widget/voice', { websocket: true, config: { auth: 'public' } }, (socket, request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const request_ = { token: str(query.token), origin: str(request.headers.origin) };
    void handleBrowserCall(app.ctx, socket, { token: undefined, agentId: undefined }, tools, {
      variant: widgetVoiceCall(app.ctx, request_),
    });
  });
}
