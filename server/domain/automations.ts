import { z } from 'zod';
import type { Queryable } from '../db/database';
import { type AutomationStepContent, checkStepTemplates, replaceSteps, type StepRow, stepsOf } from './automationSteps';
import { INACTIVITY_LOOKBACK_MS } from './automationEnrollment';
import { stopEnrollments } from './automationTriggers';
import { type CampaignStats, campaignStats } from './campaignStats';
import type { DomainContext } from './context';
import { decodeCursor, type Page, pageOf } from './cursor';
import { HubError } from './errors';
import { newId } from './ids';

/**
 * Automated campaigns: a trigger (customer created, conversation resolved, order placed, no
 * activity for N days), an optional segment, and steps sent one after another with a wait before
 * each. Design: every step is a campaign row (`campaigns.automation_id`), sending all the time,
 * whose recipients are added one by one as enrollments reach the step, and sent by the campaign
 * send worker. So one claim, suppression check, List-Unsubscribe, open/click tracking, stats and
 * timeline serve broadcasts and automations alike, and nothing about sending is written twice.
 */
export const automationTriggerTypes = ['customer.created', 'conversation.resolved', 'order.placed', 'inactivity'] as const;
export type AutomationTriggerType = (typeof automationTriggerTypes)[number];

export type AutomationStep = AutomationStepContent & { delay: number; campaignId: string; stats: CampaignStats };

export type Automation = {
  id: string;
  name: string;
  trigger: { type: AutomationTriggerType; days?: number };
  segmentId: string | null;
  enabled: boolean;
  steps: AutomationStep[];
  /** Customers going through it now, through to the end, and stopped (replied, unsubscribed, disabled). */
  enrollments: { active: number; completed: number; stopped: number };
  createdAt: string;
  updatedAt: string;
};

type AutomationRow = {
  id: string;
  name: string;
  trigger_type: AutomationTriggerType;
  inactivity_days: number | null;
  segment_id: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
};

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const MAX_DELAY_SECONDS = 365 * 86_400;

/** '2d', '1h', '30m', '45s', '1w', or a number of seconds; never negative. */
const delaySchema = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const match = typeof value === 'string' ? /^(-?\d+)\s*([smhdw])$/.exec(value.trim()) : undefined;
    const seconds = typeof value === 'number' ? value : match ? Number(match[1]) * UNITS[match[2]!]! : Number.NaN;
    let problem: string | undefined;
    if (Number.isNaN(seconds)) problem = "write a delay as seconds or as '30m', '1h', '2d', '1w'";
    else if (seconds < 0) problem = 'a delay cannot be negative';
    else if (!Number.isInteger(seconds)) problem = 'a delay is whole seconds';
    else if (seconds > MAX_DELAY_SECONDS) problem = 'a delay is at most a year';
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return seconds;
  })
  .describe("Before this step: after the trigger (first step) or the previous step. Seconds, or '30m', '1h', '2d', '1w'");

const stepSchema = z
  .object({
    delay: delaySchema,
    subject: z.string().max(1000).describe('A campaign template (see Templates); conversation.resolved steps may use {{surveyUrl}}'),
    html: z.string().max(500_000).default(''),
    text: z.string().max(200_000).default(''),
    from: z
      .object({ email: z.email().max(320), name: z.string().trim().max(200).default('') })
      .strict()
      .optional()
      .describe('Default: the first SUPPORT_ADDRESSES address and EMAIL_FROM_NAME'),
  })
  .strict();

const triggerSchema = z
  .object({
    type: z.enum(automationTriggerTypes),
    days: z.number().int().min(1).max(3650).optional().describe('inactivity: days without activity'),
  })
  .strict()
  .refine((trigger) => (trigger.type === 'inactivity') === (trigger.days !== undefined), 'days is given for inactivity, and only for it');

const fields = {
  name: z.string().trim().min(1).max(200),
  trigger: triggerSchema,
  segmentId: z.string().min(1).max(100).nullable().describe('Only customers in this segment are enrolled; null: everyone'),
  steps: z.array(stepSchema).min(1, 'an automation needs at least one step').max(20),
  enabled: z.boolean(),
};
export const automationInputSchema = z.object({ ...fields, segmentId: fields.segmentId.default(null), enabled: fields.enabled.default(true) }).strict();
export const automationPatchSchema = z.object(fields).partial().strict();
export const automationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).optional(),
});

export type AutomationInput = z.infer<typeof automationInputSchema>;
export type AutomationPatch = z.infer<typeof automationPatchSchema>;
/** The sender a step without `from` uses. */
export type AutomationDefaults = { from: { email: string; name: string } };

async function toAutomation(db: Queryable, row: AutomationRow): Promise<Automation> {
  const steps = await stepsOf(db, row.id);
  const counts = await db.query<{ status: string; count: string }>(
    'SELECT status, count(*) AS count FROM automation_enrollments WHERE automation_id = $1 GROUP BY status',
    [row.id],
  );
  const count = (status: string) => Number(counts.find((entry) => entry.status === status)?.count ?? 0);
  return {
    id: row.id,
    name: row.name,
    trigger: row.inactivity_days === null ? { type: row.trigger_type } : { type: row.trigger_type, days: row.inactivity_days },
    segmentId: row.segment_id,
    enabled: row.enabled,
    steps: await Promise.all(steps.map(async (step) => ({ ...contentOf(step), delay: step.delay_seconds, campaignId: step.campaign_id, stats: await campaignStats(db, step.campaign_id) }))),
    enrollments: { active: count('active'), completed: count('completed'), stopped: count('stopped') },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const contentOf = (step: StepRow): AutomationStepContent => ({
  subject: step.subject,
  html: step.html_body,
  text: step.text_body,
  from: { email: step.from_email, name: step.from_name },
});

async function getAutomationRow(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<AutomationRow> {
  const [row] = await db.query<AutomationRow>(`SELECT * FROM automations WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  if (!row) throw new HubError('automation_not_found', `No automation ${id}`);
  return row;
}

export async function getAutomation(db: Queryable, id: string): Promise<Automation> {
  return toAutomation(db, await getAutomationRow(db, id));
}

/** Automations newest first, a page at a time. */
export async function listAutomations(db: Queryable, query: z.infer<typeof automationListQuery>): Promise<Page<Automation>> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  let where = 'true';
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, ['timestamp', 'string']);
    where = `(created_at, id) < (${param(at)}::timestamptz, ${param(id)})`;
  }
  const rows = await db.query<AutomationRow>(`SELECT * FROM automations WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit + 1)}`, params);
  const page = pageOf(rows, query.limit, (row) => [row.created_at.toISOString(), row.id]);
  return { items: await Promise.all(page.items.map((row) => toAutomation(db, row))), nextCursor: page.nextCursor };
}

/** Saves the automation and a sending campaign per step; the send workers open them after commit. */
export async function createAutomation(ctx: DomainContext, defaults: AutomationDefaults, input: AutomationInput, agentId: string | null): Promise<Automation> {
  const steps = input.steps.map((step) => ({ ...step, from: step.from ?? defaults.from }));
  checkStepTemplates(steps, input.trigger.type);
  const { id, started } = await ctx.db.transaction(async (tx) => {
    await checkSegment(tx, input.segmentId);
    const id = newId('aut');
    await tx.query(
      `INSERT INTO automations (id, name, trigger_type, inactivity_days, segment_id, enabled, inactivity_checked_at, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz - $9 * interval '1 millisecond', $8, $7, $7)`,
      [id, input.name, input.trigger.type, input.trigger.days ?? null, input.segmentId, input.enabled, ctx.now(), agentId, INACTIVITY_LOOKBACK_MS],
    );
    const changes = await replaceSteps(tx, { id, name: input.name, agentId, now: ctx.now() }, steps);
    return { id, started: changes.started };
  });
  for (const campaignId of started) await ctx.queues.campaigns.start(campaignId);
  return getAutomation(ctx.db, id);
}

/**
 * Changes an automation. New steps replace the old ones position by position: a step whose content
 * changed becomes a new campaign (the old one still sends what it had queued, then is `sent`), a
 * changed delay applies to waits scheduled from now on. Disabling stops every active enrollment.
 */
export async function updateAutomation(ctx: DomainContext, defaults: AutomationDefaults, id: string, patch: AutomationPatch, agentId: string | null): Promise<Automation> {
  const result = await ctx.db.transaction(async (tx) => {
    const row = await getAutomationRow(tx, id, { forUpdate: true });
    const trigger = patch.trigger ?? { type: row.trigger_type, days: row.inactivity_days ?? undefined };
    const name = patch.name ?? row.name;
    const steps = patch.steps?.map((step) => ({ ...step, from: step.from ?? defaults.from }));
    // A new trigger may take a variable away ({{surveyUrl}}): the steps kept are checked again.
    checkStepTemplates(steps ?? (await stepsOf(tx, id)).map(contentOf), trigger.type);
    if (patch.segmentId !== undefined) await checkSegment(tx, patch.segmentId);
    const now = ctx.now();
    const enabled = patch.enabled ?? row.enabled;
    await tx.query(
      `UPDATE automations SET name = $2, trigger_type = $3, inactivity_days = $4, segment_id = $5, enabled = $6, updated_at = $7,
              inactivity_checked_at = CASE WHEN $6 AND NOT enabled THEN $7::timestamptz - $8 * interval '1 millisecond' ELSE inactivity_checked_at END
        WHERE id = $1`,
      [id, name, trigger.type, trigger.days ?? null, patch.segmentId === undefined ? row.segment_id : patch.segmentId, enabled, now, INACTIVITY_LOOKBACK_MS],
    );
    if (row.enabled && !enabled) await stopEnrollments(tx, { automationId: id }, 'disabled', now);
    if (steps) return replaceSteps(tx, { id, name, agentId, now }, steps);
    if (name !== row.name) await tx.query("UPDATE campaigns SET name = $2::text || ' · step ' || (s.position + 1) FROM automation_steps s WHERE s.campaign_id = campaigns.id AND s.automation_id = $1", [id, name]);
    return { started: [], retired: [] };
  });
  for (const campaignId of result.started) await ctx.queues.campaigns.start(campaignId);
  // The control step finds a retired version finished (or leaves it to send what it had queued).
  for (const campaignId of result.retired) await ctx.queues.campaigns.start(campaignId);
  return getAutomation(ctx.db, id);
}

/** Deletes the automation, its enrollments and its step campaigns (what was sent stays on the timelines). */
export async function deleteAutomation(ctx: DomainContext, id: string): Promise<void> {
  const campaigns = await ctx.db.transaction(async (tx) => {
    await getAutomationRow(tx, id, { forUpdate: true });
    const rows = await tx.query<{ id: string }>('SELECT id FROM campaigns WHERE automation_id = $1', [id]);
    await tx.query('DELETE FROM automations WHERE id = $1', [id]);
    return rows.map((row) => row.id);
  });
  // Their waiting send jobs go, and every worker process closes its worker for them.
  for (const campaignId of campaigns) await ctx.queues.campaigns.stop(campaignId);
}

async function checkSegment(tx: Queryable, segmentId: string | null): Promise<void> {
  if (!segmentId) return;
  const [segment] = await tx.query('SELECT 1 FROM segments WHERE id = $1', [segmentId]);
  if (!segment) throw new HubError('validation_failed', `segmentId: no segment ${segmentId}`);
}
