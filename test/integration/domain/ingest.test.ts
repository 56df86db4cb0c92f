import { randomUUID } from 'node:crypto';
import type { Database } from '../../../server/db/database';
import type { Identity } from '../../../server/domain/customers';
import { type Inbound, ingest } from '../../../server/domain/ingest';
import { backends, countRows, OPEN_BACKEND_TIMEOUT, type OpenedBackend, recordingContext } from '../../support/domainBackends';

const visitor = (): Identity => ({ kind: 'visitor', value: `vis_${randomUUID()}` });
const chat = (identity: Identity, body: string, extra: Partial<Inbound> = {}): Inbound => ({
  channel: 'chat',
  identities: [identity],
  body,
  ...extra,
});

describe.each(backends)('ingest on %s', (_backend, open) => {
  let opened: OpenedBackend;
  let db: Database;
  let recording: ReturnType<typeof recordingContext>;

  beforeAll(async () => {
    opened = await open();
    db = opened.db;
    recording = recordingContext(db);
  }, OPEN_BACKEND_TIMEOUT);
  afterAll(() => opened?.close());
  beforeEach(() => recording.reset());

  const timelineOf = (customerId: string) =>
    db.query<{ kind: string; reference: string; data: Record<string, unknown> }>(
      'SELECT kind, reference, data FROM timeline_events WHERE customer_id = $1 ORDER BY at, id',
      [customerId],
    );

  describe('a first message from a new visitor', () => {
    it('creates the customer, opens a chat conversation, stores the trimmed message and tells the consoles after commit', async () => {
      const { ctx, published, log } = recording;
      const identity = visitor();
      const clientId = randomUUID();

      const result = await ingest(ctx, chat(identity, '  Hello, my order is late \n', { clientId, customerName: ' Mei ' }));

      expect(result).toMatchObject({ duplicate: false, opened: true });
      expect(result.customer.name).toBe('Mei');
      const owners = await db.query('SELECT customer_id, kind, value FROM customer_identities WHERE value = $1', [identity.value]);
      expect(owners).toEqual([{ customer_id: result.customer.id, kind: 'visitor', value: identity.value }]);
      expect(result.conversation).toMatchObject({ customerId: result.customer.id, channel: 'chat', status: 'open', customerName: 'Mei' });
      expect(result.message).toMatchObject({
        conversationId: result.conversation.id,
        customerId: result.customer.id,
        channel: 'chat',
        direction: 'inbound',
        author: { kind: 'customer', id: result.customer.id, name: 'Mei' },
        body: 'Hello, my order is late',
        clientId,
      });
      const [stored] = await db.query('SELECT body, external_id FROM messages WHERE id = $1', [result.message.id]);
      expect(stored).toEqual({ body: 'Hello, my order is late', external_id: clientId });

      expect(await timelineOf(result.customer.id)).toEqual([
        { kind: 'conversation.opened', reference: result.conversation.id, data: { channel: 'chat', subject: null } },
        {
          kind: 'message.received',
          reference: result.message.id,
          data: { conversationId: result.conversation.id, channel: 'chat', excerpt: 'Hello, my order is late' },
        },
      ]);
      expect(published).toEqual([
        { type: 'conversation:new', conversation: result.conversation },
        { type: 'message:new', message: result.message },
      ]);
      expect(log).toEqual(['commit', 'publish']);
    });
  });

  it('lands a second message from the same identity in the same open conversation and moves it up the inbox', async () => {
    const { ctx, published } = recording;
    const identity = visitor();
    const first = await ingest(ctx, chat(identity, 'first'));
    recording.reset();

    const second = await ingest(ctx, chat(identity, 'second'));

    expect(second).toMatchObject({ duplicate: false, opened: false });
    expect(second.customer.id).toBe(first.customer.id);
    expect(second.conversation.id).toBe(first.conversation.id);
    expect(second.message.createdAt > first.message.createdAt).toBe(true);
    expect(second.conversation.lastMessageAt).toBe(second.message.createdAt);
    expect(second.conversation.lastMessageAt > first.conversation.lastMessageAt).toBe(true);
    expect(published).toEqual([
      { type: 'conversation:updated', conversation: second.conversation },
      { type: 'message:new', message: second.message },
    ]);
    const conversations = await db.query('SELECT id FROM conversations WHERE customer_id = $1', [first.customer.id]);
    expect(conversations).toEqual([{ id: first.conversation.id }]);
  });

  describe('the same client id sent again', () => {
    it('stores one message and returns the first result, publishing nothing the second time', async () => {
      const { ctx, published } = recording;
      const identity = visitor();
      const clientId = randomUUID();
      const first = await ingest(ctx, chat(identity, 'only once', { clientId }));
      recording.reset();

      const again = await ingest(ctx, chat(identity, 'only once', { clientId }));

      expect(again).toEqual({ ...first, duplicate: true, opened: false });
      expect(published).toEqual([]);
      const messages = await db.query('SELECT id FROM messages WHERE external_id = $1', [clientId]);
      expect(messages).toEqual([{ id: first.message.id }]);
      const conversations = await db.query('SELECT id FROM conversations WHERE customer_id = $1', [first.customer.id]);
      expect(conversations).toHaveLength(1);
      expect((await timelineOf(first.customer.id)).map((event) => event.kind)).toEqual(['conversation.opened', 'message.received']);
    });

    // Two races, two guards: a new visitor's sends queue on the identity's unique index (the losers
    // retry and find the winner's customer); a known customer's sends queue on the customer row lock.
    it.each([
      ['a new visitor', false],
      ['a known customer', true],
    ])('stores one message when the sends race each other from %s', async (_who, known) => {
      const { ctx, published } = recording;
      const identity = visitor();
      const clientId = randomUUID();
      if (known) await ingest(ctx, chat(identity, 'an earlier message'));
      recording.reset();

      const results = await Promise.all(Array.from({ length: 5 }, () => ingest(ctx, chat(identity, 'racing', { clientId }))));

      const firsts = results.filter((result) => !result.duplicate);
      expect(firsts).toHaveLength(1);
      const first = firsts[0]!;
      for (const result of results) {
        expect(result.message).toEqual(first.message);
        expect(result.customer.id).toBe(first.customer.id);
        expect(result.conversation.id).toBe(first.conversation.id);
      }
      expect(await db.query('SELECT id FROM messages WHERE external_id = $1', [clientId])).toEqual([{ id: first.message.id }]);
      const owners = await db.query('SELECT customer_id FROM customer_identities WHERE value = $1', [identity.value]);
      expect(owners).toEqual([{ customer_id: first.customer.id }]);
      const conversations = await db.query('SELECT id FROM conversations WHERE customer_id = $1', [first.customer.id]);
      expect(conversations).toHaveLength(1);
      expect(published.map((event) => event.type)).toEqual([known ? 'conversation:updated' : 'conversation:new', 'message:new']);
    });

    it('from two different customers is two different messages', async () => {
      const { ctx } = recording;
      const clientId = randomUUID();

      const fromA = await ingest(ctx, chat(visitor(), 'from A', { clientId }));
      const fromB = await ingest(ctx, chat(visitor(), 'from B', { clientId }));

      expect(fromB.duplicate).toBe(false);
      expect(fromB.customer.id).not.toBe(fromA.customer.id);
      expect(fromB.message.id).not.toBe(fromA.message.id);
      const stored = await db.query('SELECT body FROM messages WHERE external_id = $1 ORDER BY seq', [clientId]);
      expect(stored).toEqual([{ body: 'from A' }, { body: 'from B' }]);
    });
  });

  describe('identities', () => {
    it('treat differently spelled emails as one customer', async () => {
      const { ctx } = recording;
      const local = `alice.${randomUUID().slice(0, 8)}`;

      const first = await ingest(ctx, chat({ kind: 'email', value: `${local.toUpperCase()}@Example.COM ` }, 'hi'));
      const second = await ingest(ctx, chat({ kind: 'email', value: `${local}@example.com` }, 'me again'));

      expect(second.customer.id).toBe(first.customer.id);
      expect(second.conversation.id).toBe(first.conversation.id);
      const identities = await db.query('SELECT kind, value FROM customer_identities WHERE customer_id = $1', [first.customer.id]);
      expect(identities).toEqual([{ kind: 'email', value: `${local}@example.com` }]);
    });

    it('make one new customer when one message names the same address in two spellings', async () => {
      const { ctx } = recording;
      const local = `carol.${randomUUID().slice(0, 8)}`;

      const result = await ingest(ctx, {
        channel: 'chat',
        identities: [
          { kind: 'email', value: `${local}@Example.com` },
          { kind: 'email', value: ` ${local}@example.COM` },
        ],
        body: 'hello',
      });

      expect(result.opened).toBe(true);
      const identities = await db.query('SELECT kind, value FROM customer_identities WHERE customer_id = $1', [result.customer.id]);
      expect(identities).toEqual([{ kind: 'email', value: `${local}@example.com` }]);
    });

    it('attach an unclaimed identity to the customer found by another', async () => {
      const { ctx } = recording;
      const email = `bob.${randomUUID().slice(0, 8)}@example.com`;
      const external = `crm-${randomUUID()}`;
      const known = await ingest(ctx, chat({ kind: 'email', value: email }, 'hello'));

      const result = await ingest(ctx, {
        channel: 'chat',
        identities: [
          { kind: 'email', value: email },
          { kind: 'external', value: external },
        ],
        body: 'now with my account number',
      });

      expect(result.customer.id).toBe(known.customer.id);
      const identities = await db.query('SELECT kind, value FROM customer_identities WHERE customer_id = $1 ORDER BY kind', [
        known.customer.id,
      ]);
      expect(identities).toEqual([
        { kind: 'email', value: email },
        { kind: 'external', value: external },
      ]);
    });
  });

  describe('refuses', () => {
    it("another customer's conversation as if it did not exist, storing nothing", async () => {
      const { ctx, published } = recording;
      const owner = await ingest(ctx, chat(visitor(), 'my private conversation'));
      recording.reset();
      const before = await countRows(db);

      await expect(
        ingest(ctx, chat(visitor(), 'let me in', { conversationId: owner.conversation.id, clientId: randomUUID() })),
      ).rejects.toMatchObject({ code: 'conversation_not_found' });

      expect(await countRows(db)).toEqual(before);
      expect(published).toEqual([]);
    });

    it('an unknown conversation id', async () => {
      const { ctx, published } = recording;
      const before = await countRows(db);

      await expect(ingest(ctx, chat(visitor(), 'hello?', { conversationId: 'cnv_missing' }))).rejects.toMatchObject({
        code: 'conversation_not_found',
      });

      expect(await countRows(db)).toEqual(before);
      expect(published).toEqual([]);
    });

    it.each(['', '   ', ' \n\t '])('an empty body (%j) with message_empty, storing and publishing nothing', async (body) => {
      const { ctx, published } = recording;
      const before = await countRows(db);

      await expect(ingest(ctx, chat(visitor(), body))).rejects.toMatchObject({ code: 'message_empty' });

      expect(await countRows(db)).toEqual(before);
      expect(published).toEqual([]);
    });

    it('a body over the limit with message_too_long, storing and publishing nothing', async () => {
      const { ctx, published } = recording;
      const before = await countRows(db);

      await expect(ingest(ctx, chat(visitor(), 'x'.repeat(10_001)))).rejects.toMatchObject({ code: 'message_too_long' });

      expect(await countRows(db)).toEqual(before);
      expect(published).toEqual([]);
    });
  });

  it('accepts a body of exactly the limit once trimmed', async () => {
    const result = await ingest(recording.ctx, chat(visitor(), ` ${'x'.repeat(10_000)} `));
    expect(result.message.body).toHaveLength(10_000);
  });

  describe('an explicitly named conversation', () => {
    it('reopens when it was resolved', async () => {
      const { ctx, published } = recording;
      const identity = visitor();
      const first = await ingest(ctx, chat(identity, 'help'));
      await db.query("UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1", [first.conversation.id]);
      recording.reset();

      const result = await ingest(ctx, chat(identity, 'it broke again', { conversationId: first.conversation.id }));

      expect(result.opened).toBe(false);
      expect(result.conversation).toMatchObject({ id: first.conversation.id, status: 'open', resolvedAt: null });
      const [row] = await db.query('SELECT status, resolved_at FROM conversations WHERE id = $1', [first.conversation.id]);
      expect(row).toEqual({ status: 'open', resolved_at: null });
      expect(published.map((event) => event.type)).toEqual(['conversation:updated', 'message:new']);
    });

    it('starts a new conversation when it was closed, leaving the closed one closed', async () => {
      const { ctx, published } = recording;
      const identity = visitor();
      const first = await ingest(ctx, chat(identity, 'help'));
      await db.query("UPDATE conversations SET status = 'closed' WHERE id = $1", [first.conversation.id]);
      recording.reset();

      const result = await ingest(ctx, chat(identity, 'a new question', { conversationId: first.conversation.id }));

      expect(result.opened).toBe(true);
      expect(result.conversation.id).not.toBe(first.conversation.id);
      expect(result.conversation.status).toBe('open');
      expect(result.message.conversationId).toBe(result.conversation.id);
      const [old] = await db.query('SELECT status FROM conversations WHERE id = $1', [first.conversation.id]);
      expect(old).toEqual({ status: 'closed' });
      expect(published.map((event) => event.type)).toEqual(['conversation:new', 'message:new']);
    });
  });
});
