import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../db/database';
import { assertCampaignSendable, campaignTemplates, getCampaign } from './campaigns';
import { renderCampaignTemplate, templateVariablesFor } from './campaignTemplates';
import { getCustomer } from './customers';
import { compileSegmentFilter, getSegment } from './segments';

/** A campaign's three parts filled in for one customer. */
export type RenderedCampaign = { subject: string; html: string; text: string; customerId: string | null };

/** A test send: the campaign as one customer would get it, to an address of the operator's choice. */
export type CampaignTestMail = {
  messageId: string;
  from: { email: string; name: string };
  to: string;
  subject: string;
  html: string;
  text: string;
  smtpAccount: string | null;
};

export const campaignPreviewSchema = z
  .object({
    subject: z.string().max(1000).default(''),
    html: z.string().max(500_000).default(''),
    text: z.string().max(200_000).default(''),
    customerId: z.string().min(1).max(100).optional().describe('Whose values to use; an example customer without it'),
  })
  .strict();
export const testSendSchema = z
  .object({
    email: z.email().max(320),
    customerId: z.string().min(1).max(100).optional().describe('Whose values to use; without it the newest customer of the segment'),
  })
  .strict();

// Shown when no real customer is chosen: every customer field filled, so the operator sees each variable.
const EXAMPLE_CUSTOMER = { id: 'cus_example', name: 'Ada Lovelace', email: 'ada@example.com', phone: '+441234567890', attributes: {} };

/** The templates rendered for a customer (or the example one); a broken template is `invalid_template`. */
export async function previewCampaign(db: Queryable, input: z.infer<typeof campaignPreviewSchema>, links: { publicUrl: string }): Promise<RenderedCampaign> {
  const templates = campaignTemplates(input);
  const customer = input.customerId ? await getCustomer(db, input.customerId) : EXAMPLE_CUSTOMER;
  // Not a real token: the link shows where unsubscribing lands, and unsubscribes nobody.
  const vars = templateVariablesFor(customer, { unsubscribeUrl: `${links.publicUrl}/u/preview` });
  return {
    subject: renderCampaignTemplate(templates.subject, vars),
    html: renderCampaignTemplate(templates.html, vars),
    text: renderCampaignTemplate(templates.text, vars),
    customerId: input.customerId ? customer.id : null,
  };
}

/**
 * Sends the campaign, as rendered for one customer, to `input.email` through the campaign's SMTP
 * account, now. It records nothing: no recipient, no stats, no timeline; the subject says [Test].
 */
export async function testSendCampaign(
  db: Queryable,
  campaignId: string,
  input: z.infer<typeof testSendSchema>,
  deps: { publicUrl: string; messageIdDomain: string; send: (mail: CampaignTestMail) => Promise<void> },
): Promise<{ to: string; messageId: string; customerId: string | null }> {
  const campaign = await getCampaign(db, campaignId);
  assertCampaignSendable(campaign, { needsSegment: false });
  const customerId = input.customerId ?? (campaign.segmentId ? await newestInSegment(db, campaign.segmentId) : undefined);
  const rendered = await previewCampaign(db, { subject: campaign.subject, html: campaign.html, text: campaign.text, customerId }, deps);
  const mail: CampaignTestMail = {
    messageId: `<test.${campaign.id}.${randomUUID()}@${deps.messageIdDomain}>`,
    from: campaign.from,
    to: input.email,
    subject: `[Test] ${rendered.subject}`,
    html: rendered.html,
    text: rendered.text,
    smtpAccount: campaign.smtpAccount,
  };
  await deps.send(mail);
  return { to: mail.to, messageId: mail.messageId, customerId: rendered.customerId };
}

async function newestInSegment(db: Queryable, segmentId: string): Promise<string | undefined> {
  const { sql, params } = compileSegmentFilter((await getSegment(db, segmentId)).filter);
  const [row] = await db.query<{ id: string }>(`SELECT c.id FROM customers c WHERE c.id IN (${sql}) ORDER BY c.created_at DESC, c.id DESC LIMIT 1`, params);
  return row?.id;
}
