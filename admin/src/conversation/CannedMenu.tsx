import { useEffect, useRef, useState } from 'preact/hooks';
import { http } from '../api/http';
import type { CannedResponse } from '../api/types';

/** A `/word` being typed: where it sits in the text, and what follows the slash. */
type SlashWord = { start: number; end: number; query: string };

export type Canned = {
  open: boolean;
  items: CannedResponse[];
  active: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  word: SlashWord | null;
};

const CLOSED: Canned = { open: false, items: [], active: 0, status: 'ready', error: null, word: null };
const FETCH_DELAY_MS = 120;

/** The `/word` that ends at the caret, if the slash starts a word (so "and/or" and URLs never open the menu). */
export function slashWordAt(text: string, caret: number): SlashWord | null {
  const match = /(^|\s)\/([^\s/]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[2]!;
  return { start: caret - query.length - 1, end: caret, query };
}

/** The hub's own rule for `q`: a shortcut prefix, or text in the title or body. */
function matches(item: CannedResponse, query: string): boolean {
  const wanted = query.toLowerCase();
  return item.shortcut.startsWith(wanted) || item.title.toLowerCase().includes(wanted) || item.body.toLowerCase().includes(wanted);
}

/** Fills the placeholders a canned response may hold. */
export function fillCanned(body: string, names: { customer: string | null; agent: string }): string {
  return body.replace(/\{\{\s*customer\.name\s*\}\}/g, names.customer?.trim() || 'there').replace(/\{\{\s*agent\.name\s*\}\}/g, names.agent);
}

/** The canned-response picker's state, driven by the reply box's text and caret. */
export function useCanned() {
  const [canned, setCanned] = useState<Canned>(CLOSED);
  const dismissedAt = useRef<number | null>(null);
  const request = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const search = (query: string) => {
    const mine = ++request.current;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      http
        .get<{ items: CannedResponse[] }>('/api/canned-responses', { q: query })
        .then(({ items }) => mine === request.current && setCanned((state) => (state.open ? { ...state, items, active: 0, status: 'ready', error: null } : state)))
        .catch((error: Error) => mine === request.current && setCanned((state) => ({ ...state, items: [], status: 'error', error: error.message })));
    }, FETCH_DELAY_MS);
  };

  /** Looks at the text around the caret after each change: a `/word` opens or narrows the menu. */
  const follow = (text: string, caret: number) => {
    const word = slashWordAt(text, caret);
    if (!word || word.start !== dismissedAt.current) dismissedAt.current = null;
    if (!word || dismissedAt.current !== null) {
      request.current += 1;
      if (canned.open) setCanned(CLOSED);
      return;
    }
    if (canned.open && canned.word?.query === word.query && canned.word.start === word.start) return;
    // What is listed already is narrowed at once, so Enter never picks what no longer matches.
    setCanned((state) => ({ ...state, open: true, word, status: 'loading', items: state.items.filter((item) => matches(item, word.query)), active: 0 }));
    search(word.query);
  };

  const close = () => {
    dismissedAt.current = canned.word?.start ?? null;
    request.current += 1;
    setCanned(CLOSED);
  };

  const move = (step: number) =>
    setCanned((state) => (state.items.length === 0 ? state : { ...state, active: (state.active + step + state.items.length) % state.items.length }));

  return { canned, follow, close, move, reset: () => setCanned(CLOSED) };
}

/** The list under the reply box; the box keeps the focus and drives it with the arrow keys. */
export function CannedMenu({ canned, id, onPick }: { canned: Canned; id: string; onPick: (item: CannedResponse) => void }) {
  if (!canned.open) return null;
  return (
    <div class="canned-menu" data-testid="canned-menu">
      {canned.status === 'error' && <p class="canned-note error">Canned responses are unavailable: {canned.error}</p>}
      {canned.status === 'ready' && canned.items.length === 0 && (
        <p class="canned-note muted">No canned response matches “{canned.word?.query}”.</p>
      )}
      {canned.status === 'loading' && canned.items.length === 0 && <p class="canned-note muted">Looking…</p>}
      <ul id={id} role="listbox" aria-label="Canned responses">
        {canned.items.map((item, index) => (
          <li
            key={item.id}
            id={`${id}-${index}`}
            role="option"
            aria-selected={index === canned.active}
            class={index === canned.active ? 'active' : undefined}
            data-testid="canned-item"
            // mousedown, not click: the reply box must not lose the focus (and the caret) first.
            onMouseDown={(event) => {
              event.preventDefault();
              onPick(item);
            }}
          >
            <span class="canned-shortcut">/{item.shortcut}</span> <span class="canned-title">{item.title}</span>
            <span class="canned-body muted">{item.body}</span>
          </li>
        ))}
      </ul>
      <p class="canned-hint muted" aria-hidden="true">
        ↑↓ to choose · Enter or Tab to insert · Esc to close
      </p>
    </div>
  );
}
