/** The campaign API's shapes (README, "Campaigns"), and how the console names them. */

export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';

export type CampaignStats = {
  recipients: number;
  sent: number;
  failed: number;
  bounced: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  pending: number;
  skipped?: number;
};

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

export type SegmentCondition = { field: string; op: string; value?: unknown };
export type SegmentFilter = { all: SegmentFilter[] } | { any: SegmentFilter[] } | { not: SegmentFilter } | SegmentCondition;
export type Segment = { id: string; name: string; filter: SegmentFilter; createdAt: string; updatedAt: string };

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained' | 'manual';
export type Suppression = { email: string; reason: SuppressionReason; campaignId: string | null; createdAt: string };

/** A template the hub could not read: which part, and where in it (1-based). */
export type TemplateProblem = { field: 'subject' | 'html' | 'text'; line: number; column: number; message: string };

export const STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sending: 'Sending',
  paused: 'Paused',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

export const EMPTY_STATS: CampaignStats = { recipients: 0, sent: 0, failed: 0, bounced: 0, opened: 0, clicked: 0, unsubscribed: 0, pending: 0 };

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A share of the messages sent, "12.5%"; a dash before anything went out. */
export const rateOf = (count: number, sent: number) => (sent > 0 ? percent.format(count / sent) : '–');

/** How far sending got: sent and failed ones are done, pending ones are left. */
export const progressOf = (stats: CampaignStats) => (stats.recipients > 0 ? Math.min(1, (stats.sent + stats.failed) / stats.recipients) : 0);

export const campaignPath = (id?: string) => (id ? `/campaigns/${encodeURIComponent(id)}` : '/campaigns');
export const segmentPath = (id?: string) => (id ? `/campaigns/segments/${encodeURIComponent(id)}` : '/campaigns/segments');

/**
 * The later of two versions of a campaign. An HTTP answer can arrive after the live event of a later
 * change (a schedule "now" answers `scheduled` while `campaign:updated` already said `sending`).
 */
export function laterOf(current: Campaign | null, next: Campaign): Campaign {
  if (!current || current.id !== next.id || !next.updatedAt || !current.updatedAt) return next;
  return Date.parse(next.updatedAt) < Date.parse(current.updatedAt) ? current : next;
}
