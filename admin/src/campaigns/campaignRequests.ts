import { ApiError, http } from '../api/http';
import type { Campaign, TemplateProblem } from './campaignShapes';
import type { CampaignDraft } from './campaignDrafts';

/** What went wrong with a request, sorted to where the form shows it. */
export type Refusal = { fields: Record<string, string>; template: TemplateProblem | null; general: string | null };

const FIELD_NAMES = ['name', 'segmentId', 'from.email', 'from.name', 'subject', 'html', 'text', 'ratePerSecond', 'ratePerHour', 'at', 'timezone', 'email'];

/** `validation_failed` says "from.email: Invalid email address": the field before the colon gets the rest. */
export function refusalOf(error: unknown): Refusal {
  const refusal: Refusal = { fields: {}, template: null, general: null };
  if (!(error instanceof ApiError)) {
    refusal.general = (error as Error).message;
    return refusal;
  }
  refusal.template = templateProblemOf(error);
  if (refusal.template) return refusal;
  const match = error.code === 'validation_failed' ? /^([\w.]+(?:, [\w.]+)*): (.*)$/s.exec(error.message) : null;
  const named = match ? match[1]!.split(', ').filter((field) => FIELD_NAMES.includes(field)) : [];
  if (match && named.length > 0) for (const field of named) refusal.fields[field] = match[2]!;
  else refusal.general = error.message;
  return refusal;
}

/** The hub's word on a template it cannot read, as the field, line and column it names. */
export function templateProblemOf(error: ApiError | null): TemplateProblem | null {
  if (!error || error.code !== 'invalid_template') return null;
  const details = error.details as Partial<TemplateProblem> | undefined;
  if (!details?.field) return null;
  // The message repeats "html, line 3, column 5: " before what is wrong; the field shows where.
  const message = error.message.replace(/^\w+, line \d+, column \d+: /, '');
  return { field: details.field, line: details.line ?? 1, column: details.column ?? 1, message };
}

export const noRefusal: Refusal = { fields: {}, template: null, general: null };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The checks worth making before asking the hub; it checks everything again. */
export function checkDraft(draft: CampaignDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!draft.name.trim()) problems.name = 'Name the campaign.';
  if (!EMAIL.test(draft.fromEmail.trim())) problems['from.email'] = 'Enter the address it comes from.';
  const perSecond = Number(draft.ratePerSecond);
  if (!(perSecond > 0 && perSecond <= 1000)) problems.ratePerSecond = 'More than 0, at most 1000.';
  if (draft.ratePerHour.trim() && !(Number.isInteger(Number(draft.ratePerHour)) && Number(draft.ratePerHour) > 0)) problems.ratePerHour = 'A whole number more than 0, or empty.';
  return problems;
}

export const isEmail = (text: string) => EMAIL.test(text.trim());

export const bodyOf = (draft: CampaignDraft) => ({
  name: draft.name.trim(),
  segmentId: draft.segmentId || null,
  from: { email: draft.fromEmail.trim(), name: draft.fromName.trim() },
  subject: draft.subject,
  html: draft.html,
  text: draft.text,
  ratePerSecond: Number(draft.ratePerSecond),
  ratePerHour: draft.ratePerHour.trim() ? Number(draft.ratePerHour) : null,
});

export const saveCampaign = (id: string | null, draft: CampaignDraft) =>
  id ? http.patch<Campaign>(`/api/campaigns/${encodeURIComponent(id)}`, bodyOf(draft)) : http.post<Campaign>('/api/campaigns', bodyOf(draft));

export type CampaignAction = 'pause' | 'resume' | 'cancel';
export const campaignAction = (id: string, action: CampaignAction | 'schedule', body: unknown = {}) =>
  http.post<Campaign>(`/api/campaigns/${encodeURIComponent(id)}/${action}`, body);
