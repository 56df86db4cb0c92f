import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestHub, type TestHub } from '../../support/hub';
import { mailClient } from '../../support/mail';
import { startSmtpSink, type SmtpSink } from '../../support/smtpSink';
import { closeAllSockets, connectAgent, login, nextEvent } from '../../support/sockets';
import { type Audience, draftCampaign, messagesByRecipient, rawHeader, seedAudience } from './sendingFixtures';

jest.setTimeout(60_000);

const PUBLIC_URL = 'https://hub.example.com';

let sink: SmtpSink;
let hub: TestHub;
let token: string;
const auth = () => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  sink = await startSmtpSink();
  hub = await startTestHub({ SMTP_OUT_URL: sink.url, PUBLIC_URL });
  ({ token } = await login(hub.url));
});
afterEach(closeAllSockets);
afterAll(async () => {
  await hub.stop();
  await sink.close();
});

/** The links of one recipient's message, as paths on this hub. */
type Links = { pixel: string; clicks: string[]; unsubscribe: string; oneClick: string; messageId: string };

/** Sends a campaign to a fresh audience and returns it with each customer's links. */
async function sentCampaign(mailed = 2): Promise<{ campaignId: string; audience: Audience; links: Links[] }> {
  const audience = await seedAudience(hub, { mailed });
  const campaign = await draftCampaign(hub.handler, auth(), audience.tag);
  const agent = await connectAgent(hub.url, token);
  const sent = nextEvent(agent, 'campaign:updated', (updated) => updated.id === campaign.id && updated.status === 'sent', 20_000);
  await request(hub.handler).post(`/api/campaigns/${campaign.id}/schedule`).set(auth()).send({});
  await sent;
  const byAddress = messagesByRecipient(sink.messages);
  const path = (url: string) => url.replace(PUBLIC_URL, '');
  const links = audience.mailed.map(({ email }) => {
    const message = byAddress.get(email)![0]!;
    const html = String(message.mail.html);
    return {
      pixel: path(/<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1]!),
      clicks: [...html.matchAll(/href="([^"]+\/t\/c\/[^"]+)"/g)].map((match) => path(match[1]!)),
      unsubscribe: path(/href="([^"]+\/u\/[^"]+)"/.exec(html)![1]!),
      oneClick: path(/^<(.+)>$/.exec(rawHeader(message, 'List-Unsubscribe')!)![1]!),
      messageId: message.mail.messageId!,
    };
  });
  return { campaignId: campaign.id, audience, links };
}

const stats = async (campaignId: string) => (await request(hub.handler).get(`/api/campaigns/${campaignId}/stats`).set(auth())).body;
const timeline = (customerId: string, kind: string) =>
  hub.db.query<{ data: Record<string, unknown> }>('SELECT data FROM timeline_events WHERE customer_id = $1 AND kind = $2 ORDER BY at, id', [customerId, kind]);
const recorded = async () => {
  const [row] = await hub.db.query<{ events: number; timeline: number; suppressions: number }>(
    `SELECT (SELECT count(*) FROM campaign_events) AS events,
            (SELECT count(*) FROM timeline_events WHERE kind LIKE 'campaign.%' AND kind <> 'campaign.sent') AS timeline,
            (SELECT count(*) FROM suppressions) AS suppressions`,
  );
  return row!;
};

describe('campaign tracking', () => {
  it('records an open once per recipient, in the stats, on the timeline and live to consoles, however often the pixel loads', async () => {
    const { campaignId, audience, links } = await sentCampaign();
    const agent = await connectAgent(hub.url, token);
    const live = nextEvent(agent, 'campaign:stats', (event) => event.campaignId === campaignId && event.stats.opened === 1, 5000);
    for (let load = 0; load < 3; load++) {
      const pixel = await request(hub.handler).get(links[0]!.pixel);
      expect(pixel.status).toBe(200);
      expect(pixel.headers['content-type']).toBe('image/gif');
      expect(pixel.headers['cache-control']).toContain('no-store');
      expect(pixel.body.subarray(0, 6).toString()).toBe('GIF89a');
    }
    expect(await stats(campaignId)).toEqual(expect.objectContaining({ sent: 2, opened: 1, clicked: 0 }));
    expect(await timeline(audience.mailed[0]!.id, 'campaign.opened')).toEqual([{ data: expect.objectContaining({ campaignId, campaignName: `Spring ${audience.tag}` }) }]);
    expect(await timeline(audience.mailed[1]!.id, 'campaign.opened')).toEqual([]);
    await live;
  });

  it('redirects a tracked link to its URL, records the click once per recipient and link, and counts it as an open', async () => {
    const { campaignId, audience, links } = await sentCampaign();
    const [sale, news] = links[1]!.clicks;
    for (let follow = 0; follow < 2; follow++) {
      const click = await request(hub.handler).get(sale!);
      expect(click.status).toBe(302);
      expect(click.headers.location).toBe('https://shop.example.com/sale?from=mail&x=1');
    }
    expect((await request(hub.handler).get(news!)).headers.location).toBe('https://shop.example.com/new');
    expect(await stats(campaignId)).toEqual(expect.objectContaining({ opened: 1, clicked: 1 }));
    const customerId = audience.mailed[1]!.id;
    expect((await timeline(customerId, 'campaign.clicked')).map((event) => event.data.url)).toEqual(['https://shop.example.com/sale?from=mail&x=1', 'https://shop.example.com/new']);
    expect(await timeline(customerId, 'campaign.opened')).toHaveLength(1);
    // The customer's timeline through the API shows them too.
    const api = await request(hub.handler).get(`/api/customers/${customerId}/timeline?kind=campaign`).set(auth());
    expect(api.body.items.map((event: { kind: string }) => event.kind).sort()).toEqual(['campaign.clicked', 'campaign.clicked', 'campaign.opened', 'campaign.sent']);
  });

  it('answers a forged or tampered token with 404 (the pixel still with its image) and records nothing', async () => {
    const { links } = await sentCampaign(1);
    const before = await recorded();
    const [, token] = /\/t\/c\/(.+)$/.exec(links[0]!.clicks[0]!)!;
    const [payload, signature] = token!.split('.');
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const forged = [
      `${payload}.${flip(signature!, 5)}`,
      `${flip(payload!, 3)}.${signature}`,
      // Another recipient's id under this recipient's signature.
      `${Buffer.from(Buffer.from(payload!, 'base64url').toString().replace(/^c\.\d+/, 'c.1')).toString('base64url')}.${signature}`,
      `${Buffer.from('c.1.https://evil.example/').toString('base64url')}.${'x'.repeat(43)}`,
      'not-a-token',
    ];
    for (const bad of forged) {
      expect((await request(hub.handler).get(`/t/c/${bad}`)).status).toBe(404);
      expect((await request(hub.handler).post(`/u/${bad}`).type('form').send('List-Unsubscribe=One-Click')).status).toBe(404);
      expect((await request(hub.handler).get(`/u/${bad}`)).status).toBe(404);
      const pixel = await request(hub.handler).get(`/t/o/${bad}.gif`);
      expect({ status: pixel.status, type: pixel.headers['content-type'] }).toEqual({ status: 200, type: 'image/gif' });
    }
    // A genuine token of one kind does not work as another.
    expect((await request(hub.handler).get(links[0]!.pixel.replace('/t/o/', '/t/c/').replace(/\.gif$/, ''))).status).toBe(404);
    expect((await request(hub.handler).post(links[0]!.clicks[0]!.replace('/t/c/', '/u/'))).status).toBe(404);
    expect(await recorded()).toEqual(before);
  });

  it('unsubscribes at once with one click (RFC 8058) or from the page, once, and later campaigns skip the address', async () => {
    const { campaignId, audience, links } = await sentCampaign();
    const [first, second] = audience.mailed;
    // The page only asks: link scanners that fetch it unsubscribe nobody.
    const page = await request(hub.handler).get(links[0]!.unsubscribe);
    expect(page.status).toBe(200);
    expect(page.text).toContain(first!.email);
    expect(page.text).toMatch(/<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">/);
    expect(await hub.db.query('SELECT 1 FROM suppressions WHERE email = $1', [first!.email])).toEqual([]);
    expect(links[0]!.unsubscribe).toBe(links[0]!.oneClick);

    for (let repeat = 0; repeat < 2; repeat++) {
      const done = await request(hub.handler).post(links[0]!.oneClick).type('form').send('List-Unsubscribe=One-Click');
      expect(done.status).toBe(200);
      expect(done.text).toContain('will get no more campaign emails');
    }
    // The page's own button posts the same form.
    expect((await request(hub.handler).post(links[1]!.unsubscribe).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);
    const suppressed = await hub.db.query<{ email: string; reason: string; campaign_id: string }>(
      'SELECT email, reason, campaign_id FROM suppressions WHERE email = ANY($1) ORDER BY email',
      [[first!.email, second!.email]],
    );
    expect(suppressed).toEqual([first, second].map((customer) => ({ email: customer!.email, reason: 'unsubscribed', campaign_id: campaignId })).sort((a, b) => a.email.localeCompare(b.email)));
    expect(await stats(campaignId)).toEqual(expect.objectContaining({ unsubscribed: 2 }));
    expect(await timeline(first!.id, 'campaign.unsubscribed')).toHaveLength(1);

    const next = await draftCampaign(hub.handler, auth(), audience.tag);
    const agent = await connectAgent(hub.url, token);
    const sent = nextEvent(agent, 'campaign:updated', (updated) => updated.id === next.id && updated.status === 'sent', 20_000);
    const before = sink.messages.length;
    await request(hub.handler).post(`/api/campaigns/${next.id}/schedule`).set(auth()).send({});
    await sent;
    expect(sink.messages.length).toBe(before);
    expect(await stats(next.id)).toEqual(expect.objectContaining({ recipients: 0, skipped: 2 }));
  });

  it('skips a recipient whose address is suppressed after the campaign started, when their turn comes', async () => {
    const audience = await seedAudience(hub, { mailed: 3 });
    const campaign = await draftCampaign(hub.handler, auth(), audience.tag, { ratePerSecond: 1 });
    await request(hub.handler).post(`/api/campaigns/${campaign.id}/schedule`).set(auth()).send({});
    await sink.next((message) => message.envelope.to.includes(audience.mailed[0]!.email), 10_000);
    expect((await request(hub.handler).post('/api/suppressions').set(auth()).send({ email: audience.mailed[2]!.email.toUpperCase(), reason: 'complained' })).status).toBe(201);
    const agent = await connectAgent(hub.url, token);
    await nextEvent(agent, 'campaign:updated', (updated) => updated.id === campaign.id && updated.status === 'sent', 10_000);
    expect(messagesByRecipient(sink.messages).has(audience.mailed[2]!.email)).toBe(false);
    const [row] = await hub.db.query<{ status: string; skip_reason: string }>('SELECT status, skip_reason FROM campaign_recipients WHERE campaign_id = $1 AND email = $2', [
      campaign.id,
      audience.mailed[2]!.email,
    ]);
    expect(row).toEqual({ status: 'skipped', skip_reason: 'suppressed' });
  });

  it('marks a hard-bounced recipient bounced, suppresses the address and records it once; a delay notice changes nothing', async () => {
    const { campaignId, audience, links } = await sentCampaign();
    const client = mailClient(hub);
    const report = (recipient: string, messageId: string, action: 'failed' | 'delayed') => {
      const boundary = randomUUID();
      return [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
        'To: news@shop.example.com',
        'Subject: Undelivered Mail Returned to Sender',
        `Message-ID: <${randomUUID()}@mx.example.net>`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.net',
        '',
        `Final-Recipient: rfc822; ${recipient}`,
        `Action: ${action}`,
        `Status: ${action === 'failed' ? '5.1.1' : '4.4.7'}`,
        `Diagnostic-Code: smtp; ${action === 'failed' ? '550 5.1.1 User unknown' : '451 4.4.7 Delayed'}`,
        `--${boundary}`,
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${messageId}`,
        `To: ${recipient}`,
        `--${boundary}--`,
        '',
      ].join('\r\n');
    };
    try {
      const [bounced, delayed] = audience.mailed;
      await client.send({ envelope: { from: '', to: ['support@example.com'] }, raw: report(delayed!.email, links[1]!.messageId, 'delayed') });
      for (let repeat = 0; repeat < 2; repeat++) {
        await client.send({ envelope: { from: '', to: ['support@example.com'] }, raw: report(bounced!.email, links[0]!.messageId, 'failed') });
      }
      expect(await stats(campaignId)).toEqual(expect.objectContaining({ sent: 2, bounced: 1 }));
      const rows = await hub.db.query<{ email: string; status: string; error: string | null }>('SELECT email, status, error FROM campaign_recipients WHERE campaign_id = $1 ORDER BY id', [campaignId]);
      expect(rows).toEqual([
        { email: bounced!.email, status: 'bounced', error: '5.1.1 550 5.1.1 User unknown' },
        { email: delayed!.email, status: 'sent', error: null },
      ]);
      expect(await hub.db.query('SELECT reason FROM suppressions WHERE email = $1', [bounced!.email])).toEqual([{ reason: 'bounced' }]);
      expect(await hub.db.query('SELECT 1 FROM suppressions WHERE email = $1', [delayed!.email])).toEqual([]);
      expect(await timeline(bounced!.id, 'campaign.bounced')).toHaveLength(1);
      // Bounces are not customer messages.
      expect(await hub.db.query("SELECT 1 FROM messages WHERE body LIKE '%could not be delivered%'")).toEqual([]);
    } finally {
      client.close();
    }
  });
});

describe('the suppression list', () => {
  it('adds, lists by prefix, keeps the first reason and removes addresses; only admins change it', async () => {
    const prefix = `sup${randomUUID().slice(0, 6)}`;
    const add = (email: string, reason?: string) => request(hub.handler).post('/api/suppressions').set(auth()).send({ email, reason });
    const created = await add(`${prefix}.a@Example.NET`, 'manual');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ email: `${prefix}.a@example.net`, reason: 'manual', campaignId: null, createdAt: expect.any(String) });
    expect((await add(`${prefix}.a@example.net`, 'bounced')).body.reason).toBe('manual');
    expect((await add(`${prefix}.b@example.net`)).status).toBe(201);
    expect((await add('not an address')).body.error.code).toBe('invalid_email');
    expect((await add(`${prefix}.c@example.net`, 'annoyed')).body.error.code).toBe('validation_failed');

    const listed = await request(hub.handler).get(`/api/suppressions?q=${prefix}&limit=1`).set(auth());
    expect(listed.body.items.map((item: { email: string }) => item.email)).toEqual([`${prefix}.b@example.net`]);
    const rest = await request(hub.handler).get(`/api/suppressions?q=${prefix}&limit=1&cursor=${listed.body.nextCursor}`).set(auth());
    expect(rest.body).toEqual({ items: [expect.objectContaining({ email: `${prefix}.a@example.net` })], nextCursor: null });
    expect((await request(hub.handler).get('/api/suppressions?q=%25').set(auth())).body.items).toEqual([]);

    expect((await request(hub.handler).delete(`/api/suppressions/${prefix}.a@example.net`).set(auth())).status).toBe(204);
    expect((await request(hub.handler).delete(`/api/suppressions/${prefix}.a@example.net`).set(auth())).status).toBe(404);

    const email = `agent.${prefix}@example.com`;
    await request(hub.handler).post('/api/agents').set(auth()).send({ email, name: 'Agent', password: 'agent-password' });
    const agent = { authorization: `Bearer ${(await login(hub.url, { email, password: 'agent-password' })).token}` };
    expect((await request(hub.handler).get('/api/suppressions').set(agent)).status).toBe(200);
    expect((await request(hub.handler).post('/api/suppressions').set(agent).send({ email: `${prefix}.d@example.net` })).status).toBe(403);
    expect((await request(hub.handler).delete(`/api/suppressions/${prefix}.b@example.net`).set(agent)).status).toBe(403);
  });
});
