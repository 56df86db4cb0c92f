import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestHub, type TestHub } from '../../support/hub';
import { mailClient } from '../../support/mail';
import { startSmtpSink, type SmtpSink } from '../../support/smtpSink';
import { login } from '../../support/sockets';

jest.setTimeout(60_000);

let hub: TestHub;
let sink: SmtpSink;
let token: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  hub = await startTestHub({ SMTP_OUT_URL: sink.url });
  ({ token } = await login(hub.url));
});
afterAll(async () => {
  await hub.stop();
  await sink.close();
});

const auth = () => ({ authorization: `Bearer ${token}` });

async function formTicket(fields: Record<string, string>) {
  const form = await request(hub.handler)
    .post('/api/forms')
    .set(auth())
    .send({ key: `support-${randomUUID().slice(0, 8)}`, name: 'Support request', fieldMap: { email: 'email', phone: 'phone', message: 'message', subject: 'topic' } });
  const submitted = await request(hub.handler).post(`/api/forms/${form.body.key}`).set('accept', 'application/json').send(fields);
  expect(submitted.status).toBe(201);
  return submitted.body as { conversationId: string; customerId: string };
}

describe('answering a web form ticket', () => {
  it('goes to the customer by email, and their email answer continues the same ticket', async () => {
    const email = `form-${randomUUID().slice(0, 8)}@example.net`;
    const ticket = await formTicket({ email, topic: 'Broken zipper', message: 'The zipper of my tent broke.' });

    const reply = await request(hub.handler)
      .post(`/api/conversations/${ticket.conversationId}/messages`)
      .set(auth())
      .send({ clientId: randomUUID(), body: 'Sorry! A new one is on its way.' });
    expect(reply.status).toBe(201);
    expect(reply.body.message.delivery).toMatchObject({ status: 'queued' });

    const sent = await sink.next((message) => message.envelope.to.includes(email));
    expect(sent.mail.subject).toBe('Re: Broken zipper');
    expect(sent.mail.text?.trim()).toBe('Sorry! A new one is on its way.');

    const mail = mailClient(hub);
    await mail.send({ from: email, to: sent.mail.replyTo!.value[0]!.address!, subject: 'Re: Broken zipper', text: 'Thanks!', inReplyTo: sent.mail.messageId });
    mail.close();
    const rows = await hub.db.query<{ conversation_id: string; body: string }>(
      "SELECT conversation_id, body FROM messages WHERE customer_id = $1 AND direction = 'inbound' ORDER BY seq",
      [ticket.customerId],
    );
    expect(rows).toEqual([
      { conversation_id: ticket.conversationId, body: 'The zipper of my tent broke.' },
      { conversation_id: ticket.conversationId, body: 'Thanks!' },
    ]);
  });

  it('stays in the console when the customer gave no email', async () => {
    const ticket = await formTicket({ phone: '+44 20 7946 0958', message: 'Call me back please' });

    const reply = await request(hub.handler)
      .post(`/api/conversations/${ticket.conversationId}/messages`)
      .set(auth())
      .send({ clientId: randomUUID(), body: 'We will call you today.' });

    expect(reply.status).toBe(201);
    expect(reply.body.message.delivery).toBeNull();
  });
});
