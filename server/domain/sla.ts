import type { Queryable } from '../db/database';
import { addBusinessTime } from './businessHours';
import type { DomainContext, DomainSettings, HubEvent, SlaAlert, SlaCheck } from './context';
import { type Conversation, getConversation } from './conversations';
import { HubError } from './errors';
import { lockCustomer } from './locks';
import { appendTimelineEvent } from './timeline';

type Target = SlaCheck['target'];
type Priority = Conversation['priority'];

/** What a conversation's SLA clocks read. */
type SlaState = {
  id: string;
  customer_id: string;
  team_id: string | null;
  assignee_id: string | null;
  status: Conversation['status'];
  priority: Priority;
  created_at: Date;
  first_response_at: Date | null;
  first_response_due_at: Date | null;
  first_response_breached_at: Date | null;
  resolved_at: Date | null;
  resolution_due_at: Date | null;
  resolution_breached_at: Date | null;
};

const SLA_STATE = `SELECT id, customer_id, team_id, assignee_id, status, priority, created_at,
  first_response_at, first_response_due_at, first_response_breached_at, resolved_at, resolution_due_at, resolution_breached_at
  FROM conversations WHERE id = $1`;

const COLUMNS = {
  first_response: { met: 'first_response_at', due: 'first_response_due_at', breached: 'first_response_breached_at' },
  resolution: { met: 'resolved_at', due: 'resolution_due_at', breached: 'resolution_breached_at' },
} as const satisfies Record<Target, Record<string, keyof SlaState>>;

const TARGETS = Object.keys(COLUMNS) as Target[];

/** A breach raises the priority one step, so the queue serves the conversation sooner. */
const RAISED: Record<Priority, Priority> = { low: 'normal', normal: 'high', high: 'urgent', urgent: 'urgent' };

const isMet = (state: SlaState, target: Target) =>
  state.status === 'resolved' || state.status === 'closed' || state[COLUMNS[target].met] !== null;

/** A target whose clock still runs: neither met nor already breached. */
const isRunning = (state: SlaState, target: Target) => !isMet(state, target) && state[COLUMNS[target].breached] === null;

/** The moment `fraction` of the target's time has passed, in business time when its policy says so. */
function targetTime(state: SlaState, sla: DomainSettings['sla'], target: Target, fraction = 1): Date {
  const policy = sla.policies[state.priority];
  const ms = Math.round((target === 'first_response' ? policy.firstResponseMs : policy.resolutionMs) * fraction);
  const hours = policy.businessHours ? sla.businessHours : undefined;
  return hours ? addBusinessTime(state.created_at, ms, hours) : new Date(state.created_at.getTime() + ms);
}

/** The deadlines the conversation should have now: running targets from its priority's policy, the rest as they were. */
function plannedDeadlines(state: SlaState, sla: DomainSettings['sla']): Record<Target, Date | null> {
  const planned = (target: Target) => (isRunning(state, target) ? targetTime(state, sla, target) : state[COLUMNS[target].due]);
  return { first_response: planned('first_response'), resolution: planned('resolution') };
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
const unchanged = (state: SlaState, planned: Record<Target, Date | null>) =>
  TARGETS.every((target) => sameTime(planned[target], state[COLUMNS[target].due]));

async function readState(db: Queryable, conversationId: string, lock = false): Promise<SlaState> {
  const [state] = await db.query<SlaState>(`${SLA_STATE}${lock ? ' FOR UPDATE' : ''}`, [conversationId]);
  if (!state) throw new HubError('conversation_not_found', `No conversation ${conversationId}`);
  return state;
}

/** Writes the planned deadlines when they differ, and returns the state with them; undefined when nothing moved. */
async function storeDeadlines(tx: Queryable, state: SlaState, sla: DomainSettings['sla']): Promise<SlaState | undefined> {
  const planned = plannedDeadlines(state, sla);
  if (unchanged(state, planned)) return undefined;
  await tx.query('UPDATE conversations SET first_response_due_at = $2, resolution_due_at = $3 WHERE id = $1', [
    state.id,
    planned.first_response,
    planned.resolution,
  ]);
  return { ...state, first_response_due_at: planned.first_response, resolution_due_at: planned.resolution };
}

/**
 * Starts the SLA clocks of a conversation opened in this transaction, so the consoles learn its
 * deadlines with the conversation itself. Its checks are scheduled after commit by refreshSla.
 */
export async function startSlaClocks(tx: Queryable, sla: DomainSettings['sla'], conversationId: string): Promise<Conversation> {
  await storeDeadlines(tx, await readState(tx, conversationId), sla);
  return getConversation(tx, conversationId);
}

/**
 * Sets the conversation's deadlines from its priority's policy (targets already met or breached
 * keep theirs) and schedules a warning and a breach check for each target still running. Call it
 * after commit whenever the priority may have changed; calling it again changes nothing.
 */
export async function refreshSla(ctx: DomainContext, conversationId: string): Promise<void> {
  const { sla } = ctx.settings;
  let state = await readState(ctx.db, conversationId);
  if (!unchanged(state, plannedDeadlines(state, sla))) {
    // Deadlines move under the row lock, planned again from the row as it is then.
    const moved = await ctx.db.transaction(async (tx) => {
      const locked = await readState(tx, conversationId, true);
      const stored = await storeDeadlines(tx, locked, sla);
      return { state: stored ?? locked, conversation: stored && (await getConversation(tx, conversationId)) };
    });
    state = moved.state;
    if (moved.conversation) ctx.publish([{ type: 'conversation:updated', conversation: moved.conversation }]);
  }
  await scheduleChecks(ctx, state);
}

/** Job ids carry the deadline, so scheduling the same deadline twice is one job. */
async function scheduleChecks(ctx: DomainContext, state: SlaState): Promise<void> {
  const now = ctx.now();
  for (const target of TARGETS) {
    const due = state[COLUMNS[target].due];
    if (!due || !isRunning(state, target)) continue;
    const dueAt = due.toISOString();
    // A warning once the deadline has passed would only precede the breach.
    if (due > now) {
      await ctx.queues.checkSla({ conversationId: state.id, target, stage: 'warning', dueAt }, targetTime(state, ctx.settings.sla, target, ctx.settings.sla.warningAt));
    }
    await ctx.queues.checkSla({ conversationId: state.id, target, stage: 'breach', dueAt }, due);
  }
}

/**
 * What a check did: `stale` when the deadline it was scheduled for has moved, `met` when the
 * target was met in time, `done` when its warning or breach was already recorded, `not_due`
 * when it ran before the deadline (another process's clock), to be tried again.
 */
export type SlaCheckOutcome = 'warned' | 'breached' | 'stale' | 'met' | 'done' | 'not_due';

/**
 * Runs a scheduled check. A warning tells the team's supervisors and the assignee; a breach is
 * recorded once, raises the priority one step (the deadlines stay) and tells them too.
 */
export async function runSlaCheck(ctx: DomainContext, check: SlaCheck): Promise<SlaCheckOutcome> {
  const events: HubEvent[] = [];
  const outcome = await ctx.db.transaction(async (tx): Promise<SlaCheckOutcome> => {
    const state = await lockConversation(tx, check.conversationId);
    const columns = COLUMNS[check.target];
    const due = state[columns.due];
    if (!due || due.getTime() !== Date.parse(check.dueAt)) return 'stale';
    if (isMet(state, check.target)) return 'met';
    if (state[columns.breached] !== null) return 'done';
    const at = ctx.now();
    const dueAt = due.toISOString();
    const record = (kind: string, data: Record<string, unknown>) =>
      appendTimelineEvent(tx, { customerId: state.customer_id, at, kind, reference: state.id, data: { conversationId: state.id, target: check.target, dueAt, ...data } });
    const alert = async (priority: Priority) => {
      const agentIds = await alertedAgents(tx, state);
      const payload: SlaAlert = { conversationId: state.id, target: check.target, stage: check.stage, dueAt, teamId: state.team_id, priority };
      if (agentIds.length > 0) events.push({ type: 'sla:alert', alert: payload, agentIds });
    };

    if (check.stage === 'warning') {
      if (await warned(tx, state, check.target, dueAt)) return 'done';
      await record('sla.warning', {});
      await alert(state.priority);
      return 'warned';
    }
    if (at < due) return 'not_due';
    const priority = RAISED[state.priority];
    await tx.query(`UPDATE conversations SET ${columns.breached} = $2, priority = $3, updated_at = $2 WHERE id = $1`, [state.id, at, priority]);
    await record('sla.breached', { priority });
    events.push({ type: 'conversation:updated', conversation: await getConversation(tx, state.id) });
    await alert(priority);
    return 'breached';
  });
  ctx.publish(events);
  return outcome;
}

/**
 * Locks the customer, then the conversation: the order every customer write takes, so a check
 * never deadlocks with a message arriving. A merge may move the conversation while we wait.
 */
async function lockConversation(tx: Queryable, conversationId: string): Promise<SlaState> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { customer_id: customerId } = await readState(tx, conversationId);
    await lockCustomer(tx, customerId);
    const state = await readState(tx, conversationId, true);
    if (state.customer_id === customerId) return state;
  }
  throw new HubError('unavailable', 'The customer is being merged; try again');
}

/** The team's supervisors and the assignee. */
async function alertedAgents(tx: Queryable, state: SlaState): Promise<string[]> {
  const supervisors = state.team_id
    ? await tx.query<{ agent_id: string }>("SELECT agent_id FROM team_members WHERE team_id = $1 AND role = 'supervisor' ORDER BY agent_id", [state.team_id])
    : [];
  return [...new Set([...supervisors.map((row) => row.agent_id), ...(state.assignee_id ? [state.assignee_id] : [])])];
}

/** Whether this deadline's warning is already on the timeline (a job run twice warns once). */
async function warned(tx: Queryable, state: SlaState, target: Target, dueAt: string): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1 FROM timeline_events
      WHERE customer_id = $1 AND kind = 'sla.warning' AND reference = $2 AND data->>'target' = $3 AND data->>'dueAt' = $4 LIMIT 1`,
    [state.customer_id, state.id, target, dueAt],
  );
  return rows.length > 0;
}
