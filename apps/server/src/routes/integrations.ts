import {
  integrationParamsSchema,
  integrationSchema,
  integrationTestResultSchema,
  testIntegrationBodySchema,
  updateIntegrationSchema,
} from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toIntegrationJson } from '../mappers/integrations.ts';
import { audit } from '../plugins/audit.ts';
import { deleteIntegration } from '../services/delete-integration.ts';
import { listIntegrations } from '../services/list-integrations.ts';
import { testIntegration } from '../services/test-integration.ts';
import { updateIntegration } from '../services/update-integration.ts';

/** Service dependencies plus what credentials need: the cipher and the environment's fallbacks. */
function integrationDeps(request: FastifyRequest) {
  const { ctx } = request.server;
  return { ...deps(request), secrets: ctx.secrets, config: ctx.config };
}

export async function integrationRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/integrations',
      auth: 'viewer',
      summary: 'Credentials per provider (always all four); secrets only masked',
      description:
        'For each of twilio, openai, gemini, google_calendar: whether it is configured and from where ' +
        '(`organization`: saved here; `environment`: the server’s variables), its non-secret settings, ' +
        'masked secrets and the last connection test.',
      responses: { 200: z.array(integrationSchema) },
    },
    async (request) => {
      const states = await listIntegrations(integrationDeps(request), {
        organizationId: request.auth.organizationId,
      });
      return states.map(toIntegrationJson);
    },
  );

  defineRoute(
    app,
    {
      method: 'PUT',
      url: '/api/integrations/:provider',
      auth: 'admin',
      summary: 'Save the organization’s credentials for a provider',
      description:
        'Per provider — twilio: config `{accountSid, phoneNumber?}`, secrets `{authToken}`; openai and gemini: ' +
        'secrets `{apiKey}`; google_calendar: config `{calendarId}` (default `primary`), secrets ' +
        '`{serviceAccountJson}` (the key file’s JSON text). Blank or omitted secrets keep the saved ones. ' +
        'Secrets are stored encrypted and never returned. Resets the test status.',
      params: integrationParamsSchema,
      body: updateIntegrationSchema,
      responses: { 200: integrationSchema },
    },
    async (request, { params, body }) => {
      const organizationId = request.auth.organizationId;
      const { row, secretsChanged } = await updateIntegration(integrationDeps(request), {
        organizationId,
        provider: params.provider,
        body,
      });
      await audit(
        request,
        'integration.update',
        { type: 'integration', id: params.provider },
        { provider: params.provider, config: Object.keys(row.config), secrets: secretsChanged },
      );
      const states = await listIntegrations(integrationDeps(request), { organizationId });
      return toIntegrationJson(states.find((s) => s.provider === params.provider)!);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/integrations/:provider',
      auth: 'admin',
      summary: 'Forget the organization’s credentials for a provider (environment variables apply again)',
      params: integrationParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      const deleted = await deleteIntegration(deps(request), {
        organizationId: request.auth.organizationId,
        provider: params.provider,
      });
      if (deleted) {
        await audit(
          request,
          'integration.delete',
          { type: 'integration', id: params.provider },
          {
            provider: params.provider,
          },
        );
      }
      reply.code(204);
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/integrations/:provider/test',
      auth: 'admin',
      summary: 'Test the credentials in use with a real request (5 s timeout) and store the outcome',
      description:
        'twilio: fetches the account; openai: opens a Realtime session and waits for `session.created`; ' +
        'gemini: opens a Live session and waits for `setupComplete`; google_calendar: a free/busy query. ' +
        'A failed test is `200 {ok: false, message, detail}`: `message` in plain words (unreachable host, ' +
        'rejected key, wrong account, missing permission), `detail` the provider’s own text. With a body ' +
        '`{config, secrets}` (as for PUT) holding any non-blank value, the unsaved values are tested instead ' +
        '(blank fields use the ones in use) and nothing is stored.',
      params: integrationParamsSchema,
      body: testIntegrationBodySchema,
      responses: { 200: integrationTestResultSchema },
    },
    async (request, { params, body }) => {
      const result = await testIntegration(integrationDeps(request), {
        organizationId: request.auth.organizationId,
        provider: params.provider,
        values: body,
      });
      await audit(
        request,
        'integration.test',
        { type: 'integration', id: params.provider },
        {
          provider: params.provider,
          ok: result.ok,
        },
      );
      return result;
    },
  );
}
