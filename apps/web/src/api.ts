/**
 * The dashboard's only way to talk to the server. Adds the bearer token, turns the API's error
 * shape (`{error:{code,message,details}}`) into {@link ApiError}, and sends the user back to
 * sign-in when a request answers 401.
 */
import { type FieldErrors, fieldErrorsFromDetails } from './lib/error-details.ts';

const TOKEN_KEY = 'switchboard.token';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly method: string;
  readonly path: string;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: unknown;
    method: string;
    path: string;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.method = init.method;
    this.path = init.path;
  }

  get fieldErrors(): FieldErrors {
    return fieldErrorsFromDetails(this.details);
  }

  /** The endpoint itself does not exist (yet) on this server, as opposed to a missing record. */
  get endpointMissing(): boolean {
    if (this.status === 501) return true;
    if (this.status !== 404) return false;
    return /route|not[ _]?implemented|unknown endpoint/i.test(`${this.code} ${this.message}`);
  }
}

let token: string | null = readStoredToken();
let unauthorizedHandler: (() => void) | null = null;

function readStoredToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null): void {
  token = value;
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Private mode without storage: the session lasts until the tab closes.
  }
}

/** Called once by the auth provider; runs when any request answers 401. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

async function parseError(res: Response, method: string, path: string): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy page, an empty 502…).
  }
  const e = (body as { error?: unknown } | null)?.error;
  if (e && typeof e === 'object') {
    const err = e as { code?: unknown; message?: unknown; details?: unknown };
    return new ApiError({
      status: res.status,
      code: typeof err.code === 'string' ? err.code : `http_${res.status}`,
      message: typeof err.message === 'string' ? err.message : res.statusText,
      details: err.details,
      method,
      path,
    });
  }
  // Fastify's default shape `{statusCode, error, message}` (e.g. an unregistered route).
  const b = body as { message?: unknown; error?: unknown } | null;
  return new ApiError({
    status: res.status,
    code: typeof b?.error === 'string' ? b.error.toLowerCase().replace(/\s+/g, '_') : `http_${res.status}`,
    message: typeof b?.message === 'string' ? b.message : res.statusText || `HTTP ${res.status}`,
    method,
    path,
  });
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const url = withQuery(path, options.query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({
      status: 0,
      code: 'network',
      message: 'Cannot reach the server. Check that it is running and try again.',
      method,
      path,
    });
  }
  if (res.status === 401 && path !== '/api/auth/login') {
    const error = await parseError(res, method, path);
    setToken(null);
    unauthorizedHandler?.();
    throw error;
  }
  if (!res.ok) throw await parseError(res, method, path);
  if (res.status === 204) return undefined as T;
  if (res.headers.get('content-type')?.includes('text/html')) {
    // A single-page-app fallback answered instead of the API: the route does not exist.
    throw new ApiError({ status: 501, code: 'not_implemented', message: 'not an API route', method, path });
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

/**
 * POSTs multipart form data with upload progress (0–1), which fetch cannot report. Errors are
 * the same {@link ApiError}s as {@link request}'s.
 */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () =>
      reject(
        new ApiError({
          status: 0,
          code: 'network',
          message: 'The upload did not reach the server. Check your connection and try again.',
          method: 'POST',
          path,
        }),
      );
    xhr.onload = () => {
      const res = new Response(xhr.responseText || null, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        return;
      }
      void parseError(res, 'POST', path).then((error) => {
        if (xhr.status === 401) {
          setToken(null);
          unauthorizedHandler?.();
        }
        reject(error);
      });
    };
    xhr.send(form);
  });
}

/** Lists answer `{items,total,limit,offset}`; tolerate a bare array too. */
export function itemsOf<T>(data: { items: T[] } | T[] | null | undefined): T[] {
  if (!data) return [];
  return Array.isArray(data) ? data : data.items;
}

/** A one-line, human message for any error thrown by {@link request}. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return err.message;
    if (err.status === 403) return `You don't have permission to do that (${err.message}).`;
    if (err.endpointMissing) return `This server does not provide ${err.method} ${err.path} yet.`;
    if (err.status >= 500) return `The server had a problem (${err.message}). Try again in a moment.`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** A binary resource of the API (a recording), fetched with the bearer token. */
export async function fetchBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { headers, signal });
  if (!res.ok) throw await parseError(res, 'GET', path);
  return res.blob();
}

/**
 * URL for an endpoint that cannot send headers (EventSource, WebSocket) with a fresh single-use
 * ticket (POST /api/auth/ticket, valid 60 s) instead of the session token, which would end up in
 * logs. Ask for a new one for every connection.
 */
export async function ticketUrl(path: string, query: Query = {}): Promise<string> {
  const { ticket } = await api.post<{ ticket: string; expiresAt: string }>('/api/auth/ticket');
  return withQuery(path, { ...query, ticket });
}
