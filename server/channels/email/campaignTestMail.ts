import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { CampaignSmtpAccount } from '../../campaignSmtpAccounts';
import { DEFAULT_SMTP_ACCOUNT } from '../../campaignSmtpAccounts';
import type { CampaignTestMail } from '../../domain/campaignPreview';
import { HubError } from '../../domain/errors';
import { emlOutbox } from './emlOutbox';
import { isPermanentFailure } from './outbound';

/**
 * Sends one campaign test mail through the campaign's account, within the request: the operator
 * wants to know at once whether it went. An account without a URL (the embedded default) writes
 * the .eml under DATA_DIR/outbox, as replies do. A test send is rare, so no pool is kept.
 */
export function campaignTestMailer(accounts: Readonly<Record<string, CampaignSmtpAccount>>, dataDir: string) {
  const outbox = emlOutbox(dataDir);
  return async (mail: CampaignTestMail): Promise<void> => {
    const account = accounts[mail.smtpAccount ?? DEFAULT_SMTP_ACCOUNT];
    const message: SendMailOptions & { messageId: string } = {
      messageId: mail.messageId,
      from: { name: mail.from.name, address: mail.from.email },
      to: mail.to,
      subject: mail.subject,
      html: mail.html || undefined,
      text: mail.text || undefined,
      headers: { 'X-Campaign-Test': 'yes' },
    };
    if (!account?.url) return outbox.write(message);
    const transport = nodemailer.createTransport(account.url);
    try {
      await transport.sendMail(message);
    } catch (error) {
      const reply = (error as { response?: string }).response ?? '';
      if (isPermanentFailure(error)) throw new HubError('email_rejected', `The mail server refused the test send: ${reply.slice(0, 200)}`);
      throw new HubError('unavailable', 'The mail server could not take the test send now; try again');
    } finally {
      transport.close();
    }
  };
}
