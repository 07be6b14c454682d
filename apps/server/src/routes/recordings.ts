/**
 * GET /api/calls/:id/recording — the server's own two-channel recording of a call (WAV), for the
 * call's organization only (another organization's call: 404), with single-range requests
 * (`Range: bytes=…` → 206 and `Content-Range`; unsatisfiable → 416). The header is computed
 * from the file's length, so a recording cut short by a crash plays too.
 */
import { idParamsSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.ts';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { parseRange, recordingBytes } from '../recordings/range.ts';
import { getCall } from '../services/get-call.ts';

export async function recordingRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/calls/:id/recording',
      auth: 'viewer',
      summary:
        "The call's recording made by the server (audio/wav, 2 channels: caller left, agent right); Range supported",
      params: idParamsSchema,
      responses: { 200: null, 206: null, 416: null },
    },
    async (request, { params }, reply) => {
      const organizationId = request.auth.organizationId;
      const call = await getCall(deps(request), { organizationId, id: params.id });
      const stored = call.recordingKey
        ? await request.server.ctx.recordings.open({ organizationId, callId: call.id })
        : null;
      if (!stored) throw notFound('Recording');
      const range = parseRange(request.headers.range, stored.size);
      reply.header('accept-ranges', 'bytes').header('cache-control', 'private, no-store');
      if (range === 'unsatisfiable') {
        return reply
          .code(416)
          .header('content-range', `bytes */${stored.size}`)
          .type('application/json')
          .send({
            error: { code: 'range_not_satisfiable', message: `the recording has ${stored.size} bytes` },
          });
      }
      const { start, end } = range ?? { start: 0, end: stored.size - 1 };
      reply.type('audio/wav').header('content-length', end - start + 1);
      if (range) reply.code(206).header('content-range', `bytes ${start}-${end}/${stored.size}`);
      return reply.send(recordingBytes(stored, start, end));
    },
  );
}
