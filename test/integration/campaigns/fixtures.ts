import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Identity } from '../../../server/domain/identities';
import { ingest } from '../../../server/domain/ingest';
import type { SignedInHub } from '../../support/signedInHub';
import { login } from '../../support/sockets';

export const errorBody = (code: string) => ({ error: expect.objectContaining({ code, message: expect.any(String) }) });
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** A signed-in agent who is not an admin, with request helpers. */
export async function plainAgent(hub: SignedInHub) {
  const email = `agent-${randomUUID().slice(0, 8)}@example.com`;
  const created = await hub.post('/api/agents', { email, name: 'Plain agent', password: 'agent-password-1', role: 'agent' });
  expect(created.status).toBe(201);
  const { token } = await login(hub.url, { email, password: 'agent-password-1' });
  const auth = { authorization: `Bearer ${token}` };
  return {
    get: (path: string) => request(hub.handler).get(path).set(auth),
    post: (path: string, body: object) => request(hub.handler).post(path).set(auth).send(body),
    patch: (path: string, body: object) => request(hub.handler).patch(path).set(auth).send(body),
    delete: (path: string) => request(hub.handler).delete(path).set(auth),
  };
}

/** A customer through the API: name, identities, attributes and tags as given. */
export async function createCustomer(hub: SignedInHub, fields: Record<string, unknown>): Promise<string> {
  const response = await hub.post('/api/customers', fields);
  expect(response.status).toBe(201);
  return response.body.id as string;
}

/** An order placed `days` ago through the API (its timeline event is dated then too). */
export async function placeOrder(hub: SignedInHub, customerId: string, days: number, total: string): Promise<void> {
  const response = await hub.post(`/api/customers/${customerId}/orders`, {
    number: `N-${randomUUID().slice(0, 8)}`,
    currency: 'EUR',
    items: [{ product: 'Thing', quantity: 1, unitPrice: total }],
    placedAt: daysAgo(days),
  });
  expect(response.status).toBe(201);
}

/**
 * The customer wrote to support `days` ago about something the classifier called `intent`: a real
 * ingest, then the conversation's intent and its timeline moved back in time (no workers run here).
 */
export async function contactedSupport(hub: SignedInHub, identity: Identity, days: number, intent: string): Promise<void> {
  const { conversation } = await ingest(hub.domain, { channel: 'chat', identities: [identity], body: 'Please help' });
  await hub.db.query('UPDATE conversations SET intent = $2 WHERE id = $1', [conversation.id, intent]);
  await hub.db.query(
    `UPDATE timeline_events SET at = now() - make_interval(days => $2)
      WHERE reference = $1 OR data ->> 'conversationId' = $1`,
    [conversation.id, days],
  );
}
