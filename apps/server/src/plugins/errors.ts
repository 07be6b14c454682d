/**
 * The one error handler. Every failure leaves as `{ error: { code, message, details? } }`:
 * AppErrors with their own code, Fastify's body-parsing errors translated (malformed JSON →
 * `invalid_json`, oversized body → `payload_too_large`), unknown routes → `not_found`, and
 * anything unexpected → 500 `internal` with a generic message (the details go to the log only).
 */

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors.ts';
import { sendDashboard, wantsDashboard } from './dashboard.ts';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'Request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'invalid_json',
    message: 'Request body is empty but Content-Type is application/json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'Unsupported Content-Type; send application/json',
  },
};

const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** Classifies any thrown value into a status and a body that is safe to show the client. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.statusCode, body };
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return { status: ERROR_CODES[known.code], body: { error: known } };
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return { status: 400, body: { error: FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY! } };
  }
  const status = fastifyError.statusCode;
  // Other client errors raised by Fastify itself carry safe, generic messages.
  if (status && status >= 400 && status < 500 && fastifyError.code?.startsWith('FST_')) {
    return {
      status,
      body: { error: { code: BY_STATUS[status] ?? 'bad_request', message: fastifyError.message ?? '' } },
    };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'Internal server error' } } };
}

function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): ErrorBody {
  const { status, body } = toErrorResponse(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  // The request's own log line carries the status; the reason is detail for debugging.
  else request.log.debug({ code: body.error.code, status }, body.error.message);
  reply.code(status);
  return body;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error, request, reply) => handleError(error, request, reply));
  app.setNotFoundHandler(async (request, reply) => {
    if (wantsDashboard(request)) return sendDashboard(reply);
    reply.code(404);
    return {
      error: { code: 'not_found', message: `Route ${request.method} ${request.url.split('?')[0]} not found` },
    } satisfies ErrorBody;
  });
}
