import { randomUUID } from 'node:crypto';
import type { Database } from '../../../server/db/database';
import { claimRecipient, markRecipientFailed, markRecipientSent, releaseRecipient } from '../../../server/domain/campaignDelivery';
import { campaignInputSchema, createCampaign } from '../../../server/domain/campaigns';
import { cancelCampaign, finishCampaignIfDone, pauseCampaign, scheduleCampaign, startSending } from '../../../server/domain/campaignSending';
import type { DomainContext } from '../../../server/domain/context';
import { eraseCustomer } from '../../../server/domain/customerPrivacy';
import { createCustomer } from '../../../server/domain/customers';
import { createSegment } from '../../../server/domain/segments';
import { suppressAddress } from '../../../server/domain/suppressions';
import { backends, OPEN_BACKEND_TIMEOUT, type OpenedBackend, recordingContext } from '../../support/domainBackends';

const LEASE = { leaseMs: 60_000, messageIdDomain: 'shop.example.com' };

describe.each(backends)('campaign delivery on %s', (_backend, open) => {
  let opened: OpenedBackend;
  let db: Database;
  let recording: ReturnType<typeof recordingContext>;
  let ctx: DomainContext;

  beforeAll(async () => {
    opened = await open();
    db = opened.db;
    recording = recordingContext(db);
    // The recording context's clock runs a second per reading; a schedule for "now" must not be in its past.
    ctx = { ...recording.ctx, now: () => new Date() };
  }, OPEN_BACKEND_TIMEOUT);
  afterAll(() => opened?.close());

  /** A sending campaign to a fresh tag: `mailed` customers with email, one without, one suppressed. */
  async function sendingCampaign(mailed = 3) {
    const tag = `t${randomUUID().slice(0, 8)}`;
    const customers = [];
    for (let index = 0; index < mailed; index++) {
      customers.push((await createCustomer(db, ctx.settings, { name: `Ada ${index}`, email: `${tag}.${index}@example.net`, tags: [tag] }, 'create')).customer);
    }
    await createCustomer(db, ctx.settings, { name: 'No Mail', externalId: `x-${tag}`, tags: [tag] }, 'create');
    await createCustomer(db, ctx.settings, { name: 'Gone', email: `${tag}.gone@example.net`, tags: [tag] }, 'create');
    await suppressAddress(db, { email: `${tag}.gone@example.net`, reason: 'unsubscribed' });
    const segment = await createSegment(db, { name: `Tag ${tag}`, filter: { field: 'tag', op: 'eq', value: tag } });
    const input = campaignInputSchema.parse({ name: `C ${tag}`, segmentId: segment.id, from: { email: 'news@shop.example.com' }, subject: 'Hi', text: 'Hello' });
    const campaign = await createCampaign(db, { smtpAccounts: ['default'] }, input, null);
    await scheduleCampaign(ctx, campaign.id, {}, { smtpAccounts: ['default'] });
    recording.reset();
    expect(await startSending(ctx, campaign.id)).toEqual({ sending: true });
    const recipients = await db.query<{ id: number; email: string | null; status: string; skip_reason: string | null }>(
      'SELECT id, email, status, skip_reason FROM campaign_recipients WHERE campaign_id = $1 ORDER BY id',
      [campaign.id],
    );
    return { campaign, customers, recipients, tag };
  }

  it('materialises one recipient per customer of the segment in one go, skipping those without email or suppressed, and queues the rest', async () => {
    const { campaign, recipients, tag } = await sendingCampaign(3);
    expect(recipients.map(({ status, skip_reason }) => [status, skip_reason])).toEqual([
      ['queued', null],
      ['queued', null],
      ['queued', null],
      ['skipped', 'no_email'],
      ['skipped', 'suppressed'],
    ]);
    expect(recipients.filter((row) => row.status === 'queued').map((row) => row.email)).toEqual([0, 1, 2].map((index) => `${tag}.${index}@example.net`));
    expect(recording.enqueued).toEqual([`campaign-rate:${campaign.id}:10`, `campaign-sends:${campaign.id}:3`, `campaign-resume:${campaign.id}`, `campaign-stats:${campaign.id}`]);

    // Asked again (a retried control job, a resume): no second row, and only what is still pending is queued again.
    await markRecipientSent(ctx, String((await claimOk(recipients[0]!.id)).id), 'Hi');
    recording.reset();
    await startSending(ctx, campaign.id);
    expect(await db.query('SELECT 1 FROM campaign_recipients WHERE campaign_id = $1', [campaign.id])).toHaveLength(5);
    expect(recording.enqueued[1]).toBe(`campaign-sends:${campaign.id}:2`);
  });

  const claimOk = async (recipientId: number | string) => {
    const claim = await claimRecipient(db, String(recipientId), LEASE);
    if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${claim.kind}`);
    return claim.recipient;
  };

  it('lets one attempt claim a recipient; a lapsed claim is taken over with the same Message-ID; a sent one never again', async () => {
    const { campaign, recipients, customers } = await sendingCampaign(1);
    const recipientId = String(recipients[0]!.id);
    const first = await claimOk(recipientId);
    expect(first).toEqual(
      expect.objectContaining({ campaignId: campaign.id, email: customers[0]!.email, attempts: 1, messageId: `<${campaign.id}.${recipientId}@shop.example.com>` }),
    );
    expect(first.customer).toEqual(expect.objectContaining({ id: customers[0]!.id, name: 'Ada 0' }));
    expect(await claimRecipient(db, recipientId, LEASE)).toEqual({ kind: 'held', until: expect.any(Date) });

    // The worker holding it died: once its lease lapses, the next attempt takes it over.
    await db.query("UPDATE campaign_recipients SET lease_until = now() - interval '1 second' WHERE id = $1", [recipientId]);
    const again = await claimOk(recipientId);
    expect({ attempts: again.attempts, messageId: again.messageId }).toEqual({ attempts: 2, messageId: first.messageId });

    expect(await markRecipientSent(ctx, recipientId, 'Hi Ada')).toBe(true);
    expect(await markRecipientSent(ctx, recipientId, 'Hi Ada')).toBe(false);
    expect(await claimRecipient(db, recipientId, LEASE)).toEqual({ kind: 'done' });
    const timeline = await db.query<{ data: Record<string, unknown> }>("SELECT data FROM timeline_events WHERE customer_id = $1 AND kind = 'campaign.sent'", [customers[0]!.id]);
    expect(timeline).toEqual([{ data: { campaignId: campaign.id, campaignName: campaign.name, subject: 'Hi Ada', messageId: first.messageId } }]);
  });

  it('skips at the claim an address suppressed since planning and a customer erased since, and claims nothing while paused', async () => {
    const { campaign, recipients, customers } = await sendingCampaign(3);
    await suppressAddress(db, { email: customers[0]!.email!, reason: 'manual' });
    expect(await claimRecipient(db, String(recipients[0]!.id), LEASE)).toEqual({ kind: 'skipped', reason: 'suppressed' });
    await eraseCustomer(ctx, { customerId: customers[1]!.id, agentId: null });
    expect(await claimRecipient(db, String(recipients[1]!.id), LEASE)).toEqual({ kind: 'skipped', reason: 'erased' });

    await pauseCampaign(ctx, campaign.id);
    expect(await claimRecipient(db, String(recipients[2]!.id), LEASE)).toEqual({ kind: 'campaign not sending' });
    const [row] = await db.query<{ status: string }>('SELECT status FROM campaign_recipients WHERE id = $1', [recipients[2]!.id]);
    expect(row!.status).toBe('queued');
    await cancelCampaign(ctx, campaign.id);
    const [cancelled] = await db.query<{ status: string; skip_reason: string }>('SELECT status, skip_reason FROM campaign_recipients WHERE id = $1', [recipients[2]!.id]);
    expect(cancelled).toEqual({ status: 'skipped', skip_reason: 'cancelled' });
  });

  it('is sent once every recipient is done; a refusal for now puts the recipient back in the queue', async () => {
    const { campaign, recipients } = await sendingCampaign(2);
    const [a, b] = [String(recipients[0]!.id), String(recipients[1]!.id)];
    await claimOk(a);
    await releaseRecipient(db, a, '451 try later');
    const [released] = await db.query<{ status: string; error: string }>('SELECT status, error FROM campaign_recipients WHERE id = $1', [a]);
    expect(released).toEqual({ status: 'queued', error: '451 try later' });
    await claimOk(a);
    await markRecipientSent(ctx, a, 'Hi');
    expect(await finishCampaignIfDone(ctx, campaign.id)).toBe(false);
    await claimOk(b);
    await markRecipientFailed(db, b, '550 no such user');
    recording.reset();
    expect(await finishCampaignIfDone(ctx, campaign.id)).toBe(true);
    expect(await finishCampaignIfDone(ctx, campaign.id)).toBe(false);
    const [state] = await db.query<{ status: string; finished_at: Date | null }>('SELECT status, finished_at FROM campaigns WHERE id = $1', [campaign.id]);
    expect(state!.status).toBe('sent');
    expect(state!.finished_at).toBeInstanceOf(Date);
    expect(recording.published).toEqual([{ type: 'campaign:updated', campaign: expect.objectContaining({ id: campaign.id, status: 'sent', stats: expect.objectContaining({ sent: 1, failed: 1, pending: 0 }) }) }]);
  });
});
