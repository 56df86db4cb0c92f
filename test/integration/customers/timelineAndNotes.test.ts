import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';

const hub = signedInHub();
afterEach(closeAllSockets);

const { get, post, patch } = hub;
const kindsOf = (response: request.Response) => response.body.items.map((event: { kind: string }) => event.kind);

/** A visitor whose chat an agent notes on, assigns, resolves, and who then writes again. */
async function chatWithAgentWork() {
  const { socket, session } = await connectVisitor(hub.url);
  const first = await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'My parcel is late' });
  const conversationId = first.message.conversationId as string;
  await post(`/api/conversations/${conversationId}/notes`, { body: 'Courier lost it; resend' });
  await patch(`/api/conversations/${conversationId}`, { assigneeId: hub.agentId });
  await patch(`/api/conversations/${conversationId}`, { status: 'resolved' });
  await post(`/api/customers/${session.customerId}/notes`, { body: 'Offer a voucher next time' });
  await patch(`/api/conversations/${conversationId}`, { status: 'open' });
  return { socket, customerId: session.customerId, conversationId };
}

describe('the timeline', () => {
  it('holds every change in order: opened, message, note, assigned, resolved, note, reopened', async () => {
    const { customerId, conversationId } = await chatWithAgentWork();

    const response = await get(`/api/customers/${customerId}/timeline?order=oldest`);

    expect(kindsOf(response)).toEqual([
      'conversation.opened',
      'message.received',
      'note.added',
      'conversation.assigned',
      'conversation.resolved',
      'note.added',
      'conversation.reopened',
    ]);
    expect(response.body.items[3]).toMatchObject({ reference: conversationId, data: { conversationId, from: null, to: hub.agentId, by: hub.agentId } });
    expect(response.body.items[2].data).toMatchObject({ conversationId, agentId: hub.agentId, excerpt: 'Courier lost it; resend' });
  });

  it('filters by kind family and exact kind, comma-separated', async () => {
    const { customerId } = await chatWithAgentWork();

    expect(kindsOf(await get(`/api/customers/${customerId}/timeline?kind=note`))).toEqual(['note.added', 'note.added']);
    expect(kindsOf(await get(`/api/customers/${customerId}/timeline?kind=message.received,conversation.resolved&order=oldest`))).toEqual([
      'message.received',
      'conversation.resolved',
    ]);
  });

  it('filters by time range (from inclusive, to exclusive)', async () => {
    const { customerId } = await chatWithAgentWork();
    const all = (await get(`/api/customers/${customerId}/timeline?order=oldest`)).body.items as { at: string; kind: string }[];
    const from = all[2]!.at;
    const to = all[5]!.at;

    const response = await get(`/api/customers/${customerId}/timeline?order=oldest&from=${from}&to=${to}`);

    expect(response.body.items.every((event: { at: string }) => event.at >= from && event.at < to)).toBe(true);
    expect(response.body.items.length).toBe(all.filter((event) => event.at >= from && event.at < to).length);
    expect(response.body.items.length).toBeGreaterThan(0);
  });

  it('pages oldest first with a cursor without skipping or repeating', async () => {
    const { customerId } = await chatWithAgentWork();
    const all = (await get(`/api/customers/${customerId}/timeline?order=oldest`)).body.items.map((event: { id: string }) => event.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: request.Response = await get(`/api/customers/${customerId}/timeline?order=oldest&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...response.body.items.map((event: { id: string }) => event.id));
      cursor = response.body.nextCursor;
    } while (cursor && seen.length < 50);
    expect(seen).toEqual(all);
  });

  it.each([
    ['an unknown kind', 'kind=telepathy', 'validation_failed'],
    ['a from that is not a time', 'from=yesterday', 'validation_failed'],
    ['an unknown order', 'order=random', 'validation_failed'],
  ])('answers 400 to %s', async (_case, query, code) => {
    const { customerId } = await chatWithAgentWork();
    const response = await get(`/api/customers/${customerId}/timeline?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
  });
});

describe('notes', () => {
  it('are listed per customer and per conversation, newest first', async () => {
    const { customerId, conversationId } = await chatWithAgentWork();

    const onCustomer = await get(`/api/customers/${customerId}/notes`);
    const onConversation = await get(`/api/conversations/${conversationId}/notes`);

    expect(onCustomer.body.items.map((note: { body: string }) => note.body)).toEqual(['Offer a voucher next time', 'Courier lost it; resend']);
    expect(onConversation.body.items).toEqual([
      { id: expect.stringMatching(/^note_/), customerId, conversationId, agentId: hub.agentId, body: 'Courier lost it; resend', createdAt: expect.any(String) },
    ]);
  });

  it('are never shown to the customer', async () => {
    const { socket } = await chatWithAgentWork();
    const heard: unknown[] = [];
    socket.onAny((event, payload) => heard.push([event, payload]));

    const since = await socket.emitWithAck('messages:since', {});
    await post(`/api/customers/${(await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Any news?' })).message.customerId}/notes`, {
      body: 'Internal: do not tell the customer about the warehouse fire',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(since.messages.map((message: { body: string }) => message.body)).toEqual(['My parcel is late']);
    expect(JSON.stringify(heard)).not.toContain('warehouse');
  });

  it('reach every open console live, so colleagues see them without a reload', async () => {
    const { conversationId } = await chatWithAgentWork();
    const console_ = await connectAgent(hub.url, hub.token);
    const heard = nextEvent(console_, 'note:new', (note: { conversationId: string }) => note.conversationId === conversationId);

    const added = await post(`/api/conversations/${conversationId}/notes`, { body: 'Reship sent today' });

    expect(await heard).toEqual(added.body);
  });

  it.each([
    ['an empty body', { body: '   ' }, 400],
    ['a body that is too long', { body: 'x'.repeat(10_001) }, 400],
  ])('refuses %s', async (_case, body, status) => {
    const { customerId } = await chatWithAgentWork();
    const response = await post(`/api/customers/${customerId}/notes`, body);
    expect(response.status).toBe(status);
    expect((await get(`/api/customers/${customerId}/notes`)).body.items).toHaveLength(2);
  });

  it('answers 404 for a conversation that does not exist', async () => {
    const response = await post('/api/conversations/cnv_nothing/notes', { body: 'Hello' });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('conversation_not_found');
  });
});

describe('PATCH /api/conversations/:id', () => {
  it('answers 400 to an unknown assignee and an empty change, and changes nothing', async () => {
    const { customerId, conversationId } = await chatWithAgentWork();
    const before = (await get(`/api/customers/${customerId}/timeline`)).body.items.length;

    const unknown = await patch(`/api/conversations/${conversationId}`, { assigneeId: 'agt_nobody', status: 'resolved' });
    const empty = await patch(`/api/conversations/${conversationId}`, {});

    expect([unknown.status, empty.status]).toEqual([400, 400]);
    expect((await get(`/api/conversations/${conversationId}`)).body.status).toBe('open');
    expect((await get(`/api/customers/${customerId}/timeline`)).body.items.length).toBe(before);
  });
});
