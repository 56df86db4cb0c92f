import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix, QUEUE_NAMES } from '../../../server/queues';
import { startTestHub, type TestHub } from '../../support/hub';
import { agentApi, conversationOfEmail, mailClient } from '../../support/mail';
import { TEST_REDIS_URL } from '../../support/postgres';
import { startSmtpSink, type SmtpSink } from '../../support/smtpSink';
import { closeAllSockets, connectAgent, login, nextEvent } from '../../support/sockets';

jest.setTimeout(60_000);

let hub: TestHub;
let sink: SmtpSink;
let token: string;
let client: ReturnType<typeof mailClient>;

beforeAll(async () => {
  sink = await startSmtpSink();
  hub = await startTestHub({ SMTP_OUT_URL: sink.url, EMAIL_AUTO_ACK: 'true', EMAIL_AUTO_ACK_TEMPLATE: 'Hello {{name}}, we got "{{subject}}".' });
  ({ token } = await login(hub.url));
  client = mailClient(hub);
});
afterEach(closeAllSockets);
afterAll(async () => {
  client.close();
  await hub.stop();
  await sink.close();
});

/** A customer writes; returns the conversation id and the customer's Message-ID. */
async function customerWrites(address: string, subject = 'Help') {
  const sent = await client.send({ from: `Customer <${address}>`, subject, text: 'Please help.' });
  const [conversation] = await conversationOfEmail(hub, address);
  return { conversationId: conversation!.id, messageId: sent.messageId };
}

const reply = (conversationId: string, body: string) =>
  agentApi(hub, token).post(`/api/conversations/${conversationId}/messages`, { clientId: randomUUID(), body });

describe('email delivery', () => {
  it('acknowledges a new email conversation automatically, marked as automatic, without counting as a first response', async () => {
    const address = `ack.${randomUUID().slice(0, 8)}@example.net`;
    const { conversationId, messageId } = await customerWrites(address, 'Refund');
    const ack = await sink.next((message) => message.envelope.to.includes(address));
    expect(ack.mail.text?.trim()).toBe('Hello Customer, we got "Refund".');
    expect(ack.mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack.mail.inReplyTo).toBe(messageId);
    const [row] = await hub.db.query<{ first_response_at: Date | null }>('SELECT first_response_at FROM conversations WHERE id = $1', [conversationId]);
    expect(row!.first_response_at).toBeNull();
  });

  it('never acknowledges an auto-reply or bulk mail', async () => {
    const robot = `robot.${randomUUID().slice(0, 8)}@example.net`;
    await client.send({ from: robot, subject: 'Out of office', text: 'I am away.', headers: { 'Auto-Submitted': 'auto-replied' } });
    const list = `list.${randomUUID().slice(0, 8)}@example.net`;
    await client.send({ from: list, subject: 'Newsletter', text: 'News.', headers: { 'List-Unsubscribe': '<mailto:u@example.net>' } });
    for (const address of [robot, list]) {
      const outbound = await hub.db.query(
        `SELECT m.id FROM messages m JOIN customer_identities ci ON ci.customer_id = m.customer_id
          WHERE ci.kind = 'email' AND ci.value = $1 AND m.direction = 'outbound'`,
        [address],
      );
      expect(outbound).toEqual([]);
    }
  });

  it('marks a reply the receiving server refuses for good (550) as failed and tells the consoles, without retrying', async () => {
    const address = `gone.${randomUUID().slice(0, 8)}@example.net`;
    const { conversationId } = await customerWrites(address);
    sink.refuse(address, 550);
    const agent = await connectAgent(hub.url, token);
    const sent = await reply(conversationId, 'Here is your answer');
    const failed = await nextEvent(agent, 'message:updated', (message) => message.id === sent.body.message.id, 15_000);
    expect(failed.delivery).toEqual({ status: 'failed', error: expect.stringContaining('550') });
    const [event] = await hub.db.query<{ kind: string }>("SELECT kind FROM timeline_events WHERE reference = $1 AND kind = 'message.delivery_failed'", [sent.body.message.id]);
    expect(event).toBeDefined();
  });

  it('retries a transient refusal (451) with backoff and then sends once', async () => {
    const address = `busy.${randomUUID().slice(0, 8)}@example.net`;
    const { conversationId } = await customerWrites(address);
    await sink.next((message) => message.envelope.to.includes(address)); // the acknowledgement
    sink.refuse(address, 451, 1);
    const agent = await connectAgent(hub.url, token);
    const sent = await reply(conversationId, 'Answer after a retry');
    const delivered = await nextEvent(agent, 'message:updated', (message) => message.id === sent.body.message.id && message.delivery.status === 'sent', 20_000);
    expect(delivered.delivery.status).toBe('sent');
    const copies = sink.messages.filter((message) => message.mail.messageId === `<${sent.body.message.id}@example.com>`);
    expect(copies).toHaveLength(1);
  });

  it('never sends the same reply twice, even when its job runs again', async () => {
    const address = `once.${randomUUID().slice(0, 8)}@example.net`;
    const { conversationId } = await customerWrites(address);
    const agent = await connectAgent(hub.url, token);
    const sent = await reply(conversationId, 'Exactly once');
    await nextEvent(agent, 'message:updated', (message) => message.id === sent.body.message.id && message.delivery.status === 'sent');

    // As after a crash between sending and acknowledging the job: the same message is processed again.
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAMES.emailOut, { connection, prefix: bullPrefix(hub.config.redisPrefix) });
    const eventsConnection = connection.duplicate();
    const events = new QueueEvents(QUEUE_NAMES.emailOut, { connection: eventsConnection, prefix: bullPrefix(hub.config.redisPrefix) });
    try {
      await events.waitUntilReady();
      const job = await queue.add('send', { messageId: sent.body.message.id }, { jobId: `${sent.body.message.id}-again` });
      expect(await job.waitUntilFinished(events, 10_000)).toBe('already sent');
    } finally {
      await events.close();
      await queue.close();
      connection.disconnect();
      eventsConnection.disconnect();
    }
    const copies = sink.messages.filter((message) => message.mail.messageId === `<${sent.body.message.id}@example.com>`);
    expect(copies).toHaveLength(1);
  });

  it('records a bounce as a delivery failure of the reply it refers to, not as a customer message', async () => {
    const address = `bounce.${randomUUID().slice(0, 8)}@example.net`;
    const { conversationId } = await customerWrites(address);
    const agent = await connectAgent(hub.url, token);
    const sent = await reply(conversationId, 'This one will bounce later');
    await nextEvent(agent, 'message:updated', (message) => message.id === sent.body.message.id && message.delivery.status === 'sent');
    const before = await hub.db.query("SELECT id FROM messages WHERE direction = 'inbound'");

    const boundary = 'dsn-boundary';
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
      'To: support@example.com',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${randomUUID()}@mx.example.net>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      `Final-Recipient: rfc822; ${address}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: <${sent.body.message.id}@example.com>`,
      `To: ${address}`,
      'Subject: Re: Help',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const failed = nextEvent(agent, 'message:updated', (message) => message.id === sent.body.message.id && message.delivery.status === 'failed');
    await client.send({ envelope: { from: '', to: ['support@example.com'] }, raw: dsn });

    expect((await failed).delivery.error).toContain('5.1.1');
    expect(await hub.db.query("SELECT id FROM messages WHERE direction = 'inbound'")).toHaveLength(before.length);
  });
});

describe('email delivery on the embedded default (no SMTP_OUT_URL)', () => {
  it('writes replies as .eml files under DATA_DIR/outbox', async () => {
    const outboxHub = await startTestHub();
    const outboxClient = mailClient(outboxHub);
    try {
      const { token: outboxToken } = await login(outboxHub.url);
      const address = `eml.${randomUUID().slice(0, 8)}@example.net`;
      await outboxClient.send({ from: address, subject: 'Offline', text: 'Hello' });
      const [conversation] = await conversationOfEmail(outboxHub, address);
      const agent = await connectAgent(outboxHub.url, outboxToken);
      const sent = await agentApi(outboxHub, outboxToken).post(`/api/conversations/${conversation!.id}/messages`, { clientId: 'r1', body: 'Written to disk' });
      await nextEvent(agent, 'message:updated', (message) => message.id === sent.body.message.id && message.delivery.status === 'sent');
      const file = path.join(outboxHub.config.dataDir, 'outbox', `${sent.body.message.id}@example.com.eml`);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain('Written to disk');
    } finally {
      outboxClient.close();
      await outboxHub.stop();
    }
  });
});
