/**
 * What the agent studio picks from, and how a voice sounds:
 * - GET /api/agent-options — per provider the known realtime models and voices, languages
 *   (BCP 47 with names), IANA time zones.
 * - GET /api/voice-preview?provider=&voice= — a short WAV of the voice, made once through the
 *   provider with the organization's key and cached (docs/api.md#voice-previews).
 */
import { agentOptions, agentOptionsSchema, PROVIDER_FACTS, PROVIDERS, VOICES } from '@switchboard/shared';
import { VoiceError } from '@switchboard/voice';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { realtimeModelFor } from '../calls/load-call-setup.ts';
import { AppError, validationFailed } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import { resolveCredentials } from '../services/resolve-credentials.ts';
import { generateVoicePreview, PreviewFailed } from '../voice-preview/generate.ts';
import { VoicePreviewStore } from '../voice-preview/store.ts';

/** How long one preview may take to make, connection included. */
const PREVIEW_TIMEOUT_MS = 20_000;

const previewQuerySchema = z.strictObject({ provider: z.enum(PROVIDERS), voice: z.string().max(50) });

export async function agentOptionRoutes(app: FastifyInstance): Promise<void> {
  const options = agentOptions();
  const store = new VoicePreviewStore(app.ctx.config.dataDir);

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/agent-options',
      auth: 'viewer',
      summary: 'Models and voices per provider, languages and time zones the agent studio offers',
      responses: { 200: agentOptionsSchema },
    },
    async (_request, _input, reply) => {
      reply.header('cache-control', 'private, max-age=3600');
      return options;
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/voice-preview',
      auth: 'viewer',
      summary:
        'A short sample of a voice (audio/wav, 24 kHz mono): made once with the organization’s model key, then served from the cache',
      query: previewQuerySchema,
      responses: { 200: null, 304: null },
      rateLimit: { max: 60, timeWindow: 60_000 },
    },
    async (request, { query }, reply) => {
      const { provider, voice } = query;
      if (!VOICES[provider].includes(voice)) {
        throw validationFailed([
          {
            path: 'voice',
            message: `must be one of ${VOICES[provider].join(', ')} for provider ${provider}`,
          },
        ]);
      }
      const { ctx } = request.server;
      const preview = await store.getOrCreate(provider, voice, async () => {
        const apiKey = (await resolveCredentials(ctx, request.auth.organizationId))[provider]?.apiKey;
        if (!apiKey) {
          const name = provider === 'openai' ? 'an OpenAI' : 'a Gemini';
          throw new AppError(
            'conflict',
            `No ${PROVIDER_FACTS[provider].label} key is configured: add ${name} key in Settings → Credentials to hear this voice.`,
            { reason: 'no_credentials' },
          );
        }
        const model = realtimeModelFor(ctx, provider, { resilience: false });
        try {
          return await generateVoicePreview({
            model,
            modelName: PROVIDER_FACTS[provider].defaultModel,
            voice,
            apiKey,
            timeoutMs: PREVIEW_TIMEOUT_MS,
          });
        } catch (error) {
          const reason =
            error instanceof PreviewFailed
              ? error.message
              : error instanceof VoiceError && error.code === 'model_auth_failed'
                ? 'the provider did not accept the API key'
                : 'the model could not be reached';
          ctx.log.warn({ provider, voice, err: error }, 'voice preview failed');
          throw new AppError(
            'service_unavailable',
            `Could not make the voice sample (${reason}); try again in a moment.`,
          );
        }
      });
      reply.header('etag', preview.etag).header('cache-control', 'private, max-age=86400');
      if (request.headers['if-none-match'] === preview.etag) return reply.code(304).send();
      return reply.type('audio/wav').header('content-length', preview.bytes.length).send(preview.bytes);
    },
  );
}
