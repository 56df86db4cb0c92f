import { useEffect, useRef, useState } from 'preact/hooks';
import type { Page } from './types';

export type Pages<T> = {
  items: T[];
  state: 'loading' | 'idle' | 'error';
  error: string;
  hasMore: boolean;
  /** Reads the next page and appends it. */
  more: () => void;
  /** Reads the first page again, replacing what is shown. */
  reload: () => void;
};

/**
 * A cursor-paged list from the hub, read a page at a time. It starts over whenever `inputs`
 * change; answers that arrive for earlier inputs are dropped.
 */
export function usePages<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, inputs: unknown[]): Pages<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<Pages<T>['state']>('loading');
  const [error, setError] = useState('');
  const generation = useRef(0);

  const load = async (after: string | null) => {
    const current = generation.current;
    setState('loading');
    try {
      const page = await fetchPage(after);
      if (current !== generation.current) return;
      setItems((before) => (after ? [...before, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setState('idle');
    } catch (failure) {
      if (current !== generation.current) return;
      setError((failure as Error).message);
      setState('error');
    }
  };

  useEffect(() => {
    generation.current += 1;
    void load(null);
    return () => {
      generation.current += 1;
    };
  }, inputs);

  return { items, state, error, hasMore: cursor !== null, more: () => void load(cursor), reload: () => void load(null) };
}
