import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestHub, type TestHub } from '../../support/hub';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';

const WIDGET_SECRET = 'widget-identity-secret-for-tests';
const sign = (value: string) => createHmac('sha256', WIDGET_SECRET).update(value).digest('hex');

const hub = signedInHub({ WIDGET_IDENTITY_SECRET: WIDGET_SECRET });
afterEach(closeAllSockets);

const { auth } = hub;
const unique = () => randomUUID().slice(0, 8);

/** A customer the company already knows, with a chat history of their own. */
async function knownCustomerWithHistory() {
  const email = `known-${unique()}@example.com`;
  const externalId = `user-${unique()}`;
  const { socket, session } = await connectVisitor(hub.url);
  await socket.emitWithAck('visitor:identify', { email, name: 'Known Person' });
  await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'My private order question' });
  await request(hub.handler).patch(`/api/customers/${session.customerId}`).set(auth()).send({ externalId });
  socket.disconnect();
  return { email, externalId, customerId: session.customerId };
}

describe('visitor:identify', () => {
  it('never links an email that belongs to someone else without proof, nor shows their history', async () => {
    const known = await knownCustomerWithHistory();
    const { socket, session } = await connectVisitor(hub.url);

    const ack = await socket.emitWithAck('visitor:identify', { email: known.email });

    expect(ack).toEqual({ ok: true, customer: { id: session.customerId, name: null }, emailLinked: false, verified: false, merged: false, continueByEmail: false });
    expect((await socket.emitWithAck('messages:since', {})).messages).toEqual([]);
  });

  it('joins the visitor to the known customer when the site vouches with the HMAC of the email', async () => {
    const known = await knownCustomerWithHistory();
    const { socket, session } = await connectVisitor(hub.url);
    await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hi, before I logged in' });

    const ack = await socket.emitWithAck('visitor:identify', { email: known.email, hash: sign(known.email) });

    expect(ack).toEqual({ ok: true, customer: { id: known.customerId, name: 'Known Person' }, emailLinked: true, verified: true, merged: true, continueByEmail: false });
    const history = (await socket.emitWithAck('messages:since', {})).messages.map((message: { body: string }) => message.body);
    expect(history).toEqual(['My private order question', 'Hi, before I logged in']);
    const merges = (await request(hub.handler).get(`/api/customers/${known.customerId}/merges`).set(auth())).body.items;
    expect(merges).toEqual([expect.objectContaining({ sourceId: session.customerId, agentId: null })]);
  });

  it('verifies with the external id when one is given, and the socket then hears agent replies to the known customer', async () => {
    const known = await knownCustomerWithHistory();
    const { socket } = await connectVisitor(hub.url);

    const ack = await socket.emitWithAck('visitor:identify', { externalId: known.externalId, email: known.email, hash: sign(known.externalId) });
    expect(ack).toMatchObject({ ok: true, verified: true, customer: { id: known.customerId } });

    const [conversation] = await hub.db.query<{ id: string }>('SELECT id FROM conversations WHERE customer_id = $1', [known.customerId]);
    const heard = nextEvent(socket, 'message:new', (message: { body: string }) => message.body === 'Answer for the known customer');
    const agent = await connectAgent(hub.url, hub.token);
    const reply = await agent.emitWithAck('message:send', { conversationId: conversation!.id, clientId: randomUUID(), body: 'Answer for the known customer' });
    expect(reply.ok).toBe(true);
    await expect(heard).resolves.toMatchObject({ conversationId: conversation!.id });
  });

  it.each([
    ['a hash made with another secret', (email: string) => ({ email, hash: createHmac('sha256', 'wrong-secret-0000').update(email).digest('hex') }), 'identity_verification_failed'],
    ['a hash of another value', (email: string) => ({ email, hash: sign(`x${email}`) }), 'identity_verification_failed'],
    ['an external id without a hash', () => ({ externalId: 'user-123' }), 'identity_verification_failed'],
    ['a hash that is not hex', (email: string) => ({ email, hash: 'zz' }), 'validation_failed'],
  ])('refuses %s and changes nothing', async (_case, claim, code) => {
    const known = await knownCustomerWithHistory();
    const { socket, session } = await connectVisitor(hub.url);

    const ack = await socket.emitWithAck('visitor:identify', claim(known.email));

    expect(ack).toEqual({ ok: false, error: { code, message: expect.any(String) } });
    const [owner] = await hub.db.query<{ customer_id: string }>("SELECT customer_id FROM customer_identities WHERE kind = 'email' AND value = $1", [known.email]);
    expect(owner!.customer_id).toBe(known.customerId);
    expect((await request(hub.handler).get(`/api/customers/${session.customerId}`).set(auth())).status).toBe(200);
  });
});

describe('visitor:identify on a hub without a widget secret', () => {
  let plainHub: TestHub;
  beforeAll(async () => {
    plainHub = await startTestHub();
  });
  afterAll(() => plainHub.stop());

  it('refuses any hash, since nothing can be verified', async () => {
    const { socket } = await connectVisitor(plainHub.url);
    const ack = await socket.emitWithAck('visitor:identify', { email: 'someone@example.com', hash: sign('someone@example.com') });
    expect(ack).toEqual({ ok: false, error: { code: 'identity_verification_failed', message: expect.stringContaining('WIDGET_IDENTITY_SECRET') } });
  });
});
