import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { createAgent } from '../../../server/domain/agents';
import { bullPrefix, QUEUE_NAMES } from '../../../server/queues';
import { untilClassified } from '../../support/background';
import { mailClient } from '../../support/mail';
import { TEST_REDIS_URL } from '../../support/postgres';
import { signedInHub } from '../../support/signedInHub';
import { startSmtpSink, type SmtpSink } from '../../support/smtpSink';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';

jest.setTimeout(60_000);

// The sink starts first: the hub reads its URL when it starts.
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
const hub = signedInHub(() => ({ SMTP_OUT_URL: sink.url }));
afterEach(closeAllSockets);
afterAll(() => sink?.close());

type Conversation = { id: string; status: string; snoozedUntil: string | null; [field: string]: unknown };
const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });

/** A new widget visitor writes `bodies`, one message each; resolves with the conversation and the visitor's socket. */
async function visitorWrites(...bodies: string[]): Promise<{ conversationId: string; socket: Socket; messageIds: string[] }> {
  const { socket } = await connectVisitor(hub.url);
  const messageIds: string[] = [];
  for (const body of bodies) {
    const ack = await socket.emitWithAck('message:send', { clientId: randomUUID(), body });
    if (!ack.ok) throw new Error(`the visitor could not write: ${JSON.stringify(ack)}`);
    messageIds.push(ack.message.id);
  }
  const conversationId = (await hub.db.query<{ conversation_id: string }>('SELECT conversation_id FROM messages WHERE id = $1', [messageIds[0]]))[0]!.conversation_id;
  // Classification changes the conversation in the background: let it finish before looking.
  await untilClassified(hub.db, conversationId);
  return { conversationId, socket, messageIds };
}

const conversation = async (id: string): Promise<Conversation> => (await hub.get(`/api/conversations/${id}`).expect(200)).body;

describe('the inbox: filters, sorts and counts', () => {
  // Six conversations set up as the console would find them. Every query also names their tag,
  // so conversations of later tests never show up here.
  const TAG = 'inbox-suite';
  const ids: Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f', string> = { a: '', b: '', c: '', d: '', e: '', f: '' };
  let baseline: Record<string, unknown>;
  let teams: { mine: string; other: string };
  let otherAgent: string;

  const listed = async (query: string) => {
    const response = await hub.get(`/api/conversations?${query.includes('tag=') ? '' : `tag=${TAG}&`}${query}`);
    expect(response.status).toBe(200);
    return (response.body.items as Conversation[]).map((item) => item.id);
  };
  /** The ids on each page, following nextCursor until it runs out. */
  const walk = async (query: string) => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const response = await hub.get(`/api/conversations?tag=${TAG}&limit=2&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      pages.push(response.body.items.map((item: Conversation) => item.id));
      cursor = response.body.nextCursor;
      if (pages.length > 10) throw new Error('the cursor never runs out');
    } while (cursor);
    return pages;
  };

  beforeAll(async () => {
    baseline = (await hub.get('/api/conversations/counts').expect(200)).body;
    otherAgent = (await createAgent(hub.db, { email: 'other@example.com', name: 'Other', password: 'other-agents-password' })).id;
    const mine = (await hub.post('/api/teams', { name: 'Billing' }).expect(201)).body.id as string;
    const other = (await hub.post('/api/teams', { name: 'Shipping' }).expect(201)).body.id as string;
    await hub.db.query('INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2)', [mine, hub.agentId]);
    teams = { mine, other };
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) ids[key] = (await visitorWrites(`Hello, a question about account ${key}`)).conversationId;
    // [status, priority, assignee, team, intent, extra tags, last message (minutes ago), waiting since (minutes ago), snoozed, SLA at risk]
    const setups: [keyof typeof ids, string, string, string | null, string | null, string | null, string[], number, number | null, boolean, boolean][] = [
      ['a', 'open', 'urgent', hub.agentId, mine, 'get_refund', ['vip'], 5, 50, false, false],
      ['b', 'open', 'normal', null, other, null, [], 4, 40, false, true],
      ['c', 'pending', 'high', otherAgent, null, 'get_refund', [], 3, null, false, false],
      ['d', 'pending', 'low', null, null, null, [], 2, 30, true, false],
      ['e', 'resolved', 'normal', null, null, null, [], 1, null, false, false],
      ['f', 'open', 'urgent', null, null, null, [], 6, 60, false, true],
    ];
    for (const [key, status, priority, assignee, team, intent, tags, lastAgo, waitingAgo, snoozed, atRisk] of setups) {
      await hub.db.query(
        `UPDATE conversations
            SET status = $2, priority = $3, assignee_id = $4, team_id = $5, intent = $6, tags = $7,
                last_message_at = now() - make_interval(mins => $8), waiting_since = now() - make_interval(mins => $9),
                snoozed_until = CASE WHEN $10 THEN now() + interval '1 day' END,
                first_response_due_at = now() + CASE WHEN $11 THEN interval '10 minutes' ELSE interval '2 hours' END,
                resolution_due_at = now() + interval '1 day'
          WHERE id = $1`,
        [ids[key], status, priority, assignee, team, intent, [TAG, ...tags], lastAgo, waitingAgo, snoozed, atRisk],
      );
    }
    // A missed resolution deadline is at risk too, whatever the first response did.
    await hub.db.query("UPDATE conversations SET first_response_at = now(), resolution_due_at = now() - interval '5 minutes' WHERE id = $1", [ids.f]);
  });

  it('lists the most recently active first by default', async () => {
    const { a, b, c, d, e, f } = ids;
    expect(await listed('')).toEqual([e, d, c, b, a, f]);
  });

  it.each<[string, (keyof typeof ids)[]]>([
    ['status=open', ['b', 'a', 'f']],
    ['status=open,pending', ['d', 'c', 'b', 'a', 'f']],
    ['status=resolved,closed', ['e']],
    ['snoozed=true', ['d']],
    ['snoozed=false', ['e', 'c', 'b', 'a', 'f']],
    ['status=pending&snoozed=false', ['c']],
    ['assignee=me', ['a']],
    ['assignee=none', ['e', 'd', 'b', 'f']],
    ['team=mine', ['a']],
    ['intent=get_refund', ['c', 'a']],
    ['intent=unknown', ['e', 'd', 'b', 'f']],
    ['slaAtRisk=true', ['b', 'f']],
    ['slaAtRisk=false', ['e', 'd', 'c', 'b', 'a', 'f']],
    ['tag=vip', ['a']],
  ])('filters by %s', async (query, expected) => {
    expect(await listed(query)).toEqual(expected.map((key) => ids[key]));
  });

  it('filters by a team id', async () => {
    expect(await listed(`team=${teams.other}`)).toEqual([ids.b]);
    expect(await listed(`team=${teams.mine}&assignee=none`)).toEqual([]);
  });

  it("filters by a customer: that customer's conversations only, combined with the other filters", async () => {
    const customerOf = async (id: string) => (await conversation(id)).customerId as string;
    const [first, second] = [await customerOf(ids.a), await customerOf(ids.b)];
    expect(first).not.toBe(second);
    expect(await listed(`customer=${first}`)).toEqual([ids.a]);
    expect(await listed(`customer=${second}`)).toEqual([ids.b]);
    expect(await listed(`customer=${second}&status=resolved`)).toEqual([]);
    expect(await listed('customer=cus_nobody')).toEqual([]);
  });

  it('sorts by priority (urgent first), then the customer waiting longest, then id', async () => {
    const { a, b, c, d, f } = ids;
    expect(await listed('status=open,pending&sort=priority')).toEqual([f, a, c, b, d]);
  });

  it('walks both sorts a page at a time, each conversation once', async () => {
    const { a, b, c, d, e, f } = ids;
    expect(await walk('sort=recent')).toEqual([[e, d], [c, b], [a, f]]);
    expect(await walk('sort=priority&status=open,pending')).toEqual([[f, a], [c, b], [d]]);
    expect(await walk('sort=priority&status=open')).toEqual([[f, a], [b]]);
  });

  it("refuses a cursor of the other sort, and values it does not know, with 400", async () => {
    const recent = (await hub.get(`/api/conversations?tag=${TAG}&limit=1`)).body.nextCursor as string;
    const response = await hub.get(`/api/conversations?sort=priority&cursor=${encodeURIComponent(recent)}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_cursor'));
    for (const query of ['status=open,archived', 'sort=oldest', 'snoozed=maybe', 'slaAtRisk=1']) {
      const refused = await hub.get(`/api/conversations?${query}`);
      expect({ query, status: refused.status, body: refused.body }).toEqual({ query, status: 400, body: errorBody('validation_failed') });
    }
  });

  it('counts each view over the open and pending conversations that are not snoozed', async () => {
    const counts = (await hub.get('/api/conversations/counts').expect(200)).body;
    const delta = (path: (counts: any) => number) => path(counts) - path(baseline);
    expect({
      mine: delta((c) => c.mine),
      unassigned: delta((c) => c.unassigned),
      myTeams: delta((c) => c.myTeams),
      all: delta((c) => c.all),
      slaAtRisk: delta((c) => c.slaAtRisk),
      snoozed: delta((c) => c.snoozed),
      unread: delta((c) => c.unread),
      byStatus: {
        open: delta((c) => c.byStatus.open),
        pending: delta((c) => c.byStatus.pending),
        resolved: delta((c) => c.byStatus.resolved),
        closed: delta((c) => c.byStatus.closed),
      },
    }).toEqual({ mine: 1, unassigned: 2, myTeams: 1, all: 4, slaAtRisk: 2, snoozed: 1, unread: 4, byStatus: { open: 3, pending: 2, resolved: 1, closed: 0 } });
  });

  it('answers the counts only to a signed-in agent', async () => {
    const response = await hub.get('/api/conversations/counts').set('authorization', 'Bearer nope');
    expect(response.status).toBe(401);
  });
});

describe('what a conversation shows: unread count, last message, waiting since', () => {
  it('counts the unread customer messages, shows the latest one and how long the customer waits', async () => {
    const agent = await connectAgent(hub.url, hub.token);
    const { conversationId, socket, messageIds } = await visitorWrites('First question', 'Second question');
    const [first, second] = await Promise.all(messageIds.map(async (id) => (await hub.db.query<{ created_at: Date }>('SELECT created_at FROM messages WHERE id = $1', [id]))[0]!.created_at));

    expect(await conversation(conversationId)).toMatchObject({
      unreadCount: 2,
      lastMessage: { body: 'Second question', direction: 'inbound', authorKind: 'customer', createdAt: second!.toISOString() },
      waitingSince: first!.toISOString(),
    });

    expect(await agent.emitWithAck('messages:read', { conversationId, upToId: messageIds[0] })).toEqual({ ok: true });
    expect((await conversation(conversationId)).unreadCount).toBe(1);

    const reply = await hub.post(`/api/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'An answer '.repeat(40) }).expect(201);
    expect(await conversation(conversationId)).toMatchObject({
      waitingSince: null,
      lastMessage: { body: 'An answer '.repeat(40).trim().slice(0, 200), direction: 'outbound', authorKind: 'agent', createdAt: reply.body.message.createdAt },
    });

    const again = await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'One more thing' });
    const afterReply = await conversation(conversationId);
    expect(afterReply).toMatchObject({ unreadCount: 2, waitingSince: again.message.createdAt, lastMessage: { body: 'One more thing', direction: 'inbound' } });

    await agent.emitWithAck('messages:read', { conversationId, upToId: again.message.id });
    expect((await conversation(conversationId)).unreadCount).toBe(0);
  });
});

describe('tags', () => {
  it('replaces the tags, trimmed and each once', async () => {
    const { conversationId } = await visitorWrites('Tag me');
    const response = await hub.patch(`/api/conversations/${conversationId}`, { tags: [' billing ', 'vip', 'billing'] });
    expect(response.status).toBe(200);
    expect(response.body.tags).toEqual(['billing', 'vip']);
    expect((await hub.patch(`/api/conversations/${conversationId}`, { tags: [] }).expect(200)).body.tags).toEqual([]);
  });

  it.each([
    ['an empty tag', ['  ']],
    ['a tag longer than 50 characters', ['x'.repeat(51)]],
    ['more than 20 tags', Array.from({ length: 21 }, (_, index) => `tag${index}`)],
  ])('answers 400 validation_failed to %s', async (_case, tags) => {
    const { conversationId } = await visitorWrites('Bad tags');
    const response = await hub.patch(`/api/conversations/${conversationId}`, { tags });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });
});

describe('snoozing', () => {
  let redis: Redis;
  let snoozeQueue: Queue;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    snoozeQueue = new Queue(QUEUE_NAMES.snooze, { connection: redis, prefix: bullPrefix(hub.config.redisPrefix) });
  });
  afterAll(async () => {
    await snoozeQueue.close();
    redis.disconnect();
  });

  const woken = (agent: Socket, conversationId: string) =>
    nextEvent<Conversation>(agent, 'conversation:updated', (updated) => updated.id === conversationId && updated.snoozedUntil === null, 15_000);

  it('keeps the conversation pending until the time, when the worker opens it again and tells the consoles', async () => {
    const agent = await connectAgent(hub.url, hub.token);
    const { conversationId } = await visitorWrites('Call me back later');
    const until = new Date(Date.now() + 1500).toISOString();
    const wake = woken(agent, conversationId);

    const response = await hub.patch(`/api/conversations/${conversationId}`, { snoozedUntil: until });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'pending', snoozedUntil: until });
    expect(await hub.get('/api/conversations?snoozed=true').then((r) => r.body.items.map((item: Conversation) => item.id))).toContain(conversationId);

    const opened = await wake;
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));
    expect(opened).toMatchObject({ status: 'open', snoozedUntil: null });
    expect(await conversation(conversationId)).toMatchObject({ status: 'open', snoozedUntil: null });
  });

  it('wakes a conversation snoozed again only at the later time: the earlier job does nothing', async () => {
    const agent = await connectAgent(hub.url, hub.token);
    const { conversationId } = await visitorWrites('Not yet');
    const first = new Date(Date.now() + 1000);
    const second = new Date(Date.now() + 2500);
    await hub.patch(`/api/conversations/${conversationId}`, { snoozedUntil: first.toISOString() }).expect(200);
    await hub.patch(`/api/conversations/${conversationId}`, { snoozedUntil: second.toISOString() }).expect(200);
    const wake = woken(agent, conversationId);

    await wake;
    expect(Date.now()).toBeGreaterThanOrEqual(second.getTime());
    const earlier = await snoozeQueue.getJob(`snooze-${conversationId}-${first.getTime()}`);
    expect(earlier?.returnvalue).toBe('stale');
    const later = await snoozeQueue.getJob(`snooze-${conversationId}-${second.getTime()}`);
    expect(later?.returnvalue).toBe('woken');
  });

  it('ends the snooze when the customer writes', async () => {
    const { conversationId, socket } = await visitorWrites('I will wait');
    await hub.patch(`/api/conversations/${conversationId}`, { snoozedUntil: new Date(Date.now() + 86_400_000).toISOString() }).expect(200);

    const ack = await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Actually, one more question' });

    expect(ack.message.conversationId).toBe(conversationId);
    expect(await conversation(conversationId)).toMatchObject({ status: 'open', snoozedUntil: null });
  });

  it('ends the snooze on null, and when the conversation is resolved', async () => {
    const { conversationId } = await visitorWrites('Snooze and wake');
    const later = new Date(Date.now() + 86_400_000).toISOString();
    await hub.patch(`/api/conversations/${conversationId}`, { snoozedUntil: later }).expect(200);
    expect((await hub.patch(`/api/conversations/${conversationId}`, { snoozedUntil: null }).expect(200)).body).toMatchObject({ status: 'open', snoozedUntil: null });

    await hub.patch(`/api/conversations/${conversationId}`, { snoozedUntil: later }).expect(200);
    expect((await hub.patch(`/api/conversations/${conversationId}`, { status: 'resolved' }).expect(200)).body).toMatchObject({ status: 'resolved', snoozedUntil: null });
  });

  it.each([
    ['a time in the past', { snoozedUntil: new Date(Date.now() - 60_000).toISOString() }],
    ['a time that is not ISO 8601', { snoozedUntil: 'tomorrow' }],
    ['a snooze with another status than pending', { snoozedUntil: new Date(Date.now() + 60_000).toISOString(), status: 'open' }],
  ])('answers 400 validation_failed to %s', async (_case, change) => {
    const { conversationId } = await visitorWrites('Bad snooze');
    const response = await hub.patch(`/api/conversations/${conversationId}`, change);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
    expect(await conversation(conversationId)).toMatchObject({ status: 'open', snoozedUntil: null });
  });
});

describe('POST /api/conversations/:id/merge', () => {
  /** One visitor's two chats: the first resolved, then a second one opened. */
  async function twoConversationsOfOneCustomer() {
    const first = await visitorWrites('My order is late');
    await hub.patch(`/api/conversations/${first.conversationId}`, { status: 'resolved' }).expect(200);
    const again = await first.socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Still late, see my earlier chat' });
    const secondId = again.message.conversationId as string;
    expect(secondId).not.toBe(first.conversationId);
    await untilClassified(hub.db, secondId);
    return { target: first.conversationId, source: secondId, sourceMessageId: again.message.id as string };
  }

  it("moves the source's messages and notes into the target and closes the source, pointing at the target", async () => {
    const agent = await connectAgent(hub.url, hub.token);
    const { target, source, sourceMessageId } = await twoConversationsOfOneCustomer();
    await hub.post(`/api/conversations/${source}/notes`, { body: 'Same customer as before' }).expect(201);
    const sourceUpdated = nextEvent<Conversation>(agent, 'conversation:updated', (updated) => updated.id === source && updated.mergedIntoId === target);
    const targetUpdated = nextEvent<Conversation>(agent, 'conversation:updated', (updated) => updated.id === target && updated.lastMessage !== null);

    const response = await hub.post(`/api/conversations/${target}/merge`, { sourceId: source });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: target, mergedIntoId: null, lastMessage: { body: 'Still late, see my earlier chat' } });
    const messages = (await hub.get(`/api/conversations/${target}/messages`).expect(200)).body.items.map((message: { body: string }) => message.body);
    expect(messages).toEqual(['My order is late', 'Still late, see my earlier chat']);
    expect((await hub.get(`/api/conversations/${source}/messages`).expect(200)).body.items).toEqual([]);
    const notes = (await hub.get(`/api/conversations/${target}/notes`).expect(200)).body.items;
    expect(notes.map((note: { body: string }) => note.body)).toEqual(['Same customer as before']);
    expect(await conversation(source)).toMatchObject({ status: 'closed', mergedIntoId: target, snoozedUntil: null });
    await sourceUpdated;
    await targetUpdated;

    const customerId = (await conversation(target)).customerId as string;
    const timeline = (await hub.get(`/api/customers/${customerId}/timeline?kind=message.received,conversation.merged`).expect(200)).body.items;
    expect(timeline.find((event: { reference: string }) => event.reference === sourceMessageId).data.conversationId).toBe(target);
    expect(timeline.find((event: { kind: string }) => event.kind === 'conversation.merged').data).toMatchObject({ conversationId: target, sourceId: source });
  });

  it('answers 409 merge_conflict for a conversation of another customer, the conversation itself, or a source already merged', async () => {
    const { target, source } = await twoConversationsOfOneCustomer();
    const stranger = (await visitorWrites('Someone else entirely')).conversationId;

    for (const [into, sourceId] of [[target, stranger], [target, target]] as const) {
      const response = await hub.post(`/api/conversations/${into}/merge`, { sourceId });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('merge_conflict');
    }
    await hub.post(`/api/conversations/${target}/merge`, { sourceId: source }).expect(200);
    const again = await hub.post(`/api/conversations/${target}/merge`, { sourceId: source });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(errorBody('merge_conflict'));
    expect(await conversation(stranger)).toMatchObject({ mergedIntoId: null, status: 'open' });
  });

  it('answers 404 for a conversation that does not exist and 400 without a sourceId', async () => {
    const { target } = await twoConversationsOfOneCustomer();
    expect((await hub.post(`/api/conversations/${target}/merge`, { sourceId: 'cnv_missing' })).body).toEqual(errorBody('conversation_not_found'));
    expect((await hub.post(`/api/conversations/${target}/merge`, {})).status).toBe(400);
  });
});

describe('email replies with a subject and Cc', () => {
  /** A customer emails support; resolves with the conversation it opened. */
  async function customerEmails(address: string, subject: string): Promise<string> {
    const client = mailClient(hub);
    try {
      await client.send({ from: `Customer <${address}>`, subject, text: 'Where is my refund?' });
    } finally {
      client.close();
    }
    const [row] = await hub.db.query<{ id: string }>(
      `SELECT cv.id FROM conversations cv JOIN customer_identities ci ON ci.customer_id = cv.customer_id
        WHERE ci.kind = 'email' AND ci.value = $1`,
      [address],
    );
    return row!.id;
  }

  it('sends the agent\'s subject instead of "Re: …", with the Cc header, to every recipient', async () => {
    const address = `refund.${randomUUID().slice(0, 8)}@example.net`;
    const conversationId = await customerEmails(address, 'Refund');

    const response = await hub.post(`/api/conversations/${conversationId}/messages`, {
      clientId: randomUUID(),
      body: 'Your refund is on its way.',
      email: { subject: 'Your refund, order 1042', cc: ['manager@example.org', 'billing@example.org'] },
    });

    expect(response.status).toBe(201);
    expect(response.body.message.email).toMatchObject({ subject: 'Your refund, order 1042', cc: ['manager@example.org', 'billing@example.org'] });
    const mail = await sink.next((message) => message.envelope.to.includes(address));
    expect(mail.mail.subject).toBe('Your refund, order 1042');
    expect(mail.mail.headers.get('cc')).toMatchObject({ value: [{ address: 'manager@example.org' }, { address: 'billing@example.org' }] });
    expect(mail.envelope.to.sort()).toEqual([address, 'billing@example.org', 'manager@example.org'].sort());
  });

  it('takes the subject from the /agents socket too, and keeps "Re: …" without one', async () => {
    const address = `socket.${randomUUID().slice(0, 8)}@example.net`;
    const conversationId = await customerEmails(address, 'Delivery');
    const agent = await connectAgent(hub.url, hub.token);

    const ack = await agent.emitWithAck('message:send', { conversationId, clientId: randomUUID(), body: 'Shipped today.', email: { subject: 'Shipped' } });
    expect(ack).toMatchObject({ ok: true, message: { email: { subject: 'Shipped', cc: [] } } });
    expect((await sink.next((message) => message.envelope.to.includes(address) && message.mail.subject === 'Shipped')).envelope.to).toEqual([address]);

    await hub.post(`/api/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'And tracked.' }).expect(201);
    const plain = await sink.next((message) => message.envelope.to.includes(address) && message.mail.text?.trim() === 'And tracked.');
    expect(plain.mail.subject).toBe('Re: Delivery');
    expect(plain.mail.headers.get('cc')).toBeUndefined();
  });

  it('ignores the email options on a chat reply', async () => {
    const { conversationId } = await visitorWrites('Chat only');
    const response = await hub.post(`/api/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'Hi', email: { subject: 'Ignored' } });
    expect(response.status).toBe(201);
    expect(response.body.message.email).toBeNull();
  });

  it.each([
    ['a Cc that is not an address', { cc: ['not-an-address'] }],
    ['more than 10 Cc addresses', { cc: Array.from({ length: 11 }, (_, index) => `cc${index}@example.org`) }],
    ['a subject longer than 250 characters', { subject: 's'.repeat(251) }],
    ['a subject on two lines', { subject: 'Line one\r\nBcc: someone@example.org' }],
    ['an option it does not know', { bcc: ['someone@example.org'] }],
  ])('answers 400 validation_failed to %s', async (_case, email) => {
    const { conversationId } = await visitorWrites('Bad email options');
    const response = await hub.post(`/api/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'Hi', email });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });
});
