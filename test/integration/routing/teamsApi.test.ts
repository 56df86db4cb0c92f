import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, nextEvent } from '../../support/sockets';
import { conversationRow, newAgent, newConversation, newCustomer, newTeam, onlineAgent, WAIT_MS } from './fixtures';

/** The admins' API for teams and agents: what it accepts, what it refuses, and who may use it. */
const hub = signedInHub();
afterEach(closeAllSockets);

const name = () => `Team ${randomUUID().slice(0, 8)}`;
const as = (token: string) => ({
  get: (path: string) => request(hub.handler).get(path).set({ authorization: `Bearer ${token}` }),
  send: (method: 'post' | 'patch' | 'put' | 'delete', path: string, body: object = {}) =>
    request(hub.handler)[method](path).set({ authorization: `Bearer ${token}` }).send(body),
});

describe('teams', () => {
  it('creates a team with its strategy, intents and default flag, and lists it with its members', async () => {
    const created = await hub.post('/api/teams', { name: 'Refunds', strategy: 'skills', intents: ['get_refund', 'track_refund', 'get_refund'] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^team_/),
      name: 'Refunds',
      strategy: 'skills',
      intents: ['get_refund', 'track_refund'],
      isDefault: false,
      members: [],
      createdAt: expect.any(String),
    });
    const agent = await newAgent(hub);
    const members = await hub.put(`/api/teams/${created.body.id}/members`, { members: [{ agentId: agent.id, role: 'supervisor' }] });
    expect(members.status).toBe(200);
    expect(members.body.members).toEqual([{ agentId: agent.id, role: 'supervisor' }]);
    const listed = (await hub.get('/api/teams')).body.items.find((team: { id: string }) => team.id === created.body.id);
    expect(listed).toEqual(members.body);
  });

  it('defaults to least_loaded, no intents, not the default team', async () => {
    const created = await hub.post('/api/teams', { name: name() });
    expect(created.body).toMatchObject({ strategy: 'least_loaded', intents: [], isDefault: false });
  });

  it.each([
    ['an intent the classifier does not know', { intents: ['buy_a_boat'] }],
    ['an unknown strategy', { strategy: 'random' }],
    ['an empty name', { name: ' ' }],
    ['an unknown field', { colour: 'blue' }],
    ['intents that are not a list', { intents: 'get_refund' }],
  ])('answers 400 validation_failed to %s', async (_case, fields) => {
    const response = await hub.post('/api/teams', { name: name(), ...fields });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
  });

  it('keeps one default team: a second one is 409 default_team_taken, until the first lets go', async () => {
    const first = await hub.post('/api/teams', { name: name(), isDefault: true });
    expect(first.status).toBe(201);
    const second = await hub.post('/api/teams', { name: name(), isDefault: true });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'default_team_taken', details: { teamId: first.body.id } });
    const other = await hub.post('/api/teams', { name: name() });
    expect((await hub.patch(`/api/teams/${other.body.id}`, { isDefault: true })).status).toBe(409);

    expect((await hub.patch(`/api/teams/${first.body.id}`, { isDefault: false })).body).toMatchObject({ isDefault: false });
    expect((await hub.patch(`/api/teams/${other.body.id}`, { isDefault: true })).body).toMatchObject({ isDefault: true });
    expect((await hub.patch(`/api/teams/${other.body.id}`, { isDefault: false })).status).toBe(200);
  });

  it('answers 409 team_name_taken to a name in use, in any case', async () => {
    const taken = name();
    await hub.post('/api/teams', { name: taken });
    const again = await hub.post('/api/teams', { name: taken.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('team_name_taken');
    const other = await hub.post('/api/teams', { name: name() });
    expect((await hub.patch(`/api/teams/${other.body.id}`, { name: taken })).status).toBe(409);
  });

  it('changes a team, and answers 404 for one that does not exist', async () => {
    const team = await hub.post('/api/teams', { name: name() });
    const changed = await hub.patch(`/api/teams/${team.body.id}`, { strategy: 'round_robin', intents: ['review'] });
    expect(changed.body).toMatchObject({ strategy: 'round_robin', intents: ['review'], name: team.body.name });
    for (const response of [
      await hub.patch('/api/teams/team_nope', { strategy: 'round_robin' }),
      await hub.put('/api/teams/team_nope/members', { members: [] }),
      await hub.delete('/api/teams/team_nope'),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
  });

  it('refuses members that are not agents or are listed twice, and changes nothing', async () => {
    const agent = await newAgent(hub);
    const team = await newTeam(hub, {}, [agent]);
    const unknown = await hub.put(`/api/teams/${team.id}/members`, { members: [{ agentId: 'agt_nobody' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_failed');
    const twice = await hub.put(`/api/teams/${team.id}/members`, { members: [{ agentId: agent.id }, { agentId: agent.id, role: 'supervisor' }] });
    expect(twice.status).toBe(400);
    const role = await hub.put(`/api/teams/${team.id}/members`, { members: [{ agentId: agent.id, role: 'boss' }] });
    expect(role.status).toBe(400);
    expect((await hub.get('/api/teams')).body.items.find((t: { id: string }) => t.id === team.id).members).toEqual([{ agentId: agent.id, role: 'member' }]);
  });

  it('deletes a team and routes its waiting conversations again, here to the team of their intent', async () => {
    const watcher = await connectAgent(hub.url, hub.token);
    const doomed = await newTeam(hub, {}, [await newAgent(hub)]);
    const conversationId = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'check_payment_methods' });
    expect((await hub.patch(`/api/conversations/${conversationId}`, { teamId: doomed.id })).body).toMatchObject({ queuedAt: expect.any(String) });
    const agent = await onlineAgent(hub);
    const payments = await newTeam(hub, { intents: ['check_payment_methods'] }, [agent]);

    const rerouted = nextEvent(watcher, 'conversation:updated', (c: { id: string; assigneeId: string | null }) => c.id === conversationId && c.assigneeId !== null, WAIT_MS);
    const deleted = await hub.delete(`/api/teams/${doomed.id}`);
    expect(deleted.status).toBe(204);
    await expect(rerouted).resolves.toMatchObject({ teamId: payments.id, assigneeId: agent.id });
    await expect(conversationRow(hub.db, conversationId)).resolves.toMatchObject({ assigned_by: 'router' });
  });
});

describe('agents', () => {
  it('creates an agent with capacity and skills, who can sign in, and lists them with presence and load', async () => {
    const email = `new-${randomUUID().slice(0, 8)}@example.com`;
    const created = await hub.post('/api/agents', { email, name: 'Li Wei', password: 'a-long-password', capacity: 3, skills: ['zh', 'get_refund'] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^agt_/),
      email,
      name: 'Li Wei',
      role: 'agent',
      capacity: 3,
      skills: ['zh', 'get_refund'],
      avatarUrl: null,
      load: 0,
      teamIds: [],
      online: false,
      status: 'available',
    });
    const login = await request(hub.handler).post('/api/auth/login').send({ email, password: 'a-long-password' });
    expect(login.status).toBe(200);
    expect((await hub.get('/api/agents')).body.items).toContainEqual(created.body);
  });

  it.each([
    ['a negative capacity', { capacity: -1 }],
    ['a fractional capacity', { capacity: 1.5 }],
    ['a skill that is neither an intent nor a language', { skills: ['juggling'] }],
    ['a bad email', { email: 'not-an-email' }],
    ['a short password', { password: 'short' }],
    ['an unknown role', { role: 'owner' }],
  ])('answers 400 validation_failed to %s', async (_case, fields) => {
    const response = await hub.post('/api/agents', { email: `x-${randomUUID().slice(0, 8)}@example.com`, name: 'X', password: 'a-long-password', ...fields });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
  });

  it('answers 409 agent_email_taken to an email in use, in any case', async () => {
    const email = `taken-${randomUUID().slice(0, 8)}@example.com`;
    await hub.post('/api/agents', { email, name: 'First', password: 'a-long-password' });
    const again = await hub.post('/api/agents', { email: email.toUpperCase(), name: 'Second', password: 'a-long-password' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('agent_email_taken');
  });

  it('changes an agent, refuses a negative capacity, and answers 404 for one that does not exist', async () => {
    const agent = await newAgent(hub);
    const changed = await hub.patch(`/api/agents/${agent.id}`, { name: 'Renamed', capacity: 0, skills: ['en'] });
    expect(changed.body).toMatchObject({ name: 'Renamed', capacity: 0, skills: ['en'] });
    expect((await hub.patch(`/api/agents/${agent.id}`, { capacity: -2 })).status).toBe(400);
    expect((await hub.patch('/api/agents/agt_nope', { capacity: 2 })).status).toBe(404);
  });

  it("sets and removes an agent's avatar, which the widget shows beside their messages", async () => {
    const agent = await newAgent(hub);
    const avatarUrl = 'https://cdn.example.com/avatars/li.png';

    expect((await hub.patch(`/api/agents/${agent.id}`, { avatarUrl })).body).toMatchObject({ avatarUrl, name: expect.any(String) });
    expect((await hub.patch(`/api/agents/${agent.id}`, { avatarUrl: 'javascript:alert(1)' })).status).toBe(400);
    expect((await hub.patch(`/api/agents/${agent.id}`, { name: 'Kept' })).body).toMatchObject({ avatarUrl, name: 'Kept' });
    expect((await hub.patch(`/api/agents/${agent.id}`, { avatarUrl: null })).body.avatarUrl).toBeNull();
  });
});

describe('who may', () => {
  it('lets any agent read teams and agents, and only admins change them', async () => {
    const agent = await newAgent(hub);
    const team = await newTeam(hub, {}, []);
    const plain = as(agent.token);
    expect((await plain.get('/api/teams')).status).toBe(200);
    expect((await plain.get('/api/agents')).status).toBe(200);
    for (const [method, path, body] of [
      ['post', '/api/teams', { name: name() }],
      ['patch', `/api/teams/${team.id}`, { strategy: 'round_robin' }],
      ['put', `/api/teams/${team.id}/members`, { members: [{ agentId: agent.id }] }],
      ['delete', `/api/teams/${team.id}`, {}],
      ['post', '/api/agents', { email: 'sneaky@example.com', name: 'Sneaky', password: 'a-long-password', role: 'admin' }],
      ['patch', `/api/agents/${agent.id}`, { capacity: 100 }],
    ] as const) {
      const response = await plain.send(method, path, body);
      expect([method, path, response.status, response.body.error?.code]).toEqual([method, path, 403, 'forbidden']);
    }
    expect((await request(hub.handler).get('/api/teams')).status).toBe(401);
    expect((await request(hub.handler).get('/api/agents')).status).toBe(401);
  });
});
