import type { Agent, Conversation, ConversationCounts, Priority } from '../api/types';
import { slaAtRisk } from './slaState';

/** The inbox's fixed views, in the order the sidebar lists them. */
export const FIXED_VIEWS = ['mine', 'unassigned', 'my-teams', 'all', 'sla-at-risk', 'snoozed', 'open', 'pending', 'resolved'] as const;
export type FixedView = (typeof FIXED_VIEWS)[number];

/** A view is one of the fixed ones or `intent-<name>` (open and pending conversations of that intent). */
export type View = FixedView | `intent-${string}`;

const INTENT_PREFIX = 'intent-';

export const VIEW_LABELS: Record<FixedView, string> = {
  mine: 'Mine',
  unassigned: 'Unassigned',
  'my-teams': 'My teams',
  all: 'All open',
  'sla-at-risk': 'SLA at risk',
  snoozed: 'Snoozed',
  open: 'Open',
  pending: 'Pending',
  resolved: 'Resolved',
};

/** The route's view segment as a view, or null when it names none. */
export function parseView(segment: string): View | null {
  if ((FIXED_VIEWS as readonly string[]).includes(segment)) return segment as FixedView;
  if (segment.startsWith(INTENT_PREFIX) && /^[a-z0-9_]+$/.test(segment.slice(INTENT_PREFIX.length))) return segment as View;
  return null;
}

/** The intent a view filters on, or null for the fixed views. */
export const intentOfView = (view: View): string | null => (view.startsWith(INTENT_PREFIX) ? view.slice(INTENT_PREFIX.length) : null);
export const intentView = (intent: string): View => `${INTENT_PREFIX}${intent}`;

/** Where the sidebar finds a view's badge in GET /api/conversations/counts (intent views have none). */
export function viewCount(view: View, counts: ConversationCounts): number | null {
  switch (view) {
    case 'mine':
      return counts.mine;
    case 'unassigned':
      return counts.unassigned;
    case 'my-teams':
      return counts.myTeams;
    case 'all':
      return counts.all;
    case 'sla-at-risk':
      return counts.slaAtRisk;
    case 'snoozed':
      return counts.snoozed;
    case 'open':
    case 'pending':
    case 'resolved':
      return counts.byStatus[view];
    default:
      return null;
  }
}

const ACTIVE = 'open,pending';

/** The GET /api/conversations query that lists a view, sorted by priority then waiting time. */
export function viewQuery(view: View): Record<string, string> {
  const sort = 'priority';
  switch (view) {
    case 'mine':
      return { status: ACTIVE, snoozed: 'false', assignee: 'me', sort };
    case 'unassigned':
      return { status: ACTIVE, snoozed: 'false', assignee: 'none', sort };
    case 'my-teams':
      return { status: ACTIVE, snoozed: 'false', team: 'mine', sort };
    case 'all':
      return { status: ACTIVE, snoozed: 'false', sort };
    case 'sla-at-risk':
      return { status: ACTIVE, snoozed: 'false', slaAtRisk: 'true', sort };
    case 'snoozed':
      return { status: ACTIVE, snoozed: 'true', sort };
    case 'open':
    case 'pending':
    case 'resolved':
      return { status: view, sort };
    default:
      return { status: ACTIVE, snoozed: 'false', intent: intentOfView(view) ?? 'unknown', sort };
  }
}

const isActive = (conversation: Conversation) =>
  (conversation.status === 'open' || conversation.status === 'pending') && !conversation.snoozedUntil;

/**
 * Whether a conversation belongs in a view, the same rule as the view's list query, so live
 * events can insert, keep or drop rows without asking the hub again.
 */
export function matchesView(conversation: Conversation, view: View, me: Pick<Agent, 'id'>, myTeamIds: readonly string[], now = Date.now()): boolean {
  if (conversation.mergedIntoId) return false;
  switch (view) {
    case 'mine':
      return isActive(conversation) && conversation.assigneeId === me.id;
    case 'unassigned':
      return isActive(conversation) && conversation.assigneeId === null;
    case 'my-teams':
      return isActive(conversation) && conversation.teamId !== null && myTeamIds.includes(conversation.teamId);
    case 'all':
      return isActive(conversation);
    case 'sla-at-risk':
      return isActive(conversation) && slaAtRisk(conversation, now);
    case 'snoozed':
      return (conversation.status === 'open' || conversation.status === 'pending') && !!conversation.snoozedUntil;
    case 'open':
    case 'pending':
    case 'resolved':
      return conversation.status === view;
    default:
      return isActive(conversation) && (conversation.intent ?? 'unknown') === intentOfView(view);
  }
}

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** The list order of `sort=priority`: urgent first, then whoever has waited longest (not waiting last), then id. */
export function compareConversations(a: Conversation, b: Conversation): number {
  const byPriority = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
  if (byPriority !== 0) return byPriority;
  if (a.waitingSince !== b.waitingSince) {
    if (a.waitingSince === null) return 1;
    if (b.waitingSince === null) return -1;
    const byWait = Date.parse(a.waitingSince) - Date.parse(b.waitingSince);
    if (byWait !== 0) return byWait;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `track_order` → "Track order". */
export const intentLabel = (intent: string) => {
  const words = intent.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
