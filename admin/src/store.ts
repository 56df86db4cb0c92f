import { useEffect, useState } from 'preact/hooks';

/** A tiny observable value: components re-render when what they select from it changes. */
export type Store<T> = {
  get: () => T;
  set: (next: T) => void;
  update: (change: (current: T) => T) => void;
  subscribe: (listener: (value: T) => void) => () => void;
};

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  const set = (next: T) => {
    if (next === value) return;
    value = next;
    for (const listener of [...listeners]) listener(value);
  };
  return {
    get: () => value,
    set,
    update: (change) => set(change(value)),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<T, S = T>(store: Store<T>, select: (value: T) => S = (value) => value as unknown as S): S {
  const [selected, setSelected] = useState(() => select(store.get()));
  useEffect(() => {
    setSelected(select(store.get()));
    return store.subscribe((value) => setSelected(() => select(value)));
    // The selector is read at subscription time; callers pass stable ones.
  }, [store]);
  return selected;
}
