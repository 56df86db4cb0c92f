import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, nextEvent } from '../../support/sockets';
import { makeForm, storedRows, uniqueEmail, uniqueIp } from './fixtures';

const hub = signedInHub();
afterEach(closeAllSockets);

type Event = { kind: string; reference: string | null; data: Record<string, unknown> };

const asAgent = (path: string) => request(hub.handler).get(path).set('authorization', `Bearer ${hub.token}`);
/** A submission from a client address of its own. */
const submit = (key: string) => request(hub.handler).post(`/api/forms/${key}`).set('x-forwarded-for', uniqueIp());
const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });

/**
 * An attachment's bytes over the hub's real port: supertest closes its throwaway server as soon
 * as it has read a streamed body, sometimes before Koa saw the stream finish.
 */
async function download(attachmentId: string): Promise<Buffer> {
  const response = await fetch(`${hub.url}/api/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${hub.token}` } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function timelineOf(customerId: string): Promise<Event[]> {
  const response = await asAgent(`/api/customers/${customerId}/timeline`);
  expect(response.status).toBe(200);
  return response.body.items;
}

async function submissionsOf(formKey: string) {
  const response = await asAgent(`/api/forms/${formKey}/submissions`);
  expect(response.status).toBe(200);
  return response.body.items as { id: string; customerId: string; conversationId: string | null; messageId: string | null; fields: Record<string, unknown> }[];
}

describe('POST /api/forms/:formKey from a plain HTML form', () => {
  it('stores an urlencoded submission and sends the browser on with 303 to exactly the redirect URL', async () => {
    const form = await makeForm(hub, { redirectUrl: 'https://example.com/thanks?from=contact' });
    const email = uniqueEmail('browser');

    const response = await submit(form.key)
      .set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8')
      .type('form')
      .send(`name=Ada+Lovelace&email=${encodeURIComponent(email)}&message=Please+call+me&topic=billing&topic=refunds`);

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('https://example.com/thanks?from=contact');
    const [submission] = await submissionsOf(form.key);
    expect(submission!.fields).toEqual({ name: 'Ada Lovelace', email, message: 'Please call me', topic: ['billing', 'refunds'] });
    const customer = await asAgent(`/api/customers/${submission!.customerId}`);
    expect(customer.body).toMatchObject({ name: 'Ada Lovelace', email });
  });

  it('answers 201 with the ids when the form has no redirect URL', async () => {
    const form = await makeForm(hub);

    const response = await submit(form.key).set('accept', 'text/html').type('form').send({ email: uniqueEmail('noredirect'), message: 'Hello' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      submissionId: expect.stringMatching(/^fsub_/),
      customerId: expect.stringMatching(/^cus_/),
      conversationId: expect.stringMatching(/^cnv_/),
      messageId: expect.stringMatching(/^msg_/),
    });
  });
});

describe('POST /api/forms/:formKey from fetch', () => {
  it('answers 201 with the ids to a JSON body even when the form redirects browsers', async () => {
    const form = await makeForm(hub, { redirectUrl: 'https://example.com/thanks' });

    const response = await submit(form.key).send({ email: uniqueEmail('json'), message: 'From fetch' });

    expect(response.status).toBe(201);
    expect(response.body.submissionId).toMatch(/^fsub_/);
  });

  it('answers 201 to an urlencoded body sent with Accept: application/json', async () => {
    const form = await makeForm(hub, { redirectUrl: 'https://example.com/thanks' });

    const response = await submit(form.key).set('accept', 'application/json').type('form').send({ email: uniqueEmail('accept'), message: 'Hi' });

    expect(response.status).toBe(201);
    expect(response.body.conversationId).toMatch(/^cnv_/);
  });
});

describe('a form that opens a conversation', () => {
  it('opens a new form conversation whose one message is the message field, and puts it all on the timeline', async () => {
    const form = await makeForm(hub, { name: 'Support request' });
    const email = uniqueEmail('ticket');

    const response = await submit(form.key).send({ name: 'Grace', email, subject: 'Printer on fire', message: 'It is on fire.', order: 1042, urgent: true });

    expect(response.status).toBe(201);
    const { customerId, conversationId, messageId, submissionId } = response.body;
    const conversation = await asAgent(`/api/conversations/${conversationId}`);
    expect(conversation.body).toMatchObject({ customerId, channel: 'form', status: 'open', subject: 'Printer on fire' });
    const messages = await asAgent(`/api/conversations/${conversationId}/messages`);
    expect(messages.body.items).toEqual([
      expect.objectContaining({ id: messageId, channel: 'form', direction: 'inbound', body: 'It is on fire.', author: { kind: 'customer', id: customerId, name: 'Grace', avatarUrl: null } }),
    ]);
    const fields = { name: 'Grace', email, subject: 'Printer on fire', message: 'It is on fire.', order: '1042', urgent: 'true' };
    expect((await timelineOf(customerId)).map(({ kind, reference, data }) => ({ kind, reference, data }))).toEqual([
      { kind: 'form.submitted', reference: submissionId, data: { formId: form.id, formName: 'Support request', submissionId, fields, conversationId, messageId } },
      { kind: 'message.received', reference: messageId, data: { conversationId, channel: 'form', excerpt: 'It is on fire.' } },
      { kind: 'conversation.opened', reference: conversationId, data: { channel: 'form', subject: 'Printer on fire' } },
    ]);
  });

  it('takes the form name as the subject when none is submitted', async () => {
    const form = await makeForm(hub, { name: 'Callback request' });

    const response = await submit(form.key).send({ email: uniqueEmail('nosubject'), message: 'Call me' });

    const conversation = await asAgent(`/api/conversations/${response.body.conversationId}`);
    expect(conversation.body.subject).toBe('Callback request');
  });

  it('renders every field as the message when the form maps none', async () => {
    const form = await makeForm(hub, { fieldMap: { email: 'Email', name: 'Name' } });
    const email = uniqueEmail('rendered');

    const response = await submit(form.key).send({ Name: 'Linus', Email: email, Company: 'ACME', Interests: ['kernels', 'git'] });

    expect(response.status).toBe(201);
    const messages = await asAgent(`/api/conversations/${response.body.conversationId}/messages`);
    expect(messages.body.items[0].body).toBe(`Name: Linus\nEmail: ${email}\nCompany: ACME\nInterests: kernels, git`);
  });

  it('tells the agent consoles about the new conversation and its message', async () => {
    const form = await makeForm(hub);
    const agent = await connectAgent(hub.url, hub.token);
    const email = uniqueEmail('live');
    const opened = nextEvent<{ id: string; channel: string }>(agent, 'conversation:new', (conversation) => conversation.channel === 'form');
    const received = nextEvent<{ id: string; body: string }>(agent, 'message:new', (message) => message.body === `Live from ${email}`);

    const response = await submit(form.key).send({ email, message: `Live from ${email}` });

    await expect(opened).resolves.toMatchObject({ id: response.body.conversationId });
    await expect(received).resolves.toMatchObject({ id: response.body.messageId });
  });

  it('makes one customer of the same email submitting twice, with a conversation per submission', async () => {
    const form = await makeForm(hub);
    const email = uniqueEmail('twice');

    const first = await submit(form.key).send({ email, message: 'First' });
    const second = await submit(form.key).send({ email: email.toUpperCase(), message: 'Second' });

    expect(second.status).toBe(201);
    expect(second.body.customerId).toBe(first.body.customerId);
    expect(second.body.conversationId).not.toBe(first.body.conversationId);
    const kinds = (await timelineOf(first.body.customerId)).map((event) => event.kind);
    expect(kinds.filter((kind) => kind === 'form.submitted')).toHaveLength(2);
  });

  it('accepts a phone number alone, stored in E.164', async () => {
    const form = await makeForm(hub);

    const response = await submit(form.key).send({ phone: '+44 20 7946 0958', message: 'Ring me' });

    expect(response.status).toBe(201);
    const customer = await asAgent(`/api/customers/${response.body.customerId}`);
    expect(customer.body.phone).toBe('+442079460958');
  });
});

describe('multipart/form-data with files', () => {
  it('attaches the files to the message; their bytes come back to an agent', async () => {
    const form = await makeForm(hub);
    const content = Buffer.from('%PDF-1.4 a tiny invoice\n');

    const response = await submit(form.key)
      .set('accept', 'application/json')
      .field('email', uniqueEmail('multipart'))
      .field('message', 'Invoice attached')
      .attach('invoice', content, { filename: 'invoice.pdf', contentType: 'application/pdf' });

    expect(response.status).toBe(201);
    const messages = await asAgent(`/api/conversations/${response.body.conversationId}/messages`);
    const [attachment] = messages.body.items[0].attachments;
    expect(attachment).toEqual({ id: expect.stringMatching(/^att_/), filename: 'invoice.pdf', contentType: 'application/pdf', size: content.length });
    expect(await download(attachment.id)).toEqual(content);
    const [submission] = await submissionsOf(form.key);
    expect(submission!.fields.invoice).toEqual({ filename: 'invoice.pdf', size: content.length, contentType: 'application/pdf', attachmentId: attachment.id });
  });

  it('ignores a file input left empty', async () => {
    const form = await makeForm(hub);

    const response = await submit(form.key)
      .set('accept', 'application/json')
      .field('email', uniqueEmail('emptyfile'))
      .field('message', 'No file chosen')
      .attach('upload', Buffer.alloc(0), { filename: '', contentType: 'application/octet-stream' });

    expect(response.status).toBe(201);
    const [submission] = await submissionsOf(form.key);
    expect(submission!.fields).not.toHaveProperty('upload');
  });
});

describe('a form that opens no conversation', () => {
  it('stores the submission on the timeline only, its files attached to the submission', async () => {
    const form = await makeForm(hub, { opensConversation: false, name: 'Newsletter' });
    const email = uniqueEmail('newsletter');

    const response = await submit(form.key)
      .set('accept', 'application/json')
      .field('email', email)
      .field('message', 'Sign me up')
      .attach('cv', Buffer.from('resume'), { filename: 'cv.txt', contentType: 'text/plain' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ conversationId: null, messageId: null });
    const { customerId, submissionId } = response.body;
    const timeline = await timelineOf(customerId);
    expect(timeline.map((event) => event.kind)).toEqual(['form.submitted']);
    const fields = timeline[0]!.data.fields as Record<string, { attachmentId: string }>;
    expect(fields).toEqual({ email, message: 'Sign me up', cv: { filename: 'cv.txt', size: 6, contentType: 'text/plain', attachmentId: expect.stringMatching(/^att_/) } });
    const [owner] = await hub.db.query<{ form_submission_id: string; message_id: string | null }>(
      'SELECT form_submission_id, message_id FROM attachments WHERE id = $1',
      [fields.cv!.attachmentId],
    );
    expect(owner).toEqual({ form_submission_id: submissionId, message_id: null });
    expect((await download(fields.cv!.attachmentId)).toString()).toBe('resume');
    expect(await hub.db.query('SELECT id FROM conversations WHERE customer_id = $1', [customerId])).toEqual([]);
  });
});

describe('the honeypot', () => {
  it('drops a submission that fills it, answering success with null ids and storing nothing', async () => {
    const form = await makeForm(hub, { honeypotField: 'website' });
    const before = await storedRows(hub);

    const response = await submit(form.key).send({ email: uniqueEmail('bot'), message: 'Buy now', website: 'http://spam.example' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ submissionId: null, customerId: null, conversationId: null, messageId: null });
    expect(await storedRows(hub)).toEqual(before);
  });

  it('still sends a browser on to the redirect URL', async () => {
    const form = await makeForm(hub, { honeypotField: 'website', redirectUrl: 'https://example.com/thanks' });
    const before = await storedRows(hub);

    const response = await submit(form.key).type('form').send({ email: uniqueEmail('bot'), website: 'x' });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('https://example.com/thanks');
    expect(await storedRows(hub)).toEqual(before);
  });

  it('lets a submission that leaves it empty through, without the honeypot in its fields', async () => {
    const form = await makeForm(hub, { honeypotField: 'website' });
    const email = uniqueEmail('human');

    const response = await submit(form.key).send({ email, message: 'Real person', website: '' });

    expect(response.status).toBe(201);
    const [submission] = await submissionsOf(form.key);
    expect(submission!.fields).toEqual({ email, message: 'Real person' });
  });
});

describe('Idempotency-Key', () => {
  it('stores one submission for a retried key and answers the retry 200 with the first ids', async () => {
    const form = await makeForm(hub);
    const body = { email: uniqueEmail('retry'), message: 'Sent twice' };

    const first = await submit(form.key).set('idempotency-key', 'retry-1').send(body);
    const retry = await submit(form.key).set('idempotency-key', 'retry-1').send(body);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await submissionsOf(form.key)).toHaveLength(1);
    expect(await hub.db.query('SELECT id FROM messages WHERE customer_id = $1', [first.body.customerId])).toHaveLength(1);
  });

  it('keeps the same key on another form apart', async () => {
    const [one, other] = [await makeForm(hub), await makeForm(hub)];
    const body = { email: uniqueEmail('twoforms'), message: 'Hi' };

    const first = await submit(one.key).set('idempotency-key', 'shared-key').send(body);
    const second = await submit(other.key).set('idempotency-key', 'shared-key').send(body);

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.submissionId).not.toBe(first.body.submissionId);
  });

  it('refuses a key reused by someone else with 409, storing nothing', async () => {
    const form = await makeForm(hub);
    await submit(form.key).set('idempotency-key', 'taken-key').send({ email: uniqueEmail('owner'), message: 'Mine' });
    const before = await storedRows(hub);

    const response = await submit(form.key).set('idempotency-key', 'taken-key').send({ email: uniqueEmail('other'), message: 'Theirs' });

    expect(response.status).toBe(409);
    expect(response.body).toEqual(errorBody('client_id_conflict'));
    expect(await storedRows(hub)).toEqual(before);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin with that origin', async () => {
    const form = await makeForm(hub, { allowedOrigins: ['https://shop.example.com'] });

    const response = await request(hub.handler)
      .options(`/api/forms/${form.key}`)
      .set('origin', 'https://shop.example.com')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type, idempotency-key');

    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(response.headers['access-control-allow-methods']).toBe('POST');
    expect(response.headers['access-control-allow-headers']?.toLowerCase()).toContain('idempotency-key');
    expect(response.headers.vary).toContain('Origin');
  });

  it('refuses a preflight from another origin', async () => {
    const form = await makeForm(hub, { allowedOrigins: ['https://shop.example.com'] });

    const response = await request(hub.handler).options(`/api/forms/${form.key}`).set('origin', 'https://evil.example.net');

    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets an allowed origin post and read the answer', async () => {
    const form = await makeForm(hub, { allowedOrigins: ['https://shop.example.com'] });

    const response = await submit(form.key).set('origin', 'https://shop.example.com').send({ email: uniqueEmail('cors'), message: 'Hi' });

    expect(response.status).toBe(201);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example.com');
  });

  it("lets any origin post to a form allowing '*'", async () => {
    const form = await makeForm(hub, { allowedOrigins: ['*'] });

    const response = await submit(form.key).set('origin', 'https://anywhere.example.org').send({ email: uniqueEmail('star'), message: 'Hi' });

    expect(response.status).toBe(201);
    expect(response.headers['access-control-allow-origin']).toBe('https://anywhere.example.org');
  });

  it('refuses a post from an origin not allowed with 403, storing nothing', async () => {
    const form = await makeForm(hub, { allowedOrigins: ['https://shop.example.com'] });
    const before = await storedRows(hub);

    const response = await submit(form.key).set('origin', 'https://evil.example.net').send({ email: uniqueEmail('evil'), message: 'Hi' });

    expect(response.status).toBe(403);
    expect(response.body).toEqual(errorBody('origin_not_allowed'));
    expect(await storedRows(hub)).toEqual(before);
  });
});

describe('refused submissions', () => {
  it('answers an unknown form with 404', async () => {
    const post = await submit('no-such-form').send({ email: uniqueEmail('nobody') });
    const preflight = await request(hub.handler).options('/api/forms/no-such-form').set('origin', 'https://shop.example.com');

    expect(post.status).toBe(404);
    expect(post.body).toEqual(errorBody('form_not_found'));
    expect(preflight.status).toBe(404);
  });

  it.each([
    ['neither email nor phone', { name: 'Anonymous', message: 'Hi' }, 'validation_failed'],
    ['an email that is not one', { email: 'not-an-email', message: 'Hi' }, 'invalid_email'],
    ['a phone that is not one', { phone: '12', message: 'Hi' }, 'invalid_phone'],
    ['a field that is an object', { email: 'a@example.com', address: { city: 'Oslo' } }, 'validation_failed'],
  ])('refuses %s with 400, storing nothing', async (_case, body, code) => {
    const form = await makeForm(hub);
    const before = await storedRows(hub);

    const response = await submit(form.key).send(body);

    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody(code));
    expect(await storedRows(hub)).toEqual(before);
  });

  it('refuses a body that is neither a form nor JSON with 415', async () => {
    const form = await makeForm(hub);

    const response = await submit(form.key).type('text/plain').send('email=a@example.com');

    expect(response.status).toBe(415);
    expect(response.body).toEqual(errorBody('unsupported_media_type'));
  });

  it('refuses malformed JSON with 400', async () => {
    const form = await makeForm(hub);

    const response = await submit(form.key).type('application/json').send('{"email": ');

    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_json'));
  });
});
