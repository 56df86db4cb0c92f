import type { Conversation } from '../../../admin/src/api/types';
import { compareConversations, matchesView, parseView, type View, viewQuery } from '../../../admin/src/inbox/inboxView';
import { slaState } from '../../../admin/src/inbox/slaState';

const NOW = Date.parse('2025-03-10T12:00:00Z');
const minutes = (count: number) => new Date(NOW + count * 60_000).toISOString();
const me = { id: 'agt_me' };
const myTeams = ['tea_billing'];

function conversation(change: Partial<Conversation> = {}): Conversation {
  return {
    id: 'cnv_1',
    customerId: 'cus_1',
    customerName: 'Ada',
    channel: 'chat',
    status: 'open',
    priority: 'normal',
    subject: null,
    intent: 'track_order',
    intentConfidence: 0.9,
    intentSource: 'model',
    language: 'en',
    sentiment: 0,
    urgent: false,
    teamId: 'tea_billing',
    assigneeId: null,
    queuedAt: null,
    firstResponseDueAt: minutes(120),
    resolutionDueAt: minutes(600),
    firstResponseAt: null,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
    resolvedAt: null,
    lastMessageAt: minutes(-5),
    createdAt: minutes(-5),
    updatedAt: minutes(-5),
    tags: [],
    snoozedUntil: null,
    mergedIntoId: null,
    unreadCount: 1,
    lastMessage: null,
    waitingSince: minutes(-5),
    customerReadUpto: null,
    agentReadUpto: null,
    ...change,
  };
}

const views = (subject: Conversation) =>
  (['mine', 'unassigned', 'my-teams', 'all', 'sla-at-risk', 'snoozed', 'open', 'pending', 'resolved', 'intent-track_order', 'intent-unknown'] as View[]).filter((view) =>
    matchesView(subject, view, me, myTeams, NOW),
  );

describe('matchesView', () => {
  it('puts an open unassigned conversation of my team in unassigned, my teams, all, open and its intent', () => {
    expect(views(conversation())).toEqual(['unassigned', 'my-teams', 'all', 'open', 'intent-track_order']);
  });

  it('moves a conversation assigned to me from unassigned to mine', () => {
    expect(views(conversation({ assigneeId: 'agt_me' }))).toEqual(['mine', 'my-teams', 'all', 'open', 'intent-track_order']);
    expect(views(conversation({ assigneeId: 'agt_other', teamId: 'tea_sales' }))).toEqual(['all', 'open', 'intent-track_order']);
  });

  it('keeps a snoozed conversation only in snoozed and its status', () => {
    expect(views(conversation({ status: 'pending', snoozedUntil: minutes(60), assigneeId: 'agt_me' }))).toEqual(['snoozed', 'pending']);
  });

  it('drops a resolved conversation from every working view', () => {
    expect(views(conversation({ status: 'resolved', resolvedAt: minutes(-1), assigneeId: 'agt_me' }))).toEqual(['resolved']);
  });

  it('shows a merged conversation nowhere', () => {
    expect(views(conversation({ status: 'closed', mergedIntoId: 'cnv_2' }))).toEqual([]);
  });

  it('files a conversation without an intent under unknown', () => {
    expect(views(conversation({ intent: null }))).toContain('intent-unknown');
  });

  it('flags SLA risk within 30 minutes of a deadline, when breached, and not once the first response is met', () => {
    expect(views(conversation({ firstResponseDueAt: minutes(29) }))).toContain('sla-at-risk');
    expect(views(conversation({ firstResponseDueAt: minutes(31) }))).not.toContain('sla-at-risk');
    expect(views(conversation({ firstResponseDueAt: minutes(-10), firstResponseBreachedAt: minutes(-10) }))).toContain('sla-at-risk');
    expect(views(conversation({ firstResponseDueAt: minutes(10), firstResponseAt: minutes(-1) }))).not.toContain('sla-at-risk');
    expect(views(conversation({ resolutionBreachedAt: minutes(-1), firstResponseAt: minutes(-30) }))).toContain('sla-at-risk');
  });
});

describe('compareConversations', () => {
  it('orders by priority, then longest waiting (not waiting last), then id', () => {
    const rows = [
      conversation({ id: 'cnv_a', priority: 'low', waitingSince: minutes(-100) }),
      conversation({ id: 'cnv_b', priority: 'normal', waitingSince: null }),
      conversation({ id: 'cnv_c', priority: 'normal', waitingSince: minutes(-10) }),
      conversation({ id: 'cnv_d', priority: 'urgent', waitingSince: minutes(-1) }),
      conversation({ id: 'cnv_e', priority: 'normal', waitingSince: minutes(-30) }),
      conversation({ id: 'cnv_f', priority: 'high', waitingSince: minutes(-2) }),
      conversation({ id: 'cnv_0', priority: 'normal', waitingSince: minutes(-10) }),
    ];
    expect(rows.sort(compareConversations).map((row) => row.id)).toEqual(['cnv_d', 'cnv_f', 'cnv_e', 'cnv_0', 'cnv_c', 'cnv_b', 'cnv_a']);
  });
});

describe('slaState', () => {
  it('says breached for the earliest missed deadline and due soon within the window', () => {
    expect(slaState(conversation({ firstResponseDueAt: minutes(-3) }), NOW)).toEqual({ state: 'breached', target: 'first response', dueAt: minutes(-3) });
    expect(slaState(conversation({ firstResponseDueAt: minutes(12) }), NOW)).toEqual({ state: 'due-soon', target: 'first response', dueAt: minutes(12) });
    expect(slaState(conversation(), NOW)).toBeNull();
    expect(slaState(conversation({ status: 'resolved', firstResponseDueAt: minutes(-3) }), NOW)).toBeNull();
  });
});

describe('views and their queries', () => {
  it('reads only known views from the route', () => {
    expect(parseView('sla-at-risk')).toBe('sla-at-risk');
    expect(parseView('intent-get_refund')).toBe('intent-get_refund');
    expect(parseView('everything')).toBeNull();
    expect(parseView('intent-<script>')).toBeNull();
  });

  it('asks the hub for the same conversations matchesView keeps', () => {
    expect(viewQuery('mine')).toEqual({ status: 'open,pending', snoozed: 'false', assignee: 'me', sort: 'priority' });
    expect(viewQuery('my-teams')).toEqual({ status: 'open,pending', snoozed: 'false', team: 'mine', sort: 'priority' });
    expect(viewQuery('sla-at-risk')).toMatchObject({ slaAtRisk: 'true', snoozed: 'false' });
    expect(viewQuery('snoozed')).toMatchObject({ snoozed: 'true' });
    expect(viewQuery('resolved')).toEqual({ status: 'resolved', sort: 'priority' });
    expect(viewQuery('intent-get_refund')).toMatchObject({ intent: 'get_refund', status: 'open,pending', snoozed: 'false' });
  });
});
