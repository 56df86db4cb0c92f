import { randomUUID } from 'node:crypto';
import type { Database } from '../../../server/db/database';
import { type Agent, createAgent } from '../../../server/domain/agents';
import { ingest } from '../../../server/domain/ingest';
import { listCustomerMessagesSince } from '../../../server/domain/messages';
import { replyAsAgent } from '../../../server/domain/replies';
import { backends, countRows, OPEN_BACKEND_TIMEOUT, type OpenedBackend, recordingContext } from '../../support/domainBackends';

describe.each(backends)('agent replies and catching up on %s', (_backend, open) => {
  let opened: OpenedBackend;
  let db: Database;
  let recording: ReturnType<typeof recordingContext>;
  let agent: Agent;

  beforeAll(async () => {
    opened = await open();
    db = opened.db;
    recording = recordingContext(db);
    agent = await createAgent(db, { email: 'ana@support.example', name: 'Ana', password: 'correct horse battery' });
  }, OPEN_BACKEND_TIMEOUT);
  afterAll(() => opened?.close());
  beforeEach(() => recording.reset());

  /** A customer's first chat message, and so a fresh open conversation. */
  const customerWrites = (body = 'Where is my parcel?') =>
    ingest(recording.ctx, { channel: 'chat', identities: [{ kind: 'visitor', value: `vis_${randomUUID()}` }], body });

  describe('replyAsAgent', () => {
    it('stores an outbound message by the agent, records the first response once and tells the consoles after commit', async () => {
      const { ctx, published, enqueued, log } = recording;
      const { conversation, customer } = await customerWrites();
      recording.reset();

      const first = await replyAsAgent(ctx, { agentId: agent.id, conversationId: conversation.id, clientId: randomUUID(), body: ' On its way! ' });

      expect(first.duplicate).toBe(false);
      expect(first.message).toMatchObject({
        conversationId: conversation.id,
        customerId: customer.id,
        channel: 'chat',
        direction: 'outbound',
        author: { kind: 'agent', id: agent.id, name: 'Ana' },
        body: 'On its way!',
        delivery: null,
      });
      expect(first.conversation.firstResponseAt).toBe(first.message.createdAt);
      expect(first.conversation.lastMessageAt).toBe(first.message.createdAt);
      expect(published).toEqual([
        { type: 'conversation:updated', conversation: first.conversation },
        { type: 'message:new', message: first.message },
      ]);
      expect(log).toEqual(['commit', 'publish']);
      expect(enqueued).toEqual([]);
      const timeline = await db.query('SELECT kind, reference, data FROM timeline_events WHERE customer_id = $1 ORDER BY at, id', [
        customer.id,
      ]);
      expect(timeline.map((event) => event.kind)).toEqual(['conversation.opened', 'message.received', 'message.sent']);
      expect(timeline[2]).toEqual({
        kind: 'message.sent',
        reference: first.message.id,
        data: { conversationId: conversation.id, channel: 'chat', author: 'agent', agentId: agent.id, excerpt: 'On its way!' },
      });

      const second = await replyAsAgent(ctx, { agentId: agent.id, conversationId: conversation.id, body: 'Tracking: 123' });

      expect(second.message.createdAt > first.message.createdAt).toBe(true);
      expect(second.conversation.firstResponseAt).toBe(first.message.createdAt);
      expect(second.conversation.lastMessageAt).toBe(second.message.createdAt);
    });

    it('stores a reply sent twice under one client id once, publishing nothing the second time', async () => {
      const { ctx, published } = recording;
      const { conversation } = await customerWrites();
      const clientId = randomUUID();
      const first = await replyAsAgent(ctx, { agentId: agent.id, conversationId: conversation.id, clientId, body: 'Hi!' });
      recording.reset();

      const again = await replyAsAgent(ctx, { agentId: agent.id, conversationId: conversation.id, clientId, body: 'Hi!' });

      expect(again).toEqual({ ...first, duplicate: true });
      expect(published).toEqual([]);
      const stored = await db.query("SELECT id FROM messages WHERE author_kind = 'agent' AND external_id = $1", [clientId]);
      expect(stored).toEqual([{ id: first.message.id }]);
    });

    it('stores a reply raced under one client id once', async () => {
      const { ctx, published } = recording;
      const { conversation } = await customerWrites();
      const clientId = randomUUID();
      recording.reset();

      const results = await Promise.all(
        Array.from({ length: 3 }, () => replyAsAgent(ctx, { agentId: agent.id, conversationId: conversation.id, clientId, body: 'Hi!' })),
      );

      expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
      expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
      expect(published.map((event) => event.type)).toEqual(['conversation:updated', 'message:new']);
    });

    it('refuses an unknown conversation with conversation_not_found, storing and publishing nothing', async () => {
      const { ctx, published } = recording;
      const before = await countRows(db);

      await expect(
        replyAsAgent(ctx, { agentId: agent.id, conversationId: 'cnv_missing', clientId: randomUUID(), body: 'Hello?' }),
      ).rejects.toMatchObject({ code: 'conversation_not_found' });

      expect(await countRows(db)).toEqual(before);
      expect(published).toEqual([]);
    });

    it.each([
      ['message_empty', '  '],
      ['message_too_long', 'y'.repeat(10_001)],
    ])('refuses with %s, storing and publishing nothing', async (code, body) => {
      const { ctx, published } = recording;
      const { conversation } = await customerWrites();
      recording.reset();
      const before = await countRows(db);

      await expect(replyAsAgent(ctx, { agentId: agent.id, conversationId: conversation.id, body })).rejects.toMatchObject({ code });

      expect(await countRows(db)).toEqual(before);
      expect(published).toEqual([]);
    });
  });

  describe('listCustomerMessagesSince', () => {
    it('returns what came after a message, oldest first, replies included', async () => {
      const { ctx } = recording;
      const visitor = { kind: 'visitor' as const, value: `vis_${randomUUID()}` };
      const one = await ingest(ctx, { channel: 'chat', identities: [visitor], body: 'one' });
      const two = await replyAsAgent(ctx, { agentId: agent.id, conversationId: one.conversation.id, body: 'two' });
      const three = await ingest(ctx, { channel: 'chat', identities: [visitor], body: 'three' });
      const customerId = one.customer.id;

      expect(await listCustomerMessagesSince(db, customerId, 'chat', undefined, 50)).toEqual({
        messages: [one.message, two.message, three.message],
        hasMore: false,
      });
      expect(await listCustomerMessagesSince(db, customerId, 'chat', one.message.id, 50)).toEqual({
        messages: [two.message, three.message],
        hasMore: false,
      });
      expect(await listCustomerMessagesSince(db, customerId, 'chat', one.message.id, 1)).toEqual({
        messages: [two.message],
        hasMore: true,
      });
      expect(await listCustomerMessagesSince(db, customerId, 'chat', three.message.id, 50)).toEqual({ messages: [], hasMore: false });
    });

    it("refuses another customer's message id as the starting point with message_not_found", async () => {
      const mine = await customerWrites('mine');
      const theirs = await customerWrites('theirs');

      await expect(listCustomerMessagesSince(db, mine.customer.id, 'chat', theirs.message.id, 50)).rejects.toMatchObject({
        code: 'message_not_found',
      });
    });
  });
});
