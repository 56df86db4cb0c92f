import type { Campaign } from './campaignShapes';

/**
 * Work in progress that must survive a detour: a campaign draft not yet saved, and where to go back
 * once the segment made for it is saved ("New segment" from the campaign editor).
 */
export type CampaignDraft = {
  name: string;
  segmentId: string;
  fromEmail: string;
  fromName: string;
  subject: string;
  html: string;
  text: string;
  ratePerSecond: string;
  ratePerHour: string;
};

const drafts = new Map<string, CampaignDraft>();
let detour: { path: string; draftKey: string } | null = null;

export const draftOf = (campaign: Campaign | null): CampaignDraft => ({
  name: campaign?.name ?? '',
  segmentId: campaign?.segmentId ?? '',
  fromEmail: campaign?.from.email ?? '',
  fromName: campaign?.from.name ?? '',
  subject: campaign?.subject ?? '',
  html: campaign?.html ?? '',
  text: campaign?.text ?? '',
  ratePerSecond: String(campaign?.ratePerSecond ?? 10),
  ratePerHour: campaign?.ratePerHour ? String(campaign.ratePerHour) : '',
});

export const keptDraft = (key: string) => drafts.get(key);
export const keepDraft = (key: string, draft: CampaignDraft) => drafts.set(key, draft);
export const dropDraft = (key: string) => drafts.delete(key);

/** Leaving the campaign editor to make a segment: remember the way back. */
export function startSegmentDetour(path: string, draftKey: string, draft: CampaignDraft): void {
  keepDraft(draftKey, draft);
  detour = { path, draftKey };
}

/** A new segment was saved: the path to return to (the draft now uses the segment), if a campaign sent us. */
export function finishSegmentDetour(segmentId: string): string | null {
  if (!detour) return null;
  const { path, draftKey } = detour;
  detour = null;
  const draft = drafts.get(draftKey);
  if (draft) drafts.set(draftKey, { ...draft, segmentId });
  return path;
}

export const cancelSegmentDetour = () => {
  detour = null;
};
