import { randomUUID } from 'node:crypto';
import { startTestHub, type TestHub } from '../../support/hub';
import { agentApi, conversationOfEmail, mailClient } from '../../support/mail';
import { startSmtpSink, type SmtpSink } from '../../support/smtpSink';
import { closeAllSockets, connectAgent, connectVisitor, login, nextEvent } from '../../support/sockets';

let hub: TestHub;
let sink: SmtpSink;
let token: string;
let customer: ReturnType<typeof mailClient>;

beforeAll(async () => {
  sink = await startSmtpSink();
  hub = await startTestHub({ SMTP_OUT_URL: sink.url, SUPPORT_ADDRESSES: 'support@example.com,help@example.com' });
  ({ token } = await login(hub.url));
  customer = mailClient(hub);
});
afterEach(closeAllSockets);
afterAll(async () => {
  customer.close();
  await hub.stop();
  await sink.close();
});

describe('an email conversation', () => {
  it('threads customer -> agent reply by email -> customer reply into one conversation and one timeline', async () => {
    const api = agentApi(hub, token);
    const address = `mei.${randomUUID().slice(0, 8)}@example.net`;
    const agent = await connectAgent(hub.url, token);
    const opened = nextEvent(agent, 'conversation:new', (conversation) => conversation.channel === 'email');

    const first = await customer.send({ from: `Mei Lin <${address}>`, subject: 'Invoice is wrong', text: 'My invoice shows the wrong amount.' });
    const conversation = await opened;
    expect(conversation).toMatchObject({ channel: 'email', status: 'open', subject: 'Invoice is wrong', customerName: 'Mei Lin' });

    const sent = await api.post(`/api/conversations/${conversation.id}/messages`, { clientId: randomUUID(), body: 'Sorry! We are fixing it.' });
    expect(sent.status).toBe(201);
    expect(sent.body.message.delivery).toEqual({ status: 'queued', error: null });
    const reply = await sink.next((message) => message.envelope.to.includes(address));
    expect(reply.mail.subject).toBe('Re: Invoice is wrong');
    expect(reply.mail.inReplyTo).toBe(first.messageId);
    expect(reply.mail.references).toEqual(first.messageId);
    expect(reply.mail.messageId).toBe(`<${sent.body.message.id}@example.com>`);
    expect(reply.mail.text?.trim()).toBe('Sorry! We are fixing it.');
    const replyTo = reply.mail.replyTo?.value[0]?.address;
    expect(replyTo).toMatch(/^support\+[0-9a-f]{16}@example\.com$/);

    const delivered = await nextEvent(agent, 'message:updated', (message) => message.id === sent.body.message.id && message.delivery.status === 'sent');
    expect(delivered.email.messageId).toBe(reply.mail.messageId);

    const atAgent = nextEvent(agent, 'message:new', (message) => message.conversationId === conversation.id && message.direction === 'inbound' && message.body.startsWith('Thanks'));
    await customer.send({
      from: address,
      to: replyTo,
      subject: 'Re: Invoice is wrong',
      text: `Thanks, waiting.\n\nOn Mon, 1 Jan 2026 at 10:00, Support <support@example.com> wrote:\n> Sorry! We are fixing it.\n`,
      inReplyTo: reply.mail.messageId,
      references: [first.messageId, reply.mail.messageId!],
    });
    const third = await atAgent;
    expect(third.body).toBe('Thanks, waiting.');
    expect(third.email.text).toContain('> Sorry! We are fixing it.');

    expect(await conversationOfEmail(hub, address)).toHaveLength(1);
    const { items: messages } = await api.get(`/api/conversations/${conversation.id}/messages`);
    expect(messages.map((message: { direction: string }) => message.direction)).toEqual(['inbound', 'outbound', 'inbound']);
    const { items: timeline } = await api.get(`/api/customers/${conversation.customerId}/timeline`);
    expect(timeline.map((event: { kind: string }) => event.kind).reverse()).toEqual([
      'conversation.opened',
      'message.received',
      'message.sent',
      'message.received',
    ]);
  });

  it('finds the conversation by the reply token when the mail program drops the threading headers', async () => {
    const address = `token.${randomUUID().slice(0, 8)}@example.net`;
    await customer.send({ from: address, subject: 'Question', text: 'Do you ship to Taiwan?' });
    const [conversation] = await conversationOfEmail(hub, address);
    const [row] = await hub.db.query<{ reply_token: string }>('SELECT reply_token FROM conversations WHERE id = $1', [conversation!.id]);

    await customer.send({ from: address, to: `support+${row!.reply_token}@example.com`, subject: 'Also', text: 'And to Hong Kong?' });

    expect(await conversationOfEmail(hub, address)).toHaveLength(1);
  });

  it('starts a new conversation for a new email without threading hints', async () => {
    const address = `two.${randomUUID().slice(0, 8)}@example.net`;
    await customer.send({ from: address, subject: 'First topic', text: 'One' });
    await customer.send({ from: address, to: 'help@example.com', subject: 'Second topic', text: 'Two' });
    expect(await conversationOfEmail(hub, address)).toHaveLength(2);
  });

  it('reopens a resolved conversation when the customer replies to it', async () => {
    const address = `reopen.${randomUUID().slice(0, 8)}@example.net`;
    const first = await customer.send({ from: address, subject: 'Broken', text: 'It broke.' });
    const [conversation] = await conversationOfEmail(hub, address);
    await hub.db.query("UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1", [conversation!.id]);

    await customer.send({ from: address, subject: 'Re: Broken', text: 'It broke again.', inReplyTo: first.messageId, references: first.messageId });

    const [reopened, ...others] = await conversationOfEmail(hub, address);
    expect(others).toHaveLength(0);
    expect(reopened).toMatchObject({ id: conversation!.id, status: 'open' });
  });

  it('stores a redelivered email (same Message-ID) once', async () => {
    const address = `dup.${randomUUID().slice(0, 8)}@example.net`;
    const messageId = `<${randomUUID()}@mail.example.net>`;
    await customer.send({ from: address, subject: 'Once', text: 'Only once', messageId });
    await customer.send({ from: address, subject: 'Once', text: 'Only once', messageId });
    const rows = await hub.db.query('SELECT id FROM messages WHERE email_message_id = $1', [messageId]);
    expect(rows).toHaveLength(1);
  });

  it('makes a chat visitor who later emails from the address they gave in chat the same customer', async () => {
    const address = `chat.${randomUUID().slice(0, 8)}@example.net`;
    const { socket, session } = await connectVisitor(hub.url);
    await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hi from the website' });
    const identified = await socket.emitWithAck('visitor:identify', { email: address, name: 'Wang Fang' });
    expect(identified).toMatchObject({ ok: true, emailLinked: true, customer: { id: session.customerId, name: 'Wang Fang' } });

    await customer.send({ from: address, subject: 'Following up', text: 'Writing by email now.' });

    const rows = await hub.db.query<{ channel: string; customer_id: string }>(
      'SELECT channel, customer_id FROM conversations WHERE customer_id = $1 ORDER BY created_at',
      [session.customerId],
    );
    expect(rows.map((row) => row.channel)).toEqual(['chat', 'email']);
  });

  it("never links a visitor to an email address that is another customer's", async () => {
    const address = `owner.${randomUUID().slice(0, 8)}@example.net`;
    await customer.send({ from: address, subject: 'Mine', text: 'Private' });
    const { socket } = await connectVisitor(hub.url);
    const identified = await socket.emitWithAck('visitor:identify', { email: address });
    expect(identified).toMatchObject({ ok: true, emailLinked: false });
    const history = await socket.emitWithAck('messages:since', {});
    expect(history.messages).toEqual([]);
  });
});
