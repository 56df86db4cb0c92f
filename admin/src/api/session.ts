import { createStore } from '../store';
import type { Agent } from './types';

const KEY = 'hub.session';

export type Session = { token: string; agent: Agent };
export type SessionState = { session: Session | null; expired: boolean };

function restore(): Session | null {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return saved && typeof saved.token === 'string' ? saved : null;
  } catch {
    return null;
  }
}

/** Who is signed in. A 401 anywhere ends the session but never touches drafts. */
export const sessionStore = createStore<SessionState>({ session: restore(), expired: false });

export function startSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
  sessionStore.set({ session, expired: false });
}

export function endSession(reason: 'logout' | 'expired'): void {
  localStorage.removeItem(KEY);
  sessionStore.set({ session: null, expired: reason === 'expired' });
}

export const currentToken = () => sessionStore.get().session?.token ?? null;
