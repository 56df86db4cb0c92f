import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestHub, type TestHub } from '../../support/hub';
import { startSmtpSink, type SmtpSink } from '../../support/smtpSink';
import { closeAllSockets, connectAgent, connectVisitor, login, nextEvent } from '../../support/sockets';

jest.setTimeout(60_000);

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const allDay = [['00:00', '24:00']];
// Open all week but closed yesterday, today and tomorrow (UTC): whenever the test runs, it is out of hours.
const closedNow = {
  timezone: 'UTC',
  week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  holidays: [day(-1), day(0), day(1)],
};

let sink: SmtpSink;
let hub: TestHub;
let token: string;
beforeAll(async () => {
  sink = await startSmtpSink();
  hub = await startTestHub({ SMTP_OUT_URL: sink.url, SLA_BUSINESS_HOURS: JSON.stringify(closedNow) });
  ({ token } = await login(hub.url));
});
afterEach(closeAllSockets);
afterAll(async () => {
  await hub.stop();
  await sink.close();
});

describe('when nobody can answer live', () => {
  it('says the team is offline outside business hours, even with an agent connected', async () => {
    await connectAgent(hub.url, token);

    const settings = await request(hub.handler).get('/api/widget/settings');

    expect(settings.body.availability).toEqual({ online: false, agentsOnline: 1, withinBusinessHours: false });
  });

  it("sends the agent's reply by email too once the visitor left their email to continue by email", async () => {
    const agent = await connectAgent(hub.url, token);
    const { socket: visitor } = await connectVisitor(hub.url);
    const email = `chat-${randomUUID().slice(0, 8)}@example.net`;
    const sent = await visitor.emitWithAck('message:send', { clientId: randomUUID(), body: 'Is the blue tent back in stock?' });

    const identified = await visitor.emitWithAck('visitor:identify', { email, continueByEmail: true });
    expect(identified).toMatchObject({ ok: true, emailLinked: true, continueByEmail: true });

    const inWidget = nextEvent(visitor, 'message:new', (m) => m.direction === 'outbound');
    const reply = await agent.emitWithAck('message:send', { conversationId: sent.message.conversationId, clientId: randomUUID(), body: 'Yes, since Monday!' });
    expect(reply.message).toMatchObject({ channel: 'chat', delivery: { status: 'queued' } });
    expect((await inWidget).id).toBe(reply.message.id);
    const mail = await sink.next((message) => message.envelope.to.includes(email));
    expect(mail.mail.text?.trim()).toBe('Yes, since Monday!');
  });

  it('keeps answering only in the widget without the request, or when the email is not theirs', async () => {
    const agent = await connectAgent(hub.url, token);
    const { socket: plain } = await connectVisitor(hub.url);
    const plainChat = await plain.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hi' });
    await plain.emitWithAck('visitor:identify', { email: `plain-${randomUUID().slice(0, 8)}@example.net` });

    const owned = `owned-${randomUUID().slice(0, 8)}@example.net`;
    const { socket: owner } = await connectVisitor(hub.url);
    await owner.emitWithAck('visitor:identify', { email: owned });
    const { socket: claimant } = await connectVisitor(hub.url);
    const claimantChat = await claimant.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hello' });
    const claimed = await claimant.emitWithAck('visitor:identify', { email: owned, continueByEmail: true });
    expect(claimed).toMatchObject({ ok: true, emailLinked: false, continueByEmail: false });

    for (const chat of [plainChat, claimantChat]) {
      const reply = await agent.emitWithAck('message:send', { conversationId: chat.message.conversationId, clientId: randomUUID(), body: 'Only here' });
      expect(reply.message.delivery).toBeNull();
    }
  });

  it('keeps the wish of a visitor who left their email before writing for their first chat', async () => {
    const agent = await connectAgent(hub.url, token);
    const { socket: visitor } = await connectVisitor(hub.url);
    const email = `early-${randomUUID().slice(0, 8)}@example.net`;

    const identified = await visitor.emitWithAck('visitor:identify', { email, continueByEmail: true });
    expect(identified).toMatchObject({ ok: true, emailLinked: true, continueByEmail: true });
    const sent = await visitor.emitWithAck('message:send', { clientId: randomUUID(), body: 'Nobody is online, please email me' });

    const reply = await agent.emitWithAck('message:send', { conversationId: sent.message.conversationId, clientId: randomUUID(), body: 'Here is your answer' });
    expect(reply.message).toMatchObject({ channel: 'chat', delivery: { status: 'queued' } });
    const mail = await sink.next((message) => message.envelope.to.includes(email));
    expect(mail.mail.text?.trim()).toBe('Here is your answer');
    const [customer] = await hub.db.query('SELECT continue_chat_by_email FROM customers WHERE id = $1', [sent.message.customerId]);
    expect(customer).toEqual({ continue_chat_by_email: false });
  });
});
