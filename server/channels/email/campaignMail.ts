import { surveyUrl } from '../../domain/automationSurvey';
import type { ClaimedRecipient } from '../../domain/campaignDelivery';
import { type CampaignTemplate, renderCampaignTemplate, templateVariablesFor } from '../../domain/campaignTemplates';
import { signTrackingToken } from '../../domain/campaignTokens';
import { trackLinks, withOpenPixel } from './trackedHtml';

/** A campaign's parsed templates and sender: parsed once per worker process, rendered per recipient. */
export type CampaignContent = {
  id: string;
  from: { email: string; name: string | null };
  subject: CampaignTemplate;
  html: CampaignTemplate | null;
  text: CampaignTemplate | null;
};

export type CampaignMail = {
  messageId: string;
  from: { name: string; address: string };
  to: string;
  subject: string;
  html: string | undefined;
  text: string | undefined;
  headers: Record<string, string>;
};

export type TrackingLinks = { publicUrl: string; secretKey: string };

/**
 * One recipient's message: personalised, its links tracked through PUBLIC_URL (/t/c/…), an open
 * pixel (/t/o/….gif), and the unsubscribe headers of RFC 2369 and RFC 8058 (one-click POST).
 */
export function composeCampaignMail(content: CampaignContent, recipient: ClaimedRecipient, links: TrackingLinks): CampaignMail {
  const token = (claim: Parameters<typeof signTrackingToken>[1]) => signTrackingToken(links.secretKey, claim);
  const unsubscribeUrl = `${links.publicUrl}/u/${token({ kind: 'unsubscribe', recipientId: recipient.id })}`;
  // {{surveyUrl}}: only an automation's step after a resolved conversation may use it (checked at save).
  const variables = templateVariablesFor(recipient.customer, { unsubscribeUrl, surveyUrl: surveyUrl(links, recipient.id) });
  const html = content.html ? renderCampaignTemplate(content.html, variables) : undefined;
  const trackedUrl = (url: string) =>
    // The unsubscribe link in the body stays itself: following it is no click on the campaign's content.
    url.startsWith(`${links.publicUrl}/u/`) ? url : `${links.publicUrl}/t/c/${token({ kind: 'click', recipientId: recipient.id, url })}`;
  return {
    messageId: recipient.messageId,
    from: { name: content.from.name ?? '', address: content.from.email },
    to: recipient.email,
    // A header is one line: a customer's name with a line break must not start a new header.
    subject: renderCampaignTemplate(content.subject, variables).replace(/[\r\n]+/g, ' ').trim(),
    html: html && withOpenPixel(trackLinks(html, trackedUrl), `${links.publicUrl}/t/o/${token({ kind: 'open', recipientId: recipient.id })}.gif`),
    text: content.text ? renderCampaignTemplate(content.text, variables) : undefined,
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      Precedence: 'bulk',
    },
  };
}
