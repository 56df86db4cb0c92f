import { http } from '../api/http';
import type { Page } from '../api/types';
import { createStore } from '../store';
import type { CustomerRecord } from './customerShapes';

export type SearchForm = { q: string; tag: string; segment: string; sort: string };
export type SearchResults = { key: string; items: CustomerRecord[]; cursor: string | null; state: 'idle' | 'loading' | 'error'; error: string };

const PAGE_SIZE = 25;

/** What the agent searched for and found; kept across screens so coming back from a customer shows the same list. */
export const searchForm = createStore<SearchForm>({ q: '', tag: '', segment: '', sort: '-createdAt' });
export const searchResults = createStore<SearchResults>({ key: '', items: [], cursor: null, state: 'idle', error: '' });

export const searchKey = (form: SearchForm) => JSON.stringify([form.q.trim(), form.tag.trim(), form.segment, form.sort]);

/** Runs the search (from the first page, or the next one after `cursor`); a newer search wins. */
export async function runSearch(form: SearchForm, cursor: string | null = null): Promise<void> {
  const key = searchKey(form);
  // The list on screen stays (dimmed) until the answer replaces it: no flash of emptiness while typing.
  searchResults.update((current) => ({ ...current, key, state: 'loading', ...(cursor ? {} : { cursor: null }) }));
  try {
    const page = await http.get<Page<CustomerRecord>>('/api/customers', {
      q: form.q.trim(),
      tag: form.tag.trim(),
      segment: form.segment,
      sort: form.sort,
      limit: PAGE_SIZE,
      cursor,
    });
    if (searchResults.get().key !== key) return;
    searchResults.update((current) => ({ key, items: cursor ? [...current.items, ...page.items] : page.items, cursor: page.nextCursor, state: 'idle', error: '' }));
  } catch (failure) {
    if (searchResults.get().key !== key) return;
    searchResults.update((current) => ({ ...current, state: 'error', error: (failure as Error).message }));
  }
}
