import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createAgent } from '../../../server/domain/agents';
import { issueAgentToken } from '../../../server/domain/agentTokens';
import { untilClassified } from '../../support/background';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectVisitor, login } from '../../support/sockets';

const hub = signedInHub();
afterEach(closeAllSockets);

const get = (path: string, as = hub.token) => request(hub.handler).get(path).set('authorization', `Bearer ${as}`);
const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** A new widget visitor writes once, which opens a conversation; resolves with its id. */
async function visitorOpensConversation(body: string): Promise<string> {
  const { socket } = await connectVisitor(hub.url);
  const ack = await socket.emitWithAck('message:send', { clientId: randomUUID(), body });
  if (!ack.ok) throw new Error(`the visitor could not write: ${JSON.stringify(ack)}`);
  await untilClassified(hub.db, ack.message.conversationId);
  return ack.message.conversationId as string;
}

/** The ids on each page, following nextCursor from `path` until it runs out. */
async function walkPages(path: string): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const response = await get(cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path);
    expect(response.status).toBe(200);
    pages.push(response.body.items.map((item: { id: string }) => item.id));
    cursor = response.body.nextCursor;
    if (pages.length > 20) throw new Error(`${path}: the cursor never runs out`);
  } while (cursor);
  return pages;
}

const inboxIds = async (query = '') => {
  const response = await get(`/api/conversations${query}`);
  expect(response.status).toBe(200);
  return response.body.items.map((item: { id: string }) => item.id) as string[];
};

describe('signing in to read conversations', () => {
  const foreignSecret = 'another-hub-secret-key-of-32-characters!';
  it.each<[string, () => string | undefined]>([
    ['no Authorization header', () => undefined],
    ['"Bearer" without a token', () => 'Bearer'],
    ['another scheme', () => `Basic ${Buffer.from('admin:password').toString('base64')}`],
    ['a garbage token', () => 'Bearer not.a.token'],
    ['a token signed with another key', () => `Bearer ${issueAgentToken(foreignSecret, hub.agentId)}`],
    ['a token whose claims were changed after signing', () => {
      const [header, , signature] = hub.token.split('.');
      const claims = Buffer.from(JSON.stringify({ sub: 'agt_someone_else', exp: 4_102_444_800 })).toString('base64url');
      return `Bearer ${header}.${claims}.${signature}`;
    }],
    ['an expired token', () => `Bearer ${issueAgentToken(hub.config.secretKey, hub.agentId, new Date(Date.now() - 13 * 3600 * 1000))}`],
    ['a token for an agent that does not exist', () => `Bearer ${issueAgentToken(hub.config.secretKey, 'agt_deleted')}`],
  ])('answers 401 with a JSON error and WWW-Authenticate: Bearer to %s', async (_case, authorization) => {
    const pending = request(hub.handler).get('/api/conversations');
    const header = authorization();
    const response = await (header === undefined ? pending : pending.set('authorization', header));

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body).toEqual(errorBody('unauthorized'));
  });
});

describe('GET /api/conversations', () => {
  // Opened in this order by five visitors: the inbox shows them newest first.
  let opened: string[];
  let newestFirst: string[];

  beforeAll(async () => {
    opened = [];
    for (let i = 1; i <= 5; i++) opened.push(await visitorOpensConversation(`Question number ${i}`));
    newestFirst = [...opened].reverse();
    await hub.db.query("UPDATE conversations SET status = 'pending' WHERE id = $1", [opened[1]]);
    await hub.db.query("UPDATE conversations SET status = 'resolved' WHERE id = $1", [opened[3]]);
  });

  it('lists {items, nextCursor}, the most recently active conversation first', async () => {
    const response = await get('/api/conversations');

    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual(newestFirst);
    expect(response.body.items[0]).toMatchObject({ id: opened[4], channel: 'chat', status: 'open', assigneeId: null });
  });

  it.each([
    ['open', [4, 2, 0]],
    ['pending', [1]],
    ['resolved', [3]],
    ['closed', []],
  ])('lists only the %s conversations for that status', async (status, indexes) => {
    expect(await inboxIds(`?status=${status}`)).toEqual(indexes.map((index) => opened[index]));
  });

  it.each(['archived', 'OPEN', ''])('answers 400 validation_failed to status=%j', async (status) => {
    const response = await get(`/api/conversations?status=${status}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });

  it('lists every conversation for assignee=none and none for assignee=me while nothing is assigned', async () => {
    expect(await inboxIds('?assignee=none')).toEqual(newestFirst);
    expect(await inboxIds('?assignee=me')).toEqual([]);
  });

  it('walks every conversation exactly once, in order, with limit=2', async () => {
    const pages = await walkPages('/api/conversations?limit=2');
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(newestFirst);
  });

  it('keeps the status filter on every page', async () => {
    const pages = await walkPages('/api/conversations?status=open&limit=2');
    expect(pages).toEqual([[opened[4], opened[2]], [opened[0]]]);
  });

  it('answers a page that ends exactly on the last conversation with no nextCursor', async () => {
    const response = await get('/api/conversations?limit=5');
    expect(response.body.items).toHaveLength(5);
    expect(response.body.nextCursor).toBeNull();
  });

  it.each([
    ['not base64 JSON at all', 'garbage!'],
    ['JSON that is not a key', cursorOf({ lastMessageAt: '2026-01-01T00:00:00.000Z' })],
    ['a key of the wrong length', cursorOf(['2026-01-01T00:00:00.000Z'])],
    ['a key of the wrong types', cursorOf([1767225600000, 42])],
  ])('answers 400 invalid_cursor to a cursor that is %s', async (_case, cursor) => {
    const response = await get(`/api/conversations?cursor=${encodeURIComponent(cursor)}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_cursor'));
  });

  it('answers 400 invalid_cursor to a cursor whose timestamp is not a date', async () => {
    const response = await get(`/api/conversations?cursor=${cursorOf(['not-a-date', opened[0]])}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_cursor'));
  });

  it.each(['0', '101', '-1', '2.5', 'ten'])('answers 400 validation_failed to limit=%s', async (limit) => {
    const response = await get(`/api/conversations?limit=${limit}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });

  it('accepts the limits 1 and 100', async () => {
    expect(await inboxIds('?limit=1')).toEqual(newestFirst.slice(0, 1));
    expect(await inboxIds('?limit=100')).toEqual(newestFirst);
  });

  describe('once conversations are assigned', () => {
    let sam: { id: string; email: string; password: string };

    beforeAll(async () => {
      const password = 'sams-own-password';
      const agent = await createAgent(hub.db, { email: 'sam@example.com', name: 'Sam', password });
      sam = { id: agent.id, email: agent.email, password };
      await hub.db.query('UPDATE conversations SET assignee_id = $1 WHERE id = $2', [hub.agentId, opened[2]]);
      await hub.db.query('UPDATE conversations SET assignee_id = $1 WHERE id = $2', [sam.id, opened[4]]);
    });

    it("lists only the caller's conversations for assignee=me", async () => {
      expect(await inboxIds('?assignee=me')).toEqual([opened[2]]);
      const { token: samsToken } = await login(hub.url, sam);
      const response = await get('/api/conversations?assignee=me', samsToken);
      expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([opened[4]]);
    });

    it("lists another agent's conversations for assignee=<that agent's id>", async () => {
      expect(await inboxIds(`?assignee=${sam.id}`)).toEqual([opened[4]]);
      expect(await inboxIds(`?assignee=${hub.agentId}`)).toEqual([opened[2]]);
      expect(await inboxIds('?assignee=agt_nobody')).toEqual([]);
    });

    it('lists only the conversations no one is assigned to for assignee=none', async () => {
      expect(await inboxIds('?assignee=none')).toEqual([opened[3], opened[1], opened[0]]);
    });

    it('combines the assignee and status filters', async () => {
      expect(await inboxIds('?assignee=none&status=open')).toEqual([opened[0]]);
      expect(await inboxIds('?assignee=me&status=open')).toEqual([opened[2]]);
      expect(await inboxIds('?assignee=me&status=pending')).toEqual([]);
    });

    it('shows the assignee on the conversation', async () => {
      const response = await get(`/api/conversations/${opened[4]}`);
      expect(response.body.assigneeId).toBe(sam.id);
    });
  });

  describe('the order of the inbox', () => {
    it('moves a conversation to the top when its customer writes again', async () => {
      const { socket } = await connectVisitor(hub.url);
      const ack = await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'First words' });
      const mine = ack.message.conversationId as string;
      const third = await visitorOpensConversation('Someone else writes after me');
      expect((await inboxIds()).slice(0, 2)).toEqual([third, mine]);

      await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hello again?' });

      const after = await inboxIds();
      expect(after.slice(0, 2)).toEqual([mine, third]);
    });

    it('moves a conversation to the top when an agent replies', async () => {
      const before = await inboxIds();
      const oldest = before[before.length - 1]!;

      const reply = await request(hub.handler)
        .post(`/api/conversations/${oldest}/messages`)
        .set('authorization', `Bearer ${hub.token}`)
        .send({ clientId: randomUUID(), body: 'Sorry for the wait' });
      expect(reply.status).toBe(201);

      expect(await inboxIds()).toEqual([oldest, ...before.slice(0, -1)]);
    });
  });
});

describe('GET /api/conversations/:id', () => {
  it('answers 200 with the conversation, as the inbox lists it', async () => {
    const id = await visitorOpensConversation('Can you see me?');
    const response = await get(`/api/conversations/${id}`);
    const [listed] = (await get('/api/conversations?limit=1')).body.items;

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, channel: 'chat', status: 'open', customerName: null, assigneeId: null, firstResponseAt: null });
    expect(response.body).toEqual(listed);
  });

  it('answers 404 conversation_not_found to an id that does not exist', async () => {
    const response = await get('/api/conversations/cnv_00000000000000000000000000');
    expect(response.status).toBe(404);
    expect(response.body).toEqual(errorBody('conversation_not_found'));
  });

  it('answers 401 without a hub.token, even for a conversation that exists', async () => {
    const id = await visitorOpensConversation('Private matter');
    const response = await request(hub.handler).get(`/api/conversations/${id}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(errorBody('unauthorized'));
  });
});
