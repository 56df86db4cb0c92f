import { createStore, useStore } from '../store';

type Toast = { id: number; text: string; tone: 'info' | 'error' };
const toasts = createStore<Toast[]>([]);
let nextId = 1;

/** A short notice in the corner that goes away by itself. */
export function toast(text: string, tone: Toast['tone'] = 'info'): void {
  const id = nextId++;
  toasts.update((list) => [...list, { id, text, tone }]);
  setTimeout(() => toasts.update((list) => list.filter((item) => item.id !== id)), tone === 'error' ? 8_000 : 4_000);
}

export function Toasts() {
  const list = useStore(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((item) => (
        <div key={item.id} class={`toast toast-${item.tone}`} data-testid="toast">
          {item.text}
        </div>
      ))}
    </div>
  );
}
