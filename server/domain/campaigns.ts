import { z } from 'zod';
import type { Queryable } from '../db/database';
import { type CampaignStats, campaignStats } from './campaignStats';
import { type CampaignTemplate, parseCampaignTemplate, type TemplateField } from './campaignTemplates';
import { decodeCursor, type Page, pageOf } from './cursor';
import { HubError } from './errors';
import { newId } from './ids';

export const campaignStatuses = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** A campaign as the API shows it; subject, html and text are templates (see campaignTemplates.ts). */
export type Campaign = {
  id: string;
  name: string;
  segmentId: string | null;
  from: { email: string; name: string };
  subject: string;
  html: string;
  text: string;
  status: CampaignStatus;
  scheduledAt: string | null;
  timezone: string | null;
  ratePerSecond: number;
  ratePerHour: number | null;
  smtpAccount: string | null;
  stats: CampaignStats;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export type CampaignRow = {
  id: string;
  name: string;
  segment_id: string | null;
  from_email: string;
  from_name: string;
  subject: string;
  html_body: string;
  text_body: string;
  status: CampaignStatus;
  scheduled_at: Date | null;
  timezone: string | null;
  rate_per_second: number;
  rate_per_hour: number | null;
  smtp_account: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const NO_STATS: CampaignStats = { recipients: 0, sent: 0, failed: 0, bounced: 0, opened: 0, clicked: 0, unsubscribed: 0, pending: 0, skipped: 0 };
const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The row as the API shape; a draft has no recipients yet, so its stats need no query. */
export async function toCampaign(db: Queryable, row: CampaignRow): Promise<Campaign> {
  return {
    id: row.id,
    name: row.name,
    segmentId: row.segment_id,
    from: { email: row.from_email, name: row.from_name },
    subject: row.subject,
    html: row.html_body,
    text: row.text_body,
    status: row.status,
    scheduledAt: iso(row.scheduled_at),
    timezone: row.timezone,
    ratePerSecond: Number(row.rate_per_second),
    ratePerHour: row.rate_per_hour,
    smtpAccount: row.smtp_account,
    stats: row.status === 'draft' ? NO_STATS : await campaignStats(db, row.id),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

const fields = {
  name: z.string().trim().min(1).max(200),
  segmentId: z.string().min(1).max(100).nullable().describe('The segment it is sent to; needed before scheduling'),
  from: z.object({ email: z.email().max(320), name: z.string().trim().max(200).default('') }).strict(),
  subject: z.string().max(1000).describe('A template: {{customer.firstName}}, {{default customer.firstName "there"}}, {{#if …}}'),
  html: z.string().max(500_000).describe('A template; variables are HTML-escaped'),
  text: z.string().max(200_000).describe('A template; the plain-text part'),
  ratePerSecond: z.number().positive('must be more than 0').max(1000).describe('Messages per second at most, across all workers'),
  ratePerHour: z.number().int().positive('must be more than 0').nullable().describe('Messages per hour at most'),
  smtpAccount: z.string().min(1).max(64).nullable().describe('A CAMPAIGN_SMTP_ACCOUNTS name; null is the default account (SMTP_OUT_URL)'),
};
export const campaignInputSchema = z
  .object({
    ...fields,
    segmentId: fields.segmentId.default(null),
    subject: fields.subject.default(''),
    html: fields.html.default(''),
    text: fields.text.default(''),
    ratePerSecond: fields.ratePerSecond.default(10),
    ratePerHour: fields.ratePerHour.default(null),
    smtpAccount: fields.smtpAccount.default(null),
  })
  .strict();
export const campaignPatchSchema = z.object(fields).partial().strict();
export const campaignListQuery = z.object({
  status: z.enum(campaignStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).optional(),
});

export type CampaignInput = z.infer<typeof campaignInputSchema>;
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;
/** What saving checks against the configuration: the SMTP account names that exist. */
export type CampaignRules = { smtpAccounts: readonly string[] };

/** The three templates of a campaign, parsed; `invalid_template` names the field, line and column. */
export function campaignTemplates(campaign: Pick<Campaign, 'subject' | 'html' | 'text'>): Record<TemplateField, CampaignTemplate> {
  return {
    subject: parseCampaignTemplate(campaign.subject, 'subject'),
    html: parseCampaignTemplate(campaign.html, 'html'),
    text: parseCampaignTemplate(campaign.text, 'text'),
  };
}

/** Why the campaign cannot go out yet (no segment, no subject, no body), for scheduling and test sends. */
export function assertCampaignSendable(campaign: Pick<Campaign, 'segmentId' | 'subject' | 'html' | 'text'>, options: { needsSegment: boolean }): void {
  if (options.needsSegment && !campaign.segmentId) throw new HubError('validation_failed', 'segmentId: choose a segment first');
  if (!campaign.subject.trim()) throw new HubError('validation_failed', 'subject: a campaign needs a subject');
  if (!campaign.html.trim() && !campaign.text.trim()) throw new HubError('validation_failed', 'html, text: a campaign needs a body');
}

export async function getCampaignRow(db: Queryable, id: string): Promise<CampaignRow> {
  const [row] = await db.query<CampaignRow>('SELECT * FROM campaigns WHERE id = $1', [id]);
  if (!row) throw new HubError('campaign_not_found', `No campaign ${id}`);
  return row;
}

export async function getCampaign(db: Queryable, id: string): Promise<Campaign> {
  return toCampaign(db, await getCampaignRow(db, id));
}

/** Campaigns newest first, a page at a time; an automation's steps are listed with the automation. */
export async function listCampaigns(db: Queryable, query: z.infer<typeof campaignListQuery>): Promise<Page<Campaign>> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ['automation_id IS NULL'];
  if (query.status) where.push(`status = ${param(query.status)}`);
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, ['timestamp', 'string']);
    where.push(`(created_at, id) < (${param(at)}::timestamptz, ${param(id)})`);
  }
  const rows = await db.query<CampaignRow>(
    `SELECT * FROM campaigns WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const page = pageOf(rows, query.limit, (row) => [row.created_at.toISOString(), row.id]);
  return { items: await Promise.all(page.items.map((row) => toCampaign(db, row))), nextCursor: page.nextCursor };
}

export async function createCampaign(db: Queryable, rules: CampaignRules, input: CampaignInput, agentId: string | null): Promise<Campaign> {
  await checkCampaign(db, rules, input);
  const [row] = await db.query<CampaignRow>(
    `INSERT INTO campaigns (id, name, segment_id, from_email, from_name, subject, html_body, text_body, rate_per_second, rate_per_hour, smtp_account, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
    [
      newId('cmp'),
      input.name,
      input.segmentId,
      input.from.email,
      input.from.name,
      input.subject,
      input.html,
      input.text,
      input.ratePerSecond,
      input.ratePerHour,
      input.smtpAccount,
      agentId,
    ],
  );
  return toCampaign(db, row!);
}

/** Changes a draft; once scheduled a campaign's content is fixed (`campaign_state`). */
export async function updateCampaign(db: Queryable, rules: CampaignRules, id: string, patch: CampaignPatch): Promise<Campaign> {
  await checkCampaign(db, rules, patch);
  // Only columns named here are written; `status = 'draft'` in the same statement means a
  // schedule that commits first wins, and this edit then changes nothing.
  const columns: [string, unknown][] = [];
  if (patch.name !== undefined) columns.push(['name', patch.name]);
  if (patch.segmentId !== undefined) columns.push(['segment_id', patch.segmentId]);
  if (patch.from !== undefined) columns.push(['from_email', patch.from.email], ['from_name', patch.from.name]);
  if (patch.subject !== undefined) columns.push(['subject', patch.subject]);
  if (patch.html !== undefined) columns.push(['html_body', patch.html]);
  if (patch.text !== undefined) columns.push(['text_body', patch.text]);
  if (patch.ratePerSecond !== undefined) columns.push(['rate_per_second', patch.ratePerSecond]);
  if (patch.ratePerHour !== undefined) columns.push(['rate_per_hour', patch.ratePerHour]);
  if (patch.smtpAccount !== undefined) columns.push(['smtp_account', patch.smtpAccount]);
  const sets = columns.map(([column], index) => `${column} = $${index + 2}`);
  const [row] = await db.query<CampaignRow>(
    `UPDATE campaigns SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 AND status = 'draft' RETURNING *`,
    [id, ...columns.map(([, value]) => value)],
  );
  if (!row) throw await notDraft(db, id, 'edited');
  return toCampaign(db, row);
}

export async function deleteCampaign(db: Queryable, id: string): Promise<void> {
  const rows = await db.query("DELETE FROM campaigns WHERE id = $1 AND status = 'draft' RETURNING id", [id]);
  if (rows.length === 0) throw await notDraft(db, id, 'deleted');
}

async function notDraft(db: Queryable, id: string, action: string): Promise<HubError> {
  const { status } = await getCampaignRow(db, id);
  return new HubError('campaign_state', `Campaign ${id} is ${status}; only a draft can be ${action}`, { status });
}

/** What saving refuses: a template that does not parse, a segment or SMTP account that does not exist. */
async function checkCampaign(db: Queryable, rules: CampaignRules, input: CampaignPatch): Promise<void> {
  for (const field of ['subject', 'html', 'text'] as const) {
    const source = input[field];
    if (source !== undefined) parseCampaignTemplate(source, field);
  }
  if (input.segmentId) {
    const [segment] = await db.query('SELECT 1 FROM segments WHERE id = $1', [input.segmentId]);
    if (!segment) throw new HubError('validation_failed', `segmentId: no segment ${input.segmentId}`);
  }
  if (input.smtpAccount && !rules.smtpAccounts.includes(input.smtpAccount)) {
    throw new HubError('validation_failed', `smtpAccount: no SMTP account "${input.smtpAccount}"; configured: ${rules.smtpAccounts.join(', ')}`);
  }
}
