import { type SmtpSink, startSmtpSink } from '../../support/smtpSink';
import { signedInHub } from '../../support/signedInHub';
import { createCustomer, errorBody, plainAgent } from './fixtures';

/**
 * Campaign drafts: saving checks templates (line and column), only drafts change, the preview
 * renders for a customer, and a test send reaches a real SMTP server and records nothing.
 */
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());

const hub = signedInHub(
  () => ({
    SMTP_OUT_URL: sink.url,
    PUBLIC_URL: 'https://hub.example.com',
    // Port 1 on loopback refuses connections: a mail server that is down.
    CAMPAIGN_SMTP_ACCOUNTS: JSON.stringify({ bulk: { url: 'smtp://127.0.0.1:1', ratePerSecond: 5 } }),
  }),
  { workers: false },
);

let segmentId: string;
let adaId: string;
beforeAll(async () => {
  adaId = await createCustomer(hub, { name: 'Ada <Lovelace>', email: 'ada@example.com', tags: ['launch'], attributes: { plan: 'pro & more' } });
  await createCustomer(hub, { email: 'nameless@example.com', tags: ['launch'] });
  segmentId = (await hub.post('/api/segments', { name: 'Launch list', filter: { field: 'tag', op: 'eq', value: 'launch' } })).body.id;
});

const draft = (fields: Record<string, unknown> = {}) => ({
  name: 'Spring launch',
  segmentId,
  from: { email: 'news@shop.example.com', name: 'Shop News' },
  subject: 'Hi {{default customer.firstName "there"}}',
  html: '<p>Hello {{default customer.name "friend"}}</p>\n<p>Your plan: {{customer.attributes.plan}}</p>\n<a href="{{unsubscribeUrl}}">Unsubscribe</a>',
  text: 'Hello {{default customer.name "friend"}}\nUnsubscribe: {{unsubscribeUrl}}',
  ...fields,
});

async function createDraft(fields: Record<string, unknown> = {}) {
  const response = await hub.post('/api/campaigns', draft(fields));
  expect(response.status).toBe(201);
  return response.body as { id: string; [key: string]: unknown };
}

const campaignCount = async () => Number((await hub.db.query<{ n: string }>('SELECT count(*) AS n FROM campaigns'))[0]!.n);

describe('creating campaigns', () => {
  it('stores a draft with its defaults and answers the full shape', async () => {
    const response = await hub.post('/api/campaigns', { name: 'Bare', from: { email: 'news@shop.example.com' } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^cmp_/),
      name: 'Bare',
      segmentId: null,
      from: { email: 'news@shop.example.com', name: '' },
      subject: '',
      html: '',
      text: '',
      status: 'draft',
      scheduledAt: null,
      timezone: null,
      ratePerSecond: 10,
      ratePerHour: null,
      smtpAccount: null,
      stats: { recipients: 0, sent: 0, failed: 0, bounced: 0, opened: 0, clicked: 0, unsubscribed: 0, pending: 0, skipped: 0 },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      startedAt: null,
      finishedAt: null,
    });
    expect((await hub.get(`/api/campaigns/${response.body.id}`)).body).toEqual(response.body);
  });

  it('keeps every field given', async () => {
    const created = await createDraft({ ratePerSecond: 2.5, ratePerHour: 1000, smtpAccount: 'bulk' });
    expect(created).toEqual(expect.objectContaining({ ...draft(), ratePerSecond: 2.5, ratePerHour: 1000, smtpAccount: 'bulk', status: 'draft' }));
  });

  it.each([
    [{ ratePerSecond: 0 }, 'ratePerSecond'],
    [{ ratePerSecond: -1 }, 'ratePerSecond'],
    [{ ratePerHour: 0 }, 'ratePerHour'],
    [{ from: { email: 'not an address' } }, 'from.email'],
    [{ name: '' }, 'name'],
    [{ smtpAccount: 'nowhere' }, 'smtpAccount'],
    [{ segmentId: 'seg_missing' }, 'segmentId'],
    [{ status: 'sent' }, 'status'],
  ])('refuses %j with 400 validation_failed and stores nothing', async (fields, where) => {
    const before = await campaignCount();
    const response = await hub.post('/api/campaigns', draft(fields));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
    expect(response.body.error.message).toContain(where === 'status' ? 'status' : where);
    expect(await campaignCount()).toBe(before);
  });

  it.each([
    ['html', '<p>Hi</p>\n<p>{{customer.name}}</p>\n<p>{{customer.favouriteColour}}</p>', { line: 3, column: 6 }],
    ['subject', 'Hello {{customer.firstName', { line: 1, column: 7 }],
    ['text', 'Hi\n{{#if customer.name}}\nthere', { line: 2, column: 1 }],
    ['html', '{{#if customer.name}}x{{/unless}}', { line: 1, column: 23 }],
    ['text', 'Price: {{{customer.attributes.price}}}', { line: 1, column: 8 }],
  ])('refuses a broken %s template with 400 invalid_template at its line and column', async (field, source, where) => {
    const before = await campaignCount();
    const response = await hub.post('/api/campaigns', draft({ [field]: source }));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_template'));
    expect(response.body.error.details).toEqual({ field, ...where });
    expect(response.body.error.message).toContain(`line ${where.line}, column ${where.column}`);
    expect(await campaignCount()).toBe(before);
  });
});

describe('editing and deleting', () => {
  it('changes a draft, field by field', async () => {
    const { id } = await createDraft();
    const response = await hub.patch(`/api/campaigns/${id}`, { name: 'Renamed', subject: 'New {{customer.email}}', ratePerSecond: 1, from: { email: 'hello@shop.example.com' } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(
      expect.objectContaining({ name: 'Renamed', subject: 'New {{customer.email}}', ratePerSecond: 1, html: draft().html, from: { email: 'hello@shop.example.com', name: '' } }),
    );
    expect((await hub.patch(`/api/campaigns/${id}`, { segmentId: null })).body.segmentId).toBeNull();
  });

  it('refuses a broken template in an edit and keeps the draft as it was', async () => {
    const { id } = await createDraft();
    const response = await hub.patch(`/api/campaigns/${id}`, { text: 'ok\nstill ok\n  {{/if}}' });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual({ field: 'text', line: 3, column: 3 });
    expect((await hub.get(`/api/campaigns/${id}`)).body.text).toBe(draft().text);
    expect((await hub.patch(`/api/campaigns/${id}`, { ratePerSecond: 0 })).status).toBe(400);
  });

  it.each(['scheduled', 'sending', 'paused', 'sent', 'cancelled'])('refuses to edit or delete a %s campaign: 409 campaign_state', async (status) => {
    const { id } = await createDraft();
    await hub.db.query('UPDATE campaigns SET status = $2 WHERE id = $1', [id, status]);
    const edit = await hub.patch(`/api/campaigns/${id}`, { subject: 'Sneaky change' });
    expect(edit.status).toBe(409);
    expect(edit.body).toEqual(errorBody('campaign_state'));
    expect(edit.body.error.details).toEqual({ status });
    const removal = await hub.delete(`/api/campaigns/${id}`);
    expect(removal.status).toBe(409);
    expect(removal.body.error.details).toEqual({ status });
    const stored = (await hub.get(`/api/campaigns/${id}`)).body;
    expect(stored).toEqual(expect.objectContaining({ status, subject: draft().subject }));
  });

  it('deletes a draft; an unknown campaign is 404 campaign_not_found', async () => {
    const { id } = await createDraft();
    expect((await hub.delete(`/api/campaigns/${id}`)).status).toBe(204);
    for (const response of [await hub.get(`/api/campaigns/${id}`), await hub.patch(`/api/campaigns/${id}`, { name: 'x' }), await hub.delete(`/api/campaigns/${id}`)]) {
      expect(response.status).toBe(404);
      expect(response.body).toEqual(errorBody('campaign_not_found'));
    }
  });
});

describe('listing', () => {
  it('pages newest first and filters by status', async () => {
    const made = [await createDraft({ name: 'List 1' }), await createDraft({ name: 'List 2' }), await createDraft({ name: 'List 3' })];
    await hub.db.query("UPDATE campaigns SET status = 'paused' WHERE id = $1", [made[1]!.id]);
    const first = await hub.get('/api/campaigns?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((item: { name: string }) => item.name)).toEqual(['List 3', 'List 2']);
    const second = await hub.get(`/api/campaigns?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].name).toBe('List 1');
    const paused = await hub.get('/api/campaigns?status=paused');
    expect(paused.body.items.map((item: { id: string }) => item.id)).toContain(made[1]!.id);
    expect(paused.body.items.every((item: { status: string }) => item.status === 'paused')).toBe(true);
    expect((await hub.get('/api/campaigns?status=nope')).status).toBe(400);
    expect((await hub.get('/api/campaigns?cursor=garbage')).body).toEqual(errorBody('invalid_cursor'));
  });
});

describe('POST /api/campaigns/preview', () => {
  it('renders for a customer, escaping their values in the HTML only', async () => {
    const response = await hub.post('/api/campaigns/preview', { ...pick(draft(), 'subject', 'html', 'text'), customerId: adaId });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      subject: 'Hi Ada',
      html: '<p>Hello Ada &lt;Lovelace&gt;</p>\n<p>Your plan: pro &amp; more</p>\n<a href="https://hub.example.com/u/preview">Unsubscribe</a>',
      text: 'Hello Ada <Lovelace>\nUnsubscribe: https://hub.example.com/u/preview',
      customerId: adaId,
    });
  });

  it('uses the defaults where the customer has no value', async () => {
    const nameless = await createCustomer(hub, { email: 'who@example.com' });
    const response = await hub.post('/api/campaigns/preview', { ...pick(draft(), 'subject', 'html', 'text'), customerId: nameless });
    expect(response.body.subject).toBe('Hi there');
    expect(response.body.text).toContain('Hello friend');
    expect(response.body.html).toContain('Your plan: </p>');
  });

  it('renders for an example customer without customerId', async () => {
    const response = await hub.post('/api/campaigns/preview', { subject: '{{customer.firstName}} {{customer.lastName}} <{{customer.email}}>' });
    expect(response.body).toEqual({ subject: 'Ada Lovelace <ada@example.com>', html: '', text: '', customerId: null });
  });

  it('refuses a broken template and an unknown customer', async () => {
    const broken = await hub.post('/api/campaigns/preview', { html: '<p>\n{{customer.shoeSize}}</p>' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.details).toEqual({ field: 'html', line: 2, column: 3 });
    const unknown = await hub.post('/api/campaigns/preview', { subject: 'x', customerId: 'cus_nobody' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(errorBody('customer_not_found'));
  });
});

describe('POST /api/campaigns/:id/test-send', () => {
  it('sends the campaign as the chosen customer gets it to the given address, into the SMTP sink', async () => {
    const { id } = await createDraft();
    const response = await hub.post(`/api/campaigns/${id}/test-send`, { email: 'marketer@shop.example.com', customerId: adaId });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ to: 'marketer@shop.example.com', messageId: expect.stringMatching(/^<test\.cmp_.+@example\.com>$/), customerId: adaId });

    const message = await sink.next((mail) => mail.mail.messageId === response.body.messageId);
    expect(message.envelope.to).toEqual(['marketer@shop.example.com']);
    expect(message.mail.from?.value).toEqual([{ address: 'news@shop.example.com', name: 'Shop News' }]);
    expect(message.mail.subject).toBe('[Test] Hi Ada');
    expect(message.mail.html).toContain('<p>Hello Ada &lt;Lovelace&gt;</p>');
    expect(message.mail.html).toContain('pro &amp; more');
    expect(message.mail.text?.trim()).toBe('Hello Ada <Lovelace>\nUnsubscribe: https://hub.example.com/u/preview');
    expect(message.mail.headers.get('x-campaign-test')).toBe('yes');
  });

  it('records nothing: no recipient, no stats, no timeline, the draft stays a draft', async () => {
    const { id } = await createDraft();
    const events = async () => (await hub.db.query("SELECT id FROM timeline_events WHERE kind LIKE 'campaign.%'")).length;
    const before = await events();
    expect((await hub.post(`/api/campaigns/${id}/test-send`, { email: 'marketer@shop.example.com' })).status).toBe(200);
    expect(await hub.db.query('SELECT id FROM campaign_recipients WHERE campaign_id = $1', [id])).toHaveLength(0);
    expect(await events()).toBe(before);
    expect((await hub.get(`/api/campaigns/${id}`)).body).toEqual(expect.objectContaining({ status: 'draft', stats: expect.objectContaining({ sent: 0 }) }));
  });

  it('renders for the newest customer of the segment when no customer is named', async () => {
    const { id } = await createDraft();
    const newest = await createCustomer(hub, { name: 'Newest Person', email: 'newest@example.com', tags: ['launch'] });
    const response = await hub.post(`/api/campaigns/${id}/test-send`, { email: 'qa@shop.example.com' });
    expect(response.body.customerId).toBe(newest);
    expect((await sink.next((mail) => mail.mail.messageId === response.body.messageId)).mail.subject).toBe('[Test] Hi Newest');
  });

  it('refuses a campaign with nothing to send, and a bad address', async () => {
    const { id } = await createDraft({ subject: '' });
    const noSubject = await hub.post(`/api/campaigns/${id}/test-send`, { email: 'qa@shop.example.com' });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.error.message).toContain('subject');
    const { id: bodyless } = await createDraft({ html: '', text: ' ' });
    expect((await hub.post(`/api/campaigns/${bodyless}/test-send`, { email: 'qa@shop.example.com' })).body.error.message).toContain('body');
    const badAddress = await hub.post(`/api/campaigns/${id}/test-send`, { email: 'qa at shop' });
    expect(badAddress.body).toEqual(errorBody('validation_failed'));
    expect((await hub.post('/api/campaigns/cmp_nothing/test-send', { email: 'qa@shop.example.com' })).status).toBe(404);
  });

  it('says so when the mail server refuses (422) or cannot be reached (503)', async () => {
    sink.refuse('bounce@shop.example.com', 550);
    const { id } = await createDraft();
    const refused = await hub.post(`/api/campaigns/${id}/test-send`, { email: 'bounce@shop.example.com' });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual(errorBody('email_rejected'));
    const { id: viaBulk } = await createDraft({ smtpAccount: 'bulk' });
    const down = await hub.post(`/api/campaigns/${viaBulk}/test-send`, { email: 'qa@shop.example.com' });
    expect(down.status).toBe(503);
    expect(down.body).toEqual(errorBody('unavailable'));
  });
});

describe('who may do what', () => {
  it('lets every agent read and preview; only admins write and test-send', async () => {
    const agent = await plainAgent(hub);
    const { id } = await createDraft();
    expect((await agent.get('/api/campaigns')).status).toBe(200);
    expect((await agent.get(`/api/campaigns/${id}`)).status).toBe(200);
    expect((await agent.post('/api/campaigns/preview', { subject: 'Hi' })).status).toBe(200);
    for (const response of [
      await agent.post('/api/campaigns', draft()),
      await agent.patch(`/api/campaigns/${id}`, { name: 'Mine' }),
      await agent.delete(`/api/campaigns/${id}`),
      await agent.post(`/api/campaigns/${id}/test-send`, { email: 'me@example.com' }),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body).toEqual(errorBody('forbidden'));
    }
  });
});

function pick<T extends Record<string, unknown>>(source: T, ...keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.map((key) => [key, source[key]])) as Partial<T>;
}
