import request from 'supertest';
import { createAgent } from '../../../server/domain/agents';
import { ingest } from '../../../server/domain/ingest';
import { QUEUE_NAMES } from '../../../server/queues';
import { signedInHub } from '../../support/signedInHub';
import { login } from '../../support/sockets';
import { openSlaQueue, type SlaQueue } from '../sla/fixtures';

const METRICS_TOKEN = 'metrics-token-0123456789';
const hub = signedInHub({ METRICS_TOKEN });

let sla: SlaQueue;
beforeAll(async () => {
  sla = await openSlaQueue(hub);
});
afterAll(() => sla?.close());

const scrape = () => request(hub.handler).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);

/** The value of one sample line of the scrape, e.g. sample(text, 'hub_queue_jobs{queue="sla",state="failed"}'). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  if (!line) throw new Error(`no ${series} in the scrape`);
  return Number(line.slice(series.length + 1));
}
const jobs = (text: string, state: string) => sample(text, `hub_queue_jobs{queue="sla",state="${state}"}`);

/** A job the SLA worker refuses for good at once: its data is no SLA check. */
async function failedJob(): Promise<string> {
  const job = await sla.queue.add('check', { conversationId: '' }, { removeOnFail: false });
  await expect(job.waitUntilFinished(sla.events, 10_000)).rejects.toThrow(/not an SLA check/);
  return job.id!;
}

describe('GET /metrics', () => {
  it('needs METRICS_TOKEN as a bearer token when one is set', async () => {
    await request(hub.handler).get('/metrics').expect(401);
    await request(hub.handler).get('/metrics').set('authorization', 'Bearer wrong-token-0123456789').expect(401);
    await request(hub.handler).get('/metrics').set('authorization', `Bearer ${hub.token}`).expect(401);

    const response = await scrape();

    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const queue of Object.values(QUEUE_NAMES)) {
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
        expect(response.text).toContain(`hub_queue_jobs{queue="${queue}",state="${state}"} `);
      }
    }
    expect(sample(response.text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(response.text, 'process_uptime_seconds')).toBeGreaterThan(0);
  });

  it('counts a queued job and a failed one', async () => {
    const before = (await scrape()).text;
    await sla.queue.add('check', { conversationId: 'cnv_later' }, { delay: 3_600_000 });
    await failedJob();

    const after = (await scrape()).text;

    expect(jobs(after, 'delayed')).toBe(jobs(before, 'delayed') + 1);
    expect(jobs(after, 'failed')).toBe(jobs(before, 'failed') + 1);
  });

  it('has latency and processing histograms once jobs complete', async () => {
    const { conversation } = await ingest(hub.domain, { channel: 'chat', identities: [{ kind: 'visitor', value: `vis_metrics_${Date.now()}` }], body: 'Hi' });
    const before = (await scrape()).text;
    // A check whose deadline is not the conversation's completes at once, doing nothing.
    const job = await sla.queue.add('check', { conversationId: conversation.id, target: 'resolution', stage: 'warning', dueAt: '2000-01-01T00:00:00.000Z' });
    expect(await job.waitUntilFinished(sla.events, 10_000)).toBe('stale');

    const after = (await scrape()).text;

    for (const histogram of ['hub_job_latency_seconds', 'hub_job_processing_seconds']) {
      const count = sample(after, `${histogram}_count{queue="sla"}`);
      expect(count).toBeGreaterThanOrEqual(sample(before, `${histogram}_count{queue="sla"}`) + 1);
      expect(sample(after, `${histogram}_bucket{queue="sla",le="+Inf"}`)).toBe(count);
      expect(sample(after, `${histogram}_bucket{queue="sla",le="60"}`)).toBeLessThanOrEqual(count);
      expect(sample(after, `${histogram}_sum{queue="sla"}`)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('the admin queue API', () => {
  it("lists every queue's counts and its newest failed jobs", async () => {
    const jobId = await failedJob();

    const response = await hub.get('/api/admin/queues').expect(200);

    expect(response.body.queues.map((queue: { name: string }) => queue.name)).toEqual(Object.values(QUEUE_NAMES));
    const slaQueue = response.body.queues.find((queue: { name: string }) => queue.name === QUEUE_NAMES.sla);
    expect(slaQueue.counts).toEqual({ waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number), completed: expect.any(Number) });
    expect(slaQueue.counts.failed).toBeGreaterThanOrEqual(1);
    expect(slaQueue.failed[0]).toEqual({
      id: jobId,
      name: 'check',
      data: { conversationId: '' },
      failedReason: expect.stringContaining('not an SLA check'),
      attemptsMade: 1,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      finishedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('retries a failed job: it runs again', async () => {
    const jobId = await failedJob();
    const ranAgain = new Promise<string>((resolve) => {
      const listener = (event: { jobId: string; failedReason: string }) => {
        if (event.jobId !== jobId) return;
        sla.events.off('failed', listener);
        resolve(event.failedReason);
      };
      sla.events.on('failed', listener);
    });

    const response = await hub.post(`/api/admin/queues/${QUEUE_NAMES.sla}/jobs/${jobId}/retry`).expect(202);

    expect(response.body).toEqual({ queue: QUEUE_NAMES.sla, jobId, status: 'waiting' });
    expect(await ranAgain).toMatch(/not an SLA check/);
  });

  it('answers 404 for an unknown queue, an unknown job, or a job that has not failed', async () => {
    const { conversation } = await ingest(hub.domain, { channel: 'chat', identities: [{ kind: 'visitor', value: `vis_retry_${Date.now()}` }], body: 'Hi' });
    const completed = await sla.queue.add('check', { conversationId: conversation.id, target: 'resolution', stage: 'breach', dueAt: '2000-01-01T00:00:00.000Z' });
    await completed.waitUntilFinished(sla.events, 10_000);

    await hub.post('/api/admin/queues/no-such-queue/jobs/1/retry').expect(404);
    await hub.post(`/api/admin/queues/${QUEUE_NAMES.sla}/jobs/no-such-job/retry`).expect(404);
    const response = await hub.post(`/api/admin/queues/${QUEUE_NAMES.sla}/jobs/${completed.id}/retry`).expect(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it('is for admins only', async () => {
    const agent = await createAgent(hub.db, { email: `agent-${Date.now()}@example.com`, name: 'Ann Agent', password: 'agent-password' });
    const { token } = await login(hub.url, { email: agent.email, password: 'agent-password' });

    await request(hub.handler).get('/api/admin/queues').expect(401);
    const listing = await request(hub.handler).get('/api/admin/queues').set('authorization', `Bearer ${token}`).expect(403);
    expect(listing.body.error.code).toBe('forbidden');
    await request(hub.handler).post(`/api/admin/queues/${QUEUE_NAMES.sla}/jobs/1/retry`).set('authorization', `Bearer ${token}`).expect(403);
  });
});
