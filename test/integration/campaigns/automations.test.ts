import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { AUTOMATION_JOBS, AUTOMATION_QUEUE, INACTIVITY_EVERY_MS, INACTIVITY_SCHEDULER_ID, stepJobId } from '../../../server/automationQueues';
import { ingest } from '../../../server/domain/ingest';
import { bullPrefix } from '../../../server/queues';
import { TEST_REDIS_URL } from '../../support/postgres';
import { signedInHub } from '../../support/signedInHub';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../../support/smtpSink';
import { closeAllSockets, connectAgent, nextEvent } from '../../support/sockets';
import { errorBody, plainAgent } from './fixtures';
import { rawHeader } from './sendingFixtures';

jest.setTimeout(60_000);

const PUBLIC_URL = 'https://hub.example.com';
const DAY_MS = 86_400_000;

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
const hub = signedInHub(() => ({ SMTP_OUT_URL: sink.url, PUBLIC_URL }));
// After the hub has stopped: the sink waits for the connections of the hub's pooled transports to end.
afterAll(() => sink.close());

let connection: Redis;
let eventsConnection: Redis;
let queue: Queue;
let events: QueueEvents;
beforeAll(async () => {
  connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = bullPrefix(hub.config.redisPrefix);
  queue = new Queue(AUTOMATION_QUEUE, { connection, prefix });
  eventsConnection = connection.duplicate();
  events = new QueueEvents(AUTOMATION_QUEUE, { connection: eventsConnection, prefix });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events.close();
  await queue.close();
  eventsConnection.disconnect();
  connection.disconnect();
});

afterEach(closeAllSockets);

// Each test's automations go, so a later test's customers are enrolled in nothing of an earlier one.
afterEach(async () => {
  const { body } = await hub.get('/api/automations?limit=100');
  for (const automation of body.items) expect((await hub.delete(`/api/automations/${automation.id}`)).status).toBe(204);
});

const unique = () => randomUUID().slice(0, 8);
const TEXT = 'Hello {{default customer.firstName "there"}}, unsubscribe: {{unsubscribeUrl}}';
const step = (subject: string, delay: number | string, extra: Record<string, unknown> = {}) => ({
  delay,
  subject,
  text: TEXT,
  html: '<p>Hello {{customer.firstName}}</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
  from: { email: 'care@shop.example.com', name: 'Shop' },
  ...extra,
});

async function createAutomation(body: Record<string, unknown>): Promise<{ id: string; steps: { campaignId: string }[] }> {
  const response = await hub.post('/api/automations', { name: `Automation ${unique()}`, ...body });
  expect(response.status).toBe(201);
  return response.body;
}

async function newCustomer(name = 'Ada Lovelace'): Promise<{ id: string; email: string }> {
  const email = `c-${unique()}@example.net`;
  const response = await hub.post('/api/customers', { name, email });
  expect(response.status).toBe(201);
  return { id: response.body.id, email };
}

const mailTo = (email: string, subject?: string) => (message: SinkMessage) =>
  message.envelope.to.includes(email) && (subject === undefined || message.mail.subject === subject);
const sentTo = (email: string) => sink.messages.filter((message) => message.envelope.to.includes(email));

type Enrollment = { id: string; status: string; stop_reason: string | null; next_step: number; enrolled_at: Date; occurrence: string };
const enrollmentsOf = (automationId: string, customerId: string) =>
  hub.db.query<Enrollment>(
    'SELECT id::text AS id, status, stop_reason, next_step, enrolled_at, occurrence FROM automation_enrollments WHERE automation_id = $1 AND customer_id = $2 ORDER BY id',
    [automationId, customerId],
  );
const recipientsOf = (enrollmentId: string) =>
  hub.db.query<{ campaign_id: string; status: string; skip_reason: string | null; created_at: Date }>(
    'SELECT campaign_id, status, skip_reason, created_at FROM campaign_recipients WHERE enrollment_id = $1 ORDER BY id',
    [enrollmentId],
  );

/** Resolves when the step job of the enrollment has run (at its time), however it ended. */
async function stepRan(enrollmentId: string, stepIndex: number): Promise<void> {
  const job = await queue.getJob(stepJobId(enrollmentId, stepIndex));
  if (!job) throw new Error(`no job for step ${stepIndex} of enrollment ${enrollmentId}`);
  await job.waitUntilFinished(events, 30_000);
}

describe('automations', () => {
  it('welcomes a customer created through the API or by their first message, after the delay, through the campaign sending', async () => {
    const automation = await createAutomation({ trigger: { type: 'customer.created' }, steps: [step('Welcome {{customer.firstName}}', '1s')] });
    const byApi = await newCustomer('Grace Hopper');
    const byMessageEmail = `m-${unique()}@example.net`;
    await ingest(hub.domain, { channel: 'chat', identities: [{ kind: 'email', value: byMessageEmail }], customerName: 'Alan Turing', body: 'Hello there' });

    const welcome = await sink.next(mailTo(byApi.email), 20_000);
    expect(welcome.mail.subject).toBe('Welcome Grace');
    expect(welcome.mail.from?.value[0]).toEqual({ address: 'care@shop.example.com', name: 'Shop' });
    expect(rawHeader(welcome, 'List-Unsubscribe')).toMatch(/^<https:\/\/hub\.example\.com\/u\/[\w-]+\.[\w-]{43}>$/);
    expect(rawHeader(welcome, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(String(welcome.mail.html)).toMatch(/<img src="https:\/\/hub\.example\.com\/t\/o\//);
    // Their first message came before they were enrolled: it is no reply that stops the welcome.
    expect((await sink.next(mailTo(byMessageEmail), 20_000)).mail.subject).toBe('Welcome Alan');

    const [enrollment] = await enrollmentsOf(automation.id, byApi.id);
    expect(enrollment).toEqual(expect.objectContaining({ status: 'completed', occurrence: byApi.id }));
    const [recipient] = await recipientsOf(enrollment!.id);
    expect(recipient!.created_at.getTime() - enrollment!.enrolled_at.getTime()).toBeGreaterThanOrEqual(1000);
    const campaignId = automation.steps[0]!.campaignId;
    const stats = await hub.get(`/api/campaigns/${campaignId}/stats`);
    expect(stats.body).toEqual(expect.objectContaining({ recipients: 2, sent: 2, pending: 0 }));
    const timeline = await hub.db.query("SELECT 1 FROM timeline_events WHERE customer_id = $1 AND kind = 'campaign.sent' AND reference = $2", [byApi.id, campaignId]);
    expect(timeline).toHaveLength(1);
    // A step is a campaign that keeps sending; the campaign list shows only broadcasts.
    expect((await hub.get(`/api/campaigns/${campaignId}`)).body.status).toBe('sending');
    for (const action of ['pause', 'cancel']) {
      const refused = await hub.post(`/api/campaigns/${campaignId}/${action}`);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual(expect.objectContaining({ code: 'campaign_state', details: expect.objectContaining({ automationId: automation.id }) }));
    }
    expect((await hub.get('/api/campaigns?limit=100')).body.items.map((item: { id: string }) => item.id)).not.toContain(campaignId);
    const shown = await hub.get(`/api/automations/${automation.id}`);
    expect(shown.body).toEqual(expect.objectContaining({ enabled: true, enrollments: { active: 0, completed: 2, stopped: 0 } }));
    expect(shown.body.steps[0]).toEqual(expect.objectContaining({ delay: 1, campaignId, stats: expect.objectContaining({ sent: 2 }) }));
  });

  it('mails once per order placed, not for a repeat of the same order', async () => {
    const automation = await createAutomation({ trigger: { type: 'order.placed' }, steps: [step('Thanks for order', 1)] });
    const customer = await newCustomer();
    const order = (number: string) => ({ number, currency: 'EUR', items: [{ product: 'Thing', quantity: 1, unitPrice: '9.90' }] });
    expect((await hub.post(`/api/customers/${customer.id}/orders`, order('A-1'))).status).toBe(201);
    expect((await hub.post(`/api/customers/${customer.id}/orders`, order('A-1'))).status).toBe(200);
    expect((await hub.post(`/api/customers/${customer.id}/orders`, order('A-2'))).status).toBe(201);
    await sink.next(() => sentTo(customer.email).length === 2, 20_000);
    const enrollments = await enrollmentsOf(automation.id, customer.id);
    expect(enrollments.map((enrollment) => enrollment.status)).toEqual(['completed', 'completed']);
    expect(new Set(enrollments.map((enrollment) => enrollment.occurrence)).size).toBe(2);
    expect(sentTo(customer.email).map((message) => message.mail.subject)).toEqual(['Thanks for order', 'Thanks for order']);
  });

  it('sends a two-step sequence with the wait between, then completes', async () => {
    const automation = await createAutomation({ trigger: { type: 'customer.created' }, steps: [step('First', 0), step('Second', 2)] });
    const customer = await newCustomer();
    await sink.next(mailTo(customer.email, 'First'), 20_000);
    await sink.next(mailTo(customer.email, 'Second'), 20_000);
    const [enrollment] = await enrollmentsOf(automation.id, customer.id);
    expect(enrollment).toEqual(expect.objectContaining({ status: 'completed', next_step: 2 }));
    const [first, second] = await recipientsOf(enrollment!.id);
    expect(second!.created_at.getTime() - first!.created_at.getTime()).toBeGreaterThanOrEqual(2000);
    expect([first!.campaign_id, second!.campaign_id]).toEqual(automation.steps.map((entry) => entry.campaignId));
    expect(sentTo(customer.email)).toHaveLength(2);
  });

  it('stops a sequence when the customer replies: the next step sends nothing', async () => {
    const automation = await createAutomation({ trigger: { type: 'customer.created' }, steps: [step('First', 0), step('Second', 2)] });
    const customer = await newCustomer();
    await sink.next(mailTo(customer.email, 'First'), 20_000);
    await ingest(hub.domain, { channel: 'chat', identities: [{ kind: 'email', value: customer.email }], body: 'Thanks, got it' });
    const [enrollment] = await enrollmentsOf(automation.id, customer.id);
    expect(enrollment).toEqual(expect.objectContaining({ status: 'stopped', stop_reason: 'replied' }));

    await stepRan(enrollment!.id, 1);
    expect(await recipientsOf(enrollment!.id)).toHaveLength(1);
    expect(sentTo(customer.email).map((message) => message.mail.subject)).toEqual(['First']);
  });

  it('stops a sequence when the customer unsubscribes: the next step is skipped as suppressed', async () => {
    const automation = await createAutomation({ trigger: { type: 'customer.created' }, steps: [step('First', 0), step('Second', 2)] });
    const customer = await newCustomer();
    const first = await sink.next(mailTo(customer.email, 'First'), 20_000);
    const oneClick = /^<(.+)>$/.exec(rawHeader(first, 'List-Unsubscribe')!)![1]!.replace(PUBLIC_URL, '');
    const unsubscribed = await request(hub.handler).post(oneClick).type('form').send('List-Unsubscribe=One-Click');
    expect(unsubscribed.status).toBe(200);

    const [enrollment] = await enrollmentsOf(automation.id, customer.id);
    await stepRan(enrollment!.id, 1);
    expect((await enrollmentsOf(automation.id, customer.id))[0]).toEqual(expect.objectContaining({ status: 'stopped', stop_reason: 'unsubscribed' }));
    expect((await recipientsOf(enrollment!.id)).map((recipient) => [recipient.status, recipient.skip_reason])).toEqual([
      ['sent', null],
      ['skipped', 'suppressed'],
    ]);
    expect(sentTo(customer.email)).toHaveLength(1);
  });

  it('sends a survey after a resolved conversation whose rating link records the CSAT once', async () => {
    await createAutomation({
      trigger: { type: 'conversation.resolved' },
      steps: [
        step('How did we do?', 1, {
          html: '<p>Rate us: <a href="{{surveyUrl}}?rating=1">1</a> <a href="{{surveyUrl}}?rating=5">5</a></p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
          text: 'Rate us: {{surveyUrl}}?rating=1 … {{surveyUrl}}?rating=5\nUnsubscribe: {{unsubscribeUrl}}',
        }),
      ],
    });
    const email = `r-${unique()}@example.net`;
    const { conversation, customer } = await ingest(hub.domain, { channel: 'chat', identities: [{ kind: 'email', value: email }], body: 'My parcel is late' });
    expect((await hub.patch(`/api/conversations/${conversation.id}`, { status: 'resolved' })).status).toBe(200);

    const survey = await sink.next(mailTo(email, 'How did we do?'), 20_000);
    // In the HTML the rating links are tracked clicks that lead to the survey page.
    const tracked = [...String(survey.mail.html).matchAll(/href="https:\/\/hub\.example\.com(\/t\/c\/[^"]+)"/g)].map((match) => match[1]!);
    expect(tracked).toHaveLength(2);
    const redirect = await request(hub.handler).get(tracked[1]!);
    expect(redirect.status).toBe(302);
    const five = redirect.headers.location!.replace(PUBLIC_URL, '');
    expect(five).toMatch(/^\/s\/[\w-]+\.[\w-]{43}\?rating=5$/);
    expect(survey.mail.text).toContain(`${PUBLIC_URL}${five}`);

    const asked = await request(hub.handler).get(five.replace(/\?.*$/, ''));
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('href="?rating=5"');
    const thanks = await request(hub.handler).get(five);
    expect(thanks.status).toBe(200);
    expect(thanks.text).toContain('Thank you for rating us 5 out of 5');
    const again = await request(hub.handler).get(five.replace('rating=5', 'rating=1'));
    expect(again.status).toBe(200);
    expect(again.text).toContain('already rated 5');
    expect((await request(hub.handler).get(five.replace('rating=5', 'rating=9'))).status).toBe(400);

    expect(await hub.db.query('SELECT rating FROM csat_ratings WHERE conversation_id = $1', [conversation.id])).toEqual([{ rating: 5 }]);
    const rated = await hub.db.query<{ data: { rating: number } }>("SELECT data FROM timeline_events WHERE customer_id = $1 AND kind = 'conversation.rated'", [customer.id]);
    expect(rated.map((event) => event.data.rating)).toEqual([5]);

    const [, token] = /^\/s\/([^?]+)/.exec(five)!;
    const [payload, signature] = token!.split('.');
    for (const bad of [`${payload}.${signature!.slice(0, -2)}AA`, 'not-a-token', `${Buffer.from('s.1').toString('base64url')}.${signature}`]) {
      expect((await request(hub.handler).get(`/s/${bad}?rating=1`)).status).toBe(404);
    }
    // An unsubscribe token is no survey token.
    const unsubscribeToken = /\/u\/([^>]+)>/.exec(rawHeader(survey, 'List-Unsubscribe')!)![1]!;
    expect((await request(hub.handler).get(`/s/${unsubscribeToken}?rating=1`)).status).toBe(404);
    expect(await hub.db.query('SELECT rating FROM csat_ratings WHERE conversation_id = $1', [conversation.id])).toEqual([{ rating: 5 }]);
  });

  it('enrols, from the daily job, exactly the customers whose inactivity crossed the threshold', async () => {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toEqual(expect.arrayContaining([expect.objectContaining({ key: INACTIVITY_SCHEDULER_ID, every: INACTIVITY_EVERY_MS })]));

    const now = Date.now();
    const customer = async (createdDaysAgo: number, activity: { kind: string; hoursAgo: number }[] = []) => {
      const created = await newCustomer();
      await hub.db.query('UPDATE customers SET created_at = $2 WHERE id = $1', [created.id, new Date(now - createdDaysAgo * DAY_MS)]);
      for (const event of activity) {
        await hub.db.query("INSERT INTO timeline_events (id, customer_id, at, kind, data) VALUES ($1, $2, $3, $4, '{}')", [
          `evt_test${unique()}${unique()}`,
          created.id,
          new Date(now - event.hoursAgo * 3_600_000),
          event.kind,
        ]);
      }
      return created;
    };
    const silentSinceCreated = await customer(30 + 2 / 24);
    const wroteLast = await customer(100, [{ kind: 'order.placed', hoursAgo: 50 * 24 }, { kind: 'message.received', hoursAgo: 30 * 24 + 5 }]);
    const onlyMailed = await customer(30 + 1 / 24, [{ kind: 'campaign.sent', hoursAgo: 24 }]);
    const orderedRecently = await customer(100, [{ kind: 'order.placed', hoursAgo: 5 * 24 }]);
    const goneLongAgo = await customer(200, [{ kind: 'message.received', hoursAgo: 60 * 24 }]);
    const fresh = await customer(29);

    const automation = await createAutomation({ trigger: { type: 'inactivity', days: 30 }, steps: [step('We miss you', 0)] });
    const run = async () => (await (await queue.add(AUTOMATION_JOBS.inactivity, {})).waitUntilFinished(events, 30_000)) as { enrolled: number };
    expect(await run()).toEqual({ enrolled: 3 });
    const enrolled = await hub.db.query<{ customer_id: string }>('SELECT customer_id FROM automation_enrollments WHERE automation_id = $1 ORDER BY customer_id', [automation.id]);
    expect(enrolled.map((row) => row.customer_id)).toEqual([silentSinceCreated.id, wroteLast.id, onlyMailed.id].sort());
    for (const { email } of [silentSinceCreated, wroteLast, onlyMailed]) expect((await sink.next(mailTo(email), 20_000)).mail.subject).toBe('We miss you');

    // The next run enrols nobody twice for the same inactive spell.
    expect(await run()).toEqual({ enrolled: 0 });
    for (const { email } of [orderedRecently, goneLongAgo, fresh]) expect(sentTo(email)).toEqual([]);
  });

  it('stops enrollments when disabled, and a changed step becomes a new campaign', async () => {
    const automation = await createAutomation({ trigger: { type: 'customer.created' }, steps: [step('First', 0), step('Second', 30)] });
    const customer = await newCustomer();
    await sink.next(mailTo(customer.email, 'First'), 20_000);
    const retired = automation.steps[1]!.campaignId;
    const agent = await connectAgent(hub.url, hub.token);
    const finished = nextEvent<{ id: string; status: string }>(agent, 'campaign:updated', (campaign) => campaign.id === retired && campaign.status === 'sent', 15_000);
    const changed = await hub.patch(`/api/automations/${automation.id}`, { steps: [step('First', 0), step('Second, again', 60)], enabled: false });
    expect(changed.status).toBe(200);
    expect(changed.body.enabled).toBe(false);
    expect(changed.body.steps[0].campaignId).toBe(automation.steps[0]!.campaignId);
    expect(changed.body.steps[1]).toEqual(expect.objectContaining({ delay: 60, subject: 'Second, again' }));
    expect(changed.body.steps[1].campaignId).not.toBe(automation.steps[1]!.campaignId);
    expect(changed.body.enrollments).toEqual({ active: 0, completed: 0, stopped: 1 });
    expect((await enrollmentsOf(automation.id, customer.id))[0]).toEqual(expect.objectContaining({ status: 'stopped', stop_reason: 'disabled' }));
    // The old version of the step had nothing queued: it is finished, and its worker closes.
    await finished;
    expect((await hub.get(`/api/campaigns/${changed.body.steps[1].campaignId}`)).body.status).toBe('sending');
    expect((await hub.patch(`/api/automations/${automation.id}`, { name: 'Renamed' })).status).toBe(200);
    expect((await hub.get(`/api/campaigns/${changed.body.steps[1].campaignId}`)).body.name).toBe('Renamed · step 2');
  });

  it('refuses bad input with 400 and stores and sends nothing', async () => {
    const before = { mails: sink.messages.length, campaigns: await hub.db.query('SELECT id FROM campaigns') };
    const valid = { name: 'Bad input', trigger: { type: 'customer.created' }, steps: [step('Hi', '1h')] };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...valid, trigger: { type: 'customer.birthday' } }, 'validation_failed', /^trigger\.type: /],
      [{ ...valid, trigger: { type: 'inactivity' } }, 'validation_failed', /^trigger: days/],
      [{ ...valid, steps: [] }, 'validation_failed', /^steps: an automation needs at least one step/],
      [{ ...valid, steps: [step('Hi', -5)] }, 'validation_failed', /^steps\.0\.delay: a delay cannot be negative/],
      [{ ...valid, steps: [step('Hi', '-1d')] }, 'validation_failed', /^steps\.0\.delay: a delay cannot be negative/],
      [{ ...valid, steps: [step('Hi', 'soon')] }, 'validation_failed', /^steps\.0\.delay: /],
      [{ ...valid, steps: [step('Hi', 0), step('Again', 0, { subject: '' })] }, 'validation_failed', /^steps\.1\.subject: /],
    ];
    for (const [body, code, message] of cases) {
      const response = await hub.post('/api/automations', body);
      expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: errorBody(code) });
      expect(response.body.error.message).toMatch(message);
    }
    const broken = await hub.post('/api/automations', { ...valid, steps: [step('Hi', 0), step('Again', 60, { html: '<p>Hello</p>\n<p>{{customer.favouriteColour}}</p>' })] });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toEqual(expect.objectContaining({ code: 'invalid_template', details: { step: 1, field: 'html', line: 2, column: 6 } }));
    expect(broken.body.error.message).toMatch(/^steps\.1\.html, line 2, column 6: Unknown variable "customer\.favouriteColour"/);
    // {{surveyUrl}} only exists after a resolved conversation.
    const survey = await hub.post('/api/automations', { ...valid, steps: [step('Hi', 0, { text: 'Rate us: {{surveyUrl}}?rating=5' })] });
    expect(survey.body.error).toEqual(expect.objectContaining({ code: 'invalid_template', details: expect.objectContaining({ step: 0, field: 'text', line: 1 }) }));
    const agent = await plainAgent(hub);
    expect((await agent.post('/api/automations', valid)).status).toBe(403);
    expect((await agent.get('/api/automations')).status).toBe(200);
    expect((await hub.get('/api/automations/aut_missing')).status).toBe(404);

    expect((await hub.get('/api/automations')).body.items).toEqual([]);
    expect(await hub.db.query('SELECT id FROM campaigns')).toEqual(before.campaigns);
    expect(sink.messages.length).toBe(before.mails);
  });
});
