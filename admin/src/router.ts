import { createStore, useStore } from './store';

const BASE = '/admin';

/** The path under /admin, e.g. `/inbox/mine/cnv_1`. */
const currentPath = () => {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return path === '' ? '/' : path;
};

const pathStore = createStore(currentPath());
addEventListener('popstate', () => pathStore.set(currentPath()));

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === pathStore.get()) return;
  if (options.replace) history.replaceState(null, '', BASE + path);
  else history.pushState(null, '', BASE + path);
  pathStore.set(path);
}

export const href = (path: string) => BASE + path;

/** The path split into its segments: `/inbox/mine/cnv_1` → ['inbox', 'mine', 'cnv_1']. */
export function useRoute(): string[] {
  return useStore(pathStore, (path) => path.split('/').filter(Boolean).map(decodeURIComponent));
}
