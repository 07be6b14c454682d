/**
 * X-Twilio-Signature verification with the official `twilio` package, against the URL Twilio
 * requested: PUBLIC_URL + the request's path and query (docs/telephony.md#request-signatures).
 * Its webhooks module alone: the SDK's entry point would load its REST client (rest-client.ts).
 */
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';

export interface SignedRequest {
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
  /** The request path with its query string (Fastify `request.url`). */
  url: string;
  /** Decoded form parameters (repeated keys as arrays). */
  params: Record<string, string | string[]>;
  signature: string | undefined;
}

export function isValidTwilioSignature(authToken: string, request: SignedRequest): boolean {
  if (!request.signature) return false;
  return validateRequest(authToken, request.signature, request.publicUrl + request.url, request.params);
}
