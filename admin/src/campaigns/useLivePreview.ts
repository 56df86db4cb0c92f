import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/http';

export type LivePreview<T> = { result: T | null; error: ApiError | null; loading: boolean };

/**
 * Asks the hub again a pause after the input stops changing (`key` says what changed). An answer
 * to an older input is dropped, so a slow reply never overwrites a newer one; the last good result
 * stays shown beside an error.
 */
export function useLivePreview<T>(key: string, load: (() => Promise<T>) | null, delayMs = 400): LivePreview<T> {
  const [state, setState] = useState<LivePreview<T>>({ result: null, error: null, loading: false });
  const latest = useRef(0);
  useEffect(() => {
    if (!load) return;
    const asked = ++latest.current;
    const timer = setTimeout(() => {
      setState((current) => ({ ...current, loading: true }));
      load().then(
        (result) => asked === latest.current && setState({ result, error: null, loading: false }),
        (error: Error) =>
          asked === latest.current &&
          setState((current) => ({ result: current.result, error: error instanceof ApiError ? error : new ApiError(0, 'error', error.message), loading: false })),
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [key]);
  return state;
}
