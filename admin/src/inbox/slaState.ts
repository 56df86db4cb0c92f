import type { Conversation } from '../api/types';

/** How far ahead a deadline counts as "at risk" (the hub's slaAtRisk filter uses the same window). */
export const SLA_RISK_WINDOW_MS = 30 * 60_000;

export type SlaTarget = 'first response' | 'resolution';
export type SlaState = { state: 'breached' | 'due-soon'; target: SlaTarget; dueAt: string };

type Clock = { target: SlaTarget; dueAt: string | null; breached: boolean };

/** The deadlines still running: the first response until an agent answered, the resolution until resolved. */
function runningClocks(conversation: Conversation): Clock[] {
  if (conversation.status !== 'open' && conversation.status !== 'pending') return [];
  const clocks: Clock[] = [];
  if (conversation.firstResponseAt === null) {
    clocks.push({ target: 'first response', dueAt: conversation.firstResponseDueAt, breached: conversation.firstResponseBreachedAt !== null });
  }
  clocks.push({ target: 'resolution', dueAt: conversation.resolutionDueAt, breached: conversation.resolutionBreachedAt !== null });
  return clocks;
}

/** What a row says about the SLA: a breach (the earliest), else a deadline within the risk window, else nothing. */
export function slaState(conversation: Conversation, now: number): SlaState | null {
  const clocks = runningClocks(conversation).filter((clock) => clock.dueAt !== null || clock.breached);
  const due = (clock: Clock) => (clock.dueAt === null ? -Infinity : Date.parse(clock.dueAt));
  const breached = clocks.filter((clock) => clock.breached || due(clock) <= now).sort((a, b) => due(a) - due(b))[0];
  if (breached) return { state: 'breached', target: breached.target, dueAt: breached.dueAt ?? new Date(now).toISOString() };
  const soon = clocks.filter((clock) => due(clock) - now <= SLA_RISK_WINDOW_MS).sort((a, b) => due(a) - due(b))[0];
  return soon?.dueAt ? { state: 'due-soon', target: soon.target, dueAt: soon.dueAt } : null;
}

/** Open or pending with a deadline breached or due within the risk window: the "SLA at risk" view. */
export const slaAtRisk = (conversation: Conversation, now: number): boolean => slaState(conversation, now) !== null;
