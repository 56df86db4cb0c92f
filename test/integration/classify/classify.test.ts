import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { intents, SHIPPED_INTENT_MODEL } from '../../../server/domain/intents';
import { createLogger } from '../../../server/log';
import { bullPrefix, QUEUE_NAMES } from '../../../server/queues';
import { readCorrections } from '../../../workers/classify/examples';
import { readIntentModel } from '../../../workers/classify/modelFile';
import { classifyProcessor } from '../../../workers/classify/processor';
import { TEST_REDIS_URL } from '../../support/postgres';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';

const hub = signedInHub();
let connection: Redis;
let classifyQueue: Queue;
let routeQueue: Queue;
let classifyEvents: QueueEvents;

beforeAll(async () => {
  connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = bullPrefix(hub.config.redisPrefix);
  classifyQueue = new Queue(QUEUE_NAMES.classify, { connection, prefix });
  routeQueue = new Queue(QUEUE_NAMES.route, { connection, prefix });
  classifyEvents = new QueueEvents(QUEUE_NAMES.classify, { connection: { url: TEST_REDIS_URL }, prefix });
  await classifyEvents.waitUntilReady();
});
afterAll(async () => {
  await classifyEvents.close();
  await classifyQueue.close();
  await routeQueue.close();
  connection.disconnect();
});
afterEach(closeAllSockets);

type Sent = { id: string; conversationId: string; customerId: string };

/** A widget visitor who can write several messages into one chat. */
async function visitor() {
  const { socket } = await connectVisitor(hub.url);
  let conversationId: string | undefined;
  return async (body: string): Promise<Sent> => {
    const ack = await socket.emitWithAck('message:send', { clientId: randomUUID(), body, ...(conversationId ? { conversationId } : {}) });
    if (!ack.ok) throw new Error(JSON.stringify(ack.error));
    conversationId = ack.message.conversationId;
    return ack.message;
  };
}

/** Resolves when the worker has classified the message (the job ingest enqueued for it). */
async function classified(message: Sent): Promise<void> {
  const job = await Job.fromId(classifyQueue, `classify-${message.id}`);
  if (!job) throw new Error(`no classify job for ${message.id}`);
  await job.waitUntilFinished(classifyEvents, 10_000);
}

type Row = {
  intent: string | null;
  intent_confidence: number | null;
  intent_source: string | null;
  language: string | null;
  sentiment: number | null;
  urgent: boolean;
  classified_at: Date | null;
};
const conversationRow = async (conversationId: string): Promise<Row> =>
  (await hub.db.query<Row>('SELECT intent, intent_confidence, intent_source, language, sentiment, urgent, classified_at FROM conversations WHERE id = $1', [conversationId]))[0]!;

const put = (path: string, body: unknown) => request(hub.handler).put(path).set(hub.auth()).send(body as object);

describe('classifying customer messages', () => {
  it('gives an English chat its intent, language, urgency and sentiment, tells the consoles, and asks for routing', async () => {
    const agent = await connectAgent(hub.url, hub.token);
    const send = await visitor();
    const message = await send('I want to cancel my order, it is urgent!!');
    const updated = await nextEvent(agent, 'conversation:updated', (conversation: { id: string; intent: string | null }) =>
      conversation.id === message.conversationId && conversation.intent !== null,
    );

    expect(updated.intent).toBe('cancel_order');
    const row = await conversationRow(message.conversationId);
    expect(row).toMatchObject({ intent: 'cancel_order', intent_source: 'model', language: 'en', urgent: true });
    expect(row.intent_confidence).toBeGreaterThanOrEqual(hub.config.workers.intentConfidenceThreshold);
    expect(row.sentiment).toBeLessThanOrEqual(0);
    expect(row.classified_at).toBeInstanceOf(Date);
    const routing = await routeQueue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    expect(routing.map((job) => job.data)).toContainEqual({ conversationId: message.conversationId });
  });

  it('classifies a Chinese message as well, and knows it is Chinese', async () => {
    const message = await (await visitor())('我想取消订单，怎么操作？');
    await classified(message);
    expect(await conversationRow(message.conversationId)).toMatchObject({ intent: 'cancel_order', language: 'zh', urgent: false });
  });

  it('says unknown when the model is not sure enough', async () => {
    const message = await (await visitor())('asdf qwerty zxcv');
    await classified(message);
    const row = await conversationRow(message.conversationId);
    expect(row).toMatchObject({ intent: 'unknown', intent_source: 'model', language: 'und' });
    expect(row.intent_confidence).toBeLessThan(hub.config.workers.intentConfidenceThreshold);
  });

  it("keeps the surest intent, the latest message's language and sentiment, and urgency once it was urgent", async () => {
    const send = await visitor();
    const first = await send('Please cancel my order immediately');
    await classified(first);
    const afterFirst = await conversationRow(first.conversationId);
    expect(afterFirst).toMatchObject({ intent: 'cancel_order', urgent: true });

    const second = await send('谢谢，非常满意');
    await classified(second);
    const afterSecond = await conversationRow(first.conversationId);
    expect(afterSecond).toMatchObject({ intent: 'cancel_order', intent_confidence: afterFirst.intent_confidence, language: 'zh', urgent: true });
    expect(afterSecond.sentiment).toBeGreaterThan(0);
  });

  it('replaces an unknown intent by the first one the model is sure of', async () => {
    const send = await visitor();
    const first = await send('hmm');
    await classified(first);
    expect((await conversationRow(first.conversationId)).intent).toBe('unknown');
    const second = await send('I forgot my password and cannot log in');
    await classified(second);
    expect((await conversationRow(first.conversationId)).intent).toBe('recover_password');
  });

  it('has the same effect when the same message is classified twice', async () => {
    const message = await (await visitor())('Where is my package? I need to track my order');
    await classified(message);
    const once = await conversationRow(message.conversationId);
    const process = classifyProcessor({ domain: hub.domain, log: createLogger(hub.config), workers: hub.config.workers, dataDir: hub.config.dataDir });
    const again = { id: 'again', data: { messageId: message.id } } as Job<{ messageId: string }>;
    await process(again);
    await process(again);
    expect(await conversationRow(message.conversationId)).toEqual(once);
  });
});

describe('agents correcting the intent', () => {
  it('confirm it, store the customer messages as a training example, write the timeline, and later messages leave it alone', async () => {
    const send = await visitor();
    const first = await send('My card keeps getting declined');
    await classified(first);

    const response = await put(`/api/conversations/${first.conversationId}/intent`, { intent: 'get_refund' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: first.conversationId, intent: 'get_refund' });
    expect(await conversationRow(first.conversationId)).toMatchObject({ intent: 'get_refund', intent_confidence: 1, intent_source: 'agent' });

    const examples = await hub.db.query('SELECT text, intent, language, source, agent_id FROM intent_examples WHERE conversation_id = $1', [first.conversationId]);
    expect(examples).toEqual([{ text: 'My card keeps getting declined', intent: 'get_refund', language: 'en', source: 'agent', agent_id: hub.agentId }]);
    const timeline = await hub.get(`/api/customers/${first.customerId}/timeline?kind=conversation.intent_corrected`);
    expect(timeline.body.items).toEqual([
      expect.objectContaining({
        kind: 'conversation.intent_corrected',
        reference: first.conversationId,
        data: { conversationId: first.conversationId, from: expect.any(String), to: 'get_refund', agentId: hub.agentId },
      }),
    ]);

    const later = await send('I forgot my password, please help URGENTLY');
    await classified(later);
    expect(await conversationRow(first.conversationId)).toMatchObject({ intent: 'get_refund', intent_confidence: 1, intent_source: 'agent', urgent: true });

    const corrections = await readCorrections({ databaseUrl: hub.config.databaseUrl, dataDir: hub.config.dataDir });
    expect(corrections).toContainEqual({ text: 'My card keeps getting declined', intent: 'get_refund' });
  });

  it('change nothing when setting the intent an agent already set', async () => {
    const message = await (await visitor())('How do I delete my account?');
    await classified(message);
    await put(`/api/conversations/${message.conversationId}/intent`, { intent: 'edit_account' }).expect(200);
    await put(`/api/conversations/${message.conversationId}/intent`, { intent: 'edit_account' }).expect(200);
    const [examples] = await hub.db.query<{ count: number }>('SELECT count(*)::int AS count FROM intent_examples WHERE conversation_id = $1', [message.conversationId]);
    expect(examples!.count).toBe(1);
    const timeline = await hub.get(`/api/customers/${message.customerId}/timeline?kind=conversation.intent_corrected`);
    expect(timeline.body.items).toHaveLength(1);
  });

  it('may say unknown, which routes the conversation to the default team but teaches the model nothing', async () => {
    const message = await (await visitor())('Where is my order?');
    await classified(message);
    await put(`/api/conversations/${message.conversationId}/intent`, { intent: 'unknown' }).expect(200);
    expect(await conversationRow(message.conversationId)).toMatchObject({ intent: 'unknown', intent_source: 'agent' });
    expect(await hub.db.query('SELECT 1 FROM intent_examples WHERE conversation_id = $1', [message.conversationId])).toEqual([]);
  });

  it('refuse an intent the product does not know, an unknown conversation, and a caller without a token', async () => {
    const message = await (await visitor())('Hello there');
    const bad = await put(`/api/conversations/${message.conversationId}/intent`, { intent: 'order_pizza' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await put(`/api/conversations/${message.conversationId}/intent`, {})).status).toBe(400);
    expect((await put('/api/conversations/cnv_nope/intent', { intent: 'review' })).body.error.code).toBe('conversation_not_found');
    expect((await request(hub.handler).put(`/api/conversations/${message.conversationId}/intent`).send({ intent: 'review' })).status).toBe(401);
    expect(await hub.db.query('SELECT 1 FROM intent_examples WHERE conversation_id = $1', [message.conversationId])).toEqual([]);
  });
});

describe('GET /api/intents', () => {
  it('lists the intents and describes the model in use', async () => {
    const response = await hub.get('/api/intents');
    expect(response.status).toBe(200);
    expect(response.body.intents).toEqual([...intents]);
    expect(response.body.intents).toHaveLength(28);
    const shipped = readIntentModel(SHIPPED_INTENT_MODEL);
    expect(response.body.model).toEqual({ version: shipped.version, trainedAt: shipped.trainedAt, metrics: shipped.metrics });
    expect(response.body.model.metrics.english.macroF1).toBeGreaterThanOrEqual(0.85);
  });

  it('needs an agent token', async () => {
    expect((await request(hub.handler).get('/api/intents')).status).toBe(401);
  });
});
