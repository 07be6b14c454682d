/** The shape twilio-node calls on `ClientOpts.httpClient` (`RequestClient.request`). */
export interface TwilioHttpClientLike {
  // `never`: accepts any client whose `request` takes twilio-node's RequestOptions.
  request(opts: never): Promise<unknown>;
}

type RequestFn = (opts: { uri: string; [key: string]: unknown }) => Promise<unknown>;

const TWILIO_HOST = /^https:\/\/api(?:\.[a-z0-9-]+)*\.twilio\.com(?=\/|$)/i;

/**
 * Wrap a twilio-node HTTP client so requests for `https://api.twilio.com/…` (any edge/region)
 * go to `baseUrl` instead (docs/telephony.md#rest-api — the SDK has no base-URL option):
 *
 * ```ts
 * const client = twilio(sid, token, {
 *   httpClient: redirectTwilioHttpClient(fake.url, new twilio.RequestClient()),
 * });
 * ```
 */
export function redirectTwilioHttpClient<T extends TwilioHttpClientLike>(baseUrl: string, inner: T): T {
  const base = baseUrl.replace(/\/+$/, '');
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'request') {
        const request = target.request.bind(target) as unknown as RequestFn;
        return (opts: { uri: string; [key: string]: unknown }) =>
          request({ ...opts, uri: opts.uri.replace(TWILIO_HOST, base) });
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
