import { type Dispatch, type SetStateAction, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  /** True while a request is in flight (previous data stays visible). */
  loading: boolean;
  reload: () => void;
  setData: Dispatch<SetStateAction<T | undefined>>;
}

/**
 * GETs `path` (null = don't fetch) and refetches when it changes. Keeps the previous data while
 * a new request runs so tables don't flash, and ignores answers to superseded requests.
 * `pollMs` refetches quietly on an interval while the page is visible.
 */
export function useApi<T>(path: string | null, options: { pollMs?: number } = {}): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const pathRef = useRef(path);
  pathRef.current = path;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `nonce` is the reload trigger.
  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    api
      .get<T>(path, undefined, controller.signal)
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, nonce]);

  const { pollMs } = options;
  useEffect(() => {
    if (!pollMs || path === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && pathRef.current === path) {
        api
          .get<T>(path)
          .then((value) => {
            if (pathRef.current === path) {
              setData(value);
              setError(null);
            }
          })
          .catch(() => {
            // A failed background refresh keeps the last good data; the next tick retries.
          });
      }
    }, pollMs);
    return () => clearInterval(timer);
  }, [path, pollMs]);

  return { data, error, loading, reload, setData };
}

/**
 * Runs actions on the rows of a loaded list (change a role, revoke a key…): clears the last
 * error, reloads the list when the action worked and keeps the error to show when it failed.
 * `afterwards` runs in both cases, before the reload or the error (e.g. to close a confirmation).
 */
export function useRowAction(reload: () => void): {
  error: unknown;
  run: (action: () => Promise<unknown>, afterwards?: () => void) => Promise<void>;
} {
  const [error, setError] = useState<unknown>(null);
  async function run(action: () => Promise<unknown>, afterwards?: () => void) {
    setError(null);
    try {
      await action();
      afterwards?.();
      reload();
    } catch (err) {
      afterwards?.();
      setError(err);
    }
  }
  return { error, run };
}
