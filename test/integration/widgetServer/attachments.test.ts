import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';

jest.setTimeout(60_000);

const MAX_BYTES = 2048;
const hub = signedInHub({ ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
afterEach(closeAllSockets);

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4c40000000049454e44ae426082', 'hex');

const upload = (visitorId: string | undefined, content: Buffer, filename: string, contentType: string) => {
  const pending = request(hub.handler).post('/api/widget/attachments');
  return (visitorId ? pending.set('x-visitor-id', visitorId) : pending).attach('file', content, { filename, contentType });
};
const download = (attachmentId: string, visitorId: string) =>
  request(hub.handler).get(`/api/widget/attachments/${attachmentId}?visitorId=${encodeURIComponent(visitorId)}`).buffer(true);

describe('POST /api/widget/attachments', () => {
  it('stores a visitor\'s file, unsent, and answers what it is', async () => {
    const { session } = await connectVisitor(hub.url);

    const response = await upload(session.visitorId, PNG, 'screenshot.png', 'image/png');

    expect(response.status).toBe(201);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.body).toEqual({ id: expect.stringMatching(/^att_/), filename: 'screenshot.png', contentType: 'image/png', size: PNG.length });
    const [row] = await hub.db.query('SELECT message_id, uploaded_by_customer_id FROM attachments WHERE id = $1', [response.body.id]);
    expect(row).toEqual({ message_id: null, uploaded_by_customer_id: session.customerId });
  });

  it('refuses an unknown visitor with 401 and stores nothing', async () => {
    const before = await hub.db.query('SELECT count(*)::int AS n FROM attachments');
    const unknown = await upload('vis_unknown', PNG, 'a.png', 'image/png');
    const missing = await upload(undefined, PNG, 'a.png', 'image/png');

    expect([unknown.status, missing.status]).toEqual([401, 401]);
    expect(await hub.db.query('SELECT count(*)::int AS n FROM attachments')).toEqual(before);
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES with 413, and accepts one of exactly that size', async () => {
    const { session } = await connectVisitor(hub.url);

    const tooBig = await upload(session.visitorId, Buffer.alloc(MAX_BYTES + 1, 1), 'big.bin', 'application/octet-stream');
    const justRight = await upload(session.visitorId, Buffer.alloc(MAX_BYTES, 2), 'fits.bin', 'application/octet-stream');

    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('payload_too_large');
    expect(justRight.status).toBe(201);
    expect(await hub.db.query('SELECT filename FROM attachments WHERE uploaded_by_customer_id = $1', [session.customerId])).toEqual([{ filename: 'fits.bin' }]);
  });

  it('refuses anything but one multipart file in the field "file"', async () => {
    const { session } = await connectVisitor(hub.url);

    const json = await request(hub.handler).post('/api/widget/attachments').set('x-visitor-id', session.visitorId).send({ file: 'abc' });
    const wrongField = await request(hub.handler).post('/api/widget/attachments').set('x-visitor-id', session.visitorId).attach('upload', PNG, 'a.png');
    const two = await request(hub.handler)
      .post('/api/widget/attachments')
      .set('x-visitor-id', session.visitorId)
      .attach('file', PNG, 'a.png')
      .attach('file', PNG, 'b.png');

    expect([json.status, wrongField.status, two.status]).toEqual([415, 400, 413]);
  });

  it('answers the CORS preflight for any page', async () => {
    const response = await request(hub.handler).options('/api/widget/attachments').set('origin', 'https://shop.example').set('access-control-request-headers', 'x-visitor-id');

    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-headers']).toMatch(/X-Visitor-Id/);
  });
});

describe('sending and downloading uploads', () => {
  it('sends uploads with a message (the body may be empty), which the agent sees and only the owner downloads', async () => {
    const agent = await connectAgent(hub.url, hub.token);
    const { socket: visitor, session } = await connectVisitor(hub.url);
    const image = (await upload(session.visitorId, PNG, 'photo.png', 'image/png')).body;
    const text = (await upload(session.visitorId, Buffer.from('<script>alert(1)</script>'), 'notes.html', 'text/html')).body;
    const clientId = randomUUID();
    const atAgent = nextEvent(agent, 'message:new', (m) => m.clientId === clientId);

    const sent = await visitor.emitWithAck('message:send', { clientId, body: '', attachmentIds: [image.id, text.id] });

    expect(sent).toMatchObject({ ok: true, message: { body: '', attachments: [image, text] } });
    expect((await atAgent).attachments).toEqual([image, text]);
    const history = await visitor.emitWithAck('messages:since', {});
    expect(history.messages.map((m: { attachments: unknown }) => m.attachments)).toEqual([[image, text]]);

    const shown = await download(image.id, session.visitorId);
    expect(shown.status).toBe(200);
    expect(Buffer.compare(shown.body as Buffer, PNG)).toBe(0);
    expect(shown.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': "inline; filename*=UTF-8''photo.png",
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    const saved = await download(text.id, session.visitorId);
    expect(saved.status).toBe(200);
    expect(saved.headers['content-disposition']).toBe("attachment; filename*=UTF-8''notes.html");
    expect(saved.headers['x-content-type-options']).toBe('nosniff');

    const { session: stranger } = await connectVisitor(hub.url);
    expect((await download(image.id, stranger.visitorId)).status).toBe(404);
    expect((await download(image.id, 'vis_unknown')).status).toBe(404);
    expect((await request(hub.handler).get(`/api/widget/attachments/${image.id}`)).status).toBe(404);
  });

  it("refuses to send another visitor's upload, or one already sent, and stores no message", async () => {
    const { socket: owner, session } = await connectVisitor(hub.url);
    const { socket: thief, session: thiefSession } = await connectVisitor(hub.url);
    const file = (await upload(session.visitorId, PNG, 'mine.png', 'image/png')).body;

    const stolen = await thief.emitWithAck('message:send', { clientId: randomUUID(), body: 'look', attachmentIds: [file.id] });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'attachment_not_found' } });
    expect(await hub.db.query('SELECT id FROM messages WHERE customer_id = $1', [thiefSession.customerId])).toEqual([]);

    expect((await owner.emitWithAck('message:send', { clientId: randomUUID(), body: 'first', attachmentIds: [file.id] })).ok).toBe(true);
    const twice = await owner.emitWithAck('message:send', { clientId: randomUUID(), body: 'again', attachmentIds: [file.id] });
    expect(twice).toMatchObject({ ok: false, error: { code: 'attachment_not_found' } });
    expect(await hub.db.query('SELECT body FROM messages WHERE customer_id = $1', [session.customerId])).toEqual([{ body: 'first' }]);
  });

  it('still refuses an empty message without files, and more than 10 files', async () => {
    const { socket: visitor, session } = await connectVisitor(hub.url);
    const ids = [];
    for (let i = 0; i < 11; i++) ids.push((await upload(session.visitorId, Buffer.from(`file ${i}`), `f${i}.txt`, 'text/plain')).body.id);

    const empty = await visitor.emitWithAck('message:send', { clientId: randomUUID(), body: '   ', attachmentIds: [] });
    const tooMany = await visitor.emitWithAck('message:send', { clientId: randomUUID(), body: 'all of them', attachmentIds: ids });

    expect(empty).toMatchObject({ ok: false, error: { code: 'message_empty' } });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await hub.db.query('SELECT id FROM messages WHERE customer_id = $1', [session.customerId])).toEqual([]);
  });
});
