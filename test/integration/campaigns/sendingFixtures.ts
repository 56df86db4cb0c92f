import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import type { Database } from '../../../server/db/database';
import type { DomainSettings } from '../../../server/domain/context';
import { createCustomer } from '../../../server/domain/customers';
import { suppressAddress } from '../../../server/domain/suppressions';
import type { SinkMessage } from '../../support/smtpSink';

export type Audience = { tag: string; mailed: { id: string; email: string; name: string }[]; withoutEmail: string[]; suppressed: string[] };

/**
 * Customers tagged `tag`: `mailed` with an email, `withoutEmail` with only a phone, and
 * `suppressed` whose address is on the suppression list (they must get nothing).
 */
export async function seedAudience(
  hub: { db: Database; domain: { settings: DomainSettings } },
  counts: { mailed: number; withoutEmail?: number; suppressed?: number },
): Promise<Audience> {
  const tag = `t${randomUUID().slice(0, 8)}`;
  const audience: Audience = { tag, mailed: [], withoutEmail: [], suppressed: [] };
  const create = (input: Parameters<typeof createCustomer>[2]) => createCustomer(hub.db, hub.domain.settings, input, 'create');
  for (let index = 0; index < counts.mailed; index++) {
    const name = `Ada${index} Lovelace`;
    const email = `${tag}.${index}@example.net`;
    const { customer } = await create({ name, email, tags: [tag] });
    audience.mailed.push({ id: customer.id, email, name });
  }
  for (let index = 0; index < (counts.withoutEmail ?? 0); index++) {
    const { customer } = await create({ name: `Phone Only ${index}`, phone: `+4930${String(1_000_000 + index)}`, tags: [tag] });
    audience.withoutEmail.push(customer.id);
  }
  for (let index = 0; index < (counts.suppressed ?? 0); index++) {
    const email = `${tag}.gone${index}@example.net`;
    await create({ name: `Gone ${index}`, email, tags: [tag] });
    await suppressAddress(hub.db, { email, reason: 'unsubscribed' });
    audience.suppressed.push(email);
  }
  return audience;
}

export const CAMPAIGN_TEMPLATES = {
  subject: 'Spring sale for {{customer.firstName}}',
  html: '<html><body><p>Hello {{customer.firstName}},</p><p><a href="https://shop.example.com/sale?from=mail&amp;x=1">See the sale</a> or <a href="https://shop.example.com/new">what is new</a>.</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p></body></html>',
  text: 'Hello {{customer.firstName}},\n\nSee the sale: https://shop.example.com/sale\n\nUnsubscribe: {{unsubscribeUrl}}',
};

/** A segment of the audience's tag and a draft campaign to it, made through the API as an admin would. */
export async function draftCampaign(
  handler: Parameters<typeof request>[0],
  auth: { authorization: string },
  tag: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; status: string }> {
  const segment = await request(handler).post('/api/segments').set(auth).send({ name: `Tagged ${tag} ${randomUUID().slice(0, 8)}`, filter: { field: 'tag', op: 'eq', value: tag } });
  if (segment.status !== 201) throw new Error(`segment: ${segment.status} ${segment.text}`);
  const campaign = await request(handler)
    .post('/api/campaigns')
    .set(auth)
    .send({ name: `Spring ${tag}`, segmentId: segment.body.id, from: { email: 'news@shop.example.com', name: 'Shop' }, ratePerSecond: 1000, ...CAMPAIGN_TEMPLATES, ...overrides });
  if (campaign.status !== 201) throw new Error(`campaign: ${campaign.status} ${campaign.text}`);
  return campaign.body;
}

/** The sink's messages to each address (lower-cased envelope recipient). */
export function messagesByRecipient(messages: readonly SinkMessage[]): Map<string, SinkMessage[]> {
  const byRecipient = new Map<string, SinkMessage[]>();
  for (const message of messages) {
    for (const to of message.envelope.to) {
      const address = to.toLowerCase();
      byRecipient.set(address, [...(byRecipient.get(address) ?? []), message]);
    }
  }
  return byRecipient;
}

/** A header as it was sent (unfolded): mailparser turns List-* headers into a structure of its own. */
export function rawHeader(message: SinkMessage, name: string): string | undefined {
  const head = message.raw.toString('utf8').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

export type HoldingSink = {
  url: string;
  messages: SinkMessage[];
  /**
   * After `count` messages, the sink answers nothing more: neither the 250 to a message it has
   * received in full (it keeps the message: the server has it, the sender does not know yet) nor a
   * new RCPT TO (that recipient is claimed, nothing of its message sent). Resolves once at least one
   * RCPT TO is held and no transaction is between its RCPT TO and the end of its message, so a sender
   * killed then dies with nothing half-sent; with how many answers and RCPTs it holds.
   */
  holdAfter: (count: number, timeoutMs?: number) => Promise<{ answers: number; recipients: number }>;
  /** Connections from now on are answered again. */
  release: () => void;
  close: () => Promise<void>;
};

/** A real SMTP server, like test/support/smtpSink, that can freeze a sender mid-campaign (see HoldingSink). */
export async function startHoldingSink(): Promise<HoldingSink> {
  const messages: SinkMessage[] = [];
  // Sessions past an accepted RCPT TO whose message has not ended.
  const open = new Set<string>();
  const held = { answers: 0, recipients: 0 };
  let ended = 0;
  let holdAt = Number.POSITIVE_INFINITY;
  let holding = false;
  let parked: (() => void) | undefined;
  const check = () => {
    if (holding && open.size === 0 && held.recipients > 0) parked?.();
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, session, callback) {
      if (holding) {
        held.recipients += 1;
        check();
        return;
      }
      open.add(session.id);
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', () => {
        open.delete(session.id);
        check();
      });
      stream.on('end', async () => {
        open.delete(session.id);
        ended += 1;
        if (ended >= holdAt) holding = true;
        const hold = holding;
        if (hold) held.answers += 1;
        const raw = Buffer.concat(chunks);
        const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((recipient) => recipient.address) };
        messages.push({ envelope, raw, mail: await simpleParser(raw) });
        if (hold) check();
        else callback();
      });
    },
    onClose(session) {
      open.delete(session.id);
      check();
    },
  });
  // A sender killed while held resets its connections: that is the point, not a failure.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    messages,
    holdAfter: (count, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the sink did not park its sender within ${timeoutMs} ms`)), timeoutMs);
        parked = () => {
          clearTimeout(timer);
          parked = undefined;
          resolve({ ...held });
        };
        holdAt = count;
        if (ended >= holdAt) holding = true;
        check();
      }),
    release: () => {
      holding = false;
      holdAt = Number.POSITIVE_INFINITY;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
