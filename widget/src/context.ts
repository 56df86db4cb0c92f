import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Connection } from './connection';
import { translate, type Language, type StringKey } from './i18n';
import type { State, Store } from './store';

export interface WidgetContext {
  hub: string;
  store: Store;
  connection: Connection;
  language: Language;
}

export const Widget = createContext<WidgetContext>(null as unknown as WidgetContext);

export const useWidget = () => useContext(Widget);

/** The store's state, re-rendering the component on every change. */
export function useStoreState(): State {
  const { store } = useWidget();
  const [state, setState] = useState(store.get());
  useEffect(() => store.subscribe(setState), [store]);
  return state;
}

export function useT(): (key: StringKey, values?: Record<string, string | number>) => string {
  const { language } = useWidget();
  return (key, values) => translate(language, key, values);
}
