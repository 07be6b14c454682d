/**
 * The website widget's contract (docs/widget.md): an agent's widget settings (dashboard), the
 * public session request a visitor's browser makes, and the chat socket's messages.
 */
import { z } from 'zod';

export const WIDGET_CHANNELS = ['chat', 'voice'] as const;
export type WidgetChannel = (typeof WIDGET_CHANNELS)[number];

export const WIDGET_POSITIONS = ['bottom-right', 'bottom-left'] as const;

/** Public key of an agent's widget: `wk_` and 32 base64url characters. */
export const widgetKeySchema = z.string().regex(/^wk_[\w-]{20,64}$/, 'must be a widget key (wk_…)');

/** An exact web origin: scheme, host and port, nothing else (`https://shop.example.com`). */
export const webOriginSchema = z
  .string()
  .trim()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '')
      );
    } catch {
      return false;
    }
  }, 'must be an origin like https://www.example.com (no path)')
  .transform((value) => new URL(value).origin);

export const widgetThemeSchema = z.strictObject({
  /** Accent colour, #rrggbb. */
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #2563eb')
    .optional(),
  position: z.enum(WIDGET_POSITIONS).optional(),
  title: z.string().trim().max(60).optional(),
  welcomeMessage: z.string().trim().max(300).optional(),
  /** https URL of a small image shown beside the title. */
  avatarUrl: z
    .url({ protocol: /^https$/ })
    .max(500)
    .optional(),
});
export type WidgetTheme = z.infer<typeof widgetThemeSchema>;

export const widgetSettingsSchema = z.object({
  agentId: z.string(),
  publicKey: z.string(),
  enabled: z.boolean(),
  allowedOrigins: z.array(z.string()),
  channels: z.array(z.enum(WIDGET_CHANNELS)),
  theme: widgetThemeSchema,
  updatedAt: z.string(),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

export const updateWidgetSettingsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  allowedOrigins: z.array(webOriginSchema).max(20).optional(),
  channels: z
    .array(z.enum(WIDGET_CHANNELS))
    .min(1)
    .max(2)
    .refine((list) => new Set(list).size === list.length, 'channels must not repeat')
    .optional(),
  theme: widgetThemeSchema.optional(),
});
export type UpdateWidgetSettings = z.input<typeof updateWidgetSettingsSchema>;

/** What the widget shows before a session: public, checked against the page's origin. */
export const widgetPublicConfigSchema = z.object({
  channels: z.array(z.enum(WIDGET_CHANNELS)),
  theme: widgetThemeSchema,
  agentName: z.string(),
});
export type WidgetPublicConfig = z.infer<typeof widgetPublicConfigSchema>;

export const createWidgetSessionSchema = z.strictObject({
  agentKey: widgetKeySchema,
  channel: z.enum(WIDGET_CHANNELS),
  /** Random id the browser keeps (localStorage) so a returning visitor continues the chat. */
  visitorId: z
    .string()
    .regex(/^[\w-]{16,64}$/)
    .optional(),
});
export type CreateWidgetSession = z.input<typeof createWidgetSessionSchema>;

export const widgetSessionSchema = z.object({
  /** Single use, valid until `expiresAt` (60 s): pass it as `?token=` to `url`. */
  token: z.string(),
  expiresAt: z.string(),
  /** The WebSocket URL for the channel (token not included). */
  url: z.string(),
});
export type WidgetSessionGrant = z.infer<typeof widgetSessionSchema>;

/** Visitor → server on the chat socket. */
export const widgetChatInboundSchema = z.strictObject({ type: z.literal('message'), text: z.string() });

/** Server → visitor on the chat socket (docs/widget.md "Chat socket"). */
export type WidgetChatOutbound =
  | { type: 'ready'; conversationId: string | null; history: { role: 'user' | 'assistant'; text: string }[] }
  | { type: 'started'; conversationId: string }
  | { type: 'typing' }
  | { type: 'delta'; text: string }
  | { type: 'message'; role: 'assistant'; text: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'ended'; reason: string };

/**
 * Server → dashboard on the studio's text test chat (`WS /api/agents/:id/test-chat`): the chat
 * socket's messages, plus each tool the agent ran (`summary`: the result or error, shortened).
 */
export type TestChatOutbound =
  | WidgetChatOutbound
  | { type: 'tool_call'; name: string; arguments: unknown; ok: boolean; summary: string };
