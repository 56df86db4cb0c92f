import { randomUUID } from 'node:crypto';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import request from 'supertest';
import { startTestHub, type TestHub } from '../../support/hub';
import { agentApi, conversationOfEmail, mailClient } from '../../support/mail';
import { login } from '../../support/sockets';

const API_KEY = 'inbound-key-0123456789abcdef';
let hub: TestHub;
let token: string;
let client: ReturnType<typeof mailClient>;

beforeAll(async () => {
  hub = await startTestHub({
    SMTP_MAX_MESSAGE_BYTES: String(1024 * 1024),
    SMTP_SENDER_LIMIT_PER_MINUTE: '10',
    INBOUND_EMAIL_API_KEY: API_KEY,
  });
  ({ token } = await login(hub.url));
  client = mailClient(hub);
});
afterAll(async () => {
  client.close();
  await hub.stop();
});

const countRows = async () => {
  const [row] = await hub.db.query<{ messages: number; customers: number; attachments: number }>(
    `SELECT (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM customers)::int AS customers,
            (SELECT count(*) FROM attachments)::int AS attachments`,
  );
  return row;
};

const smtpCodeOf = async (sending: Promise<unknown>) => {
  try {
    await sending;
    return 250;
  } catch (error) {
    return (error as { responseCode?: number }).responseCode;
  }
};

const gbk = (text: string) => iconv.encode(text, 'gbk').toString('base64');

describe('inbound mail', () => {
  it('reads a GBK-encoded Chinese message correctly in the API', async () => {
    const address = `zhang.${randomUUID().slice(0, 8)}@example.cn`;
    const raw = [
      `From: =?GBK?B?${gbk('张伟')}?= <${address}>`,
      'To: support@example.com',
      `Subject: =?GBK?B?${gbk('发票问题')}?=`,
      `Message-ID: <${randomUUID()}@example.cn>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=GBK',
      'Content-Transfer-Encoding: base64',
      '',
      gbk('您好，我的发票金额不对，请帮我看一下。'),
      '',
    ].join('\r\n');
    await client.send({ envelope: { from: address, to: ['support@example.com'] }, raw });

    const [conversation] = await conversationOfEmail(hub, address);
    const api = agentApi(hub, token);
    const detail = await api.get(`/api/conversations/${conversation!.id}`);
    expect(detail).toMatchObject({ subject: '发票问题', customerName: '张伟' });
    const { items } = await api.get(`/api/conversations/${conversation!.id}/messages`);
    expect(items[0].body).toBe('您好，我的发票金额不对，请帮我看一下。');
  });

  it.each([
    ['GB2312', 'gb2312', '退款申请', '我想申请退款。'],
    ['Big5', 'big5', '訂單查詢', '請問我的訂單到哪裡了？'],
    ['ISO-2022-JP', 'iso-2022-jp', '注文について', '注文の状況を教えてください。'],
  ])('decodes a %s subject and body', async (_name, charset, subject, text) => {
    const address = `${charset.replace(/\W/g, '')}.${randomUUID().slice(0, 8)}@example.jp`;
    // iconv-lite has no ISO-2022-JP encoder; encoding-japanese (which mailparser decodes with) has.
    const encode = (value: string) =>
      charset === 'iso-2022-jp'
        ? Buffer.from(Encoding.convert(Encoding.stringToCode(value), { to: 'JIS', from: 'UNICODE' })).toString('base64')
        : iconv.encode(value, charset).toString('base64');
    const raw = [
      `From: ${address}`,
      'To: support@example.com',
      `Subject: =?${charset}?B?${encode(subject)}?=`,
      'MIME-Version: 1.0',
      `Content-Type: text/plain; charset=${charset}`,
      'Content-Transfer-Encoding: base64',
      '',
      encode(text),
      '',
    ].join('\r\n');
    await client.send({ envelope: { from: address, to: ['support@example.com'] }, raw });
    const [conversation] = await conversationOfEmail(hub, address);
    const api = agentApi(hub, token);
    expect(await api.get(`/api/conversations/${conversation!.id}`)).toMatchObject({ subject });
    const { items } = await api.get(`/api/conversations/${conversation!.id}/messages`);
    expect(items[0].body).toBe(text);
  });

  it('keeps sanitized HTML, the full text and the visible new text', async () => {
    const address = `html.${randomUUID().slice(0, 8)}@example.net`;
    await client.send({
      from: address,
      subject: 'Formatted',
      text: 'New words\n\nOn Tue, 2 Jan 2026, Support <support@example.com> wrote:\n> old words\n',
      html: '<p onclick="steal()">New <b>words</b></p><script>alert(1)</script><img src="https://tracker.example/p.gif">',
    });
    const [conversation] = await conversationOfEmail(hub, address);
    const { items } = await agentApi(hub, token).get(`/api/conversations/${conversation!.id}/messages`);
    expect(items[0].body).toBe('New words');
    expect(items[0].email.text).toContain('> old words');
    expect(items[0].email.html).toContain('New <b>words</b>');
    expect(items[0].email.html).not.toMatch(/<script|onclick|<img[^>]* src=/);
    expect(items[0].email.html).toContain('data-remote-src="https://tracker.example/p.gif"');
  });

  it('stores attachments on disk and serves them to agents only', async () => {
    const address = `files.${randomUUID().slice(0, 8)}@example.net`;
    await client.send({
      from: address,
      subject: 'Receipt attached',
      text: 'See the receipt.',
      attachments: [{ filename: 'receipt.txt', content: 'total: 42.00 CNY', contentType: 'text/plain' }],
    });
    const [conversation] = await conversationOfEmail(hub, address);
    const { items } = await agentApi(hub, token).get(`/api/conversations/${conversation!.id}/messages`);
    const [attachment] = items[0].attachments;
    expect(attachment).toMatchObject({ filename: 'receipt.txt', contentType: 'text/plain', size: 16 });

    const download = await request(hub.handler).get(`/api/attachments/${attachment.id}`).set('authorization', `Bearer ${token}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.text).toBe('total: 42.00 CNY');
    const [stored] = await hub.db.query<{ sha256: string }>('SELECT sha256 FROM attachments WHERE id = $1', [attachment.id]);
    expect(stored!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await request(hub.handler).get(`/api/attachments/${attachment.id}`)).status).toBe(401);
  });

  it('refuses mail for an address that is not a support address with 550', async () => {
    const before = await countRows();
    expect(await smtpCodeOf(client.send({ from: 'someone@example.net', to: 'sales@example.com', subject: 'Hi', text: 'Hi' }))).toBe(550);
    expect(await countRows()).toEqual(before);
  });

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    const before = await countRows();
    const code = await smtpCodeOf(client.send({ from: 'big@example.net', subject: 'Big', text: 'x'.repeat(1100 * 1024) }));
    expect(code).toBe(552);
    expect(await countRows()).toEqual(before);
  });

  it('refuses a message with 500 attachments with 552 and stores nothing', async () => {
    const before = await countRows();
    const attachments = Array.from({ length: 500 }, (_, index) => ({ filename: `f${index}.txt`, content: `file ${index}` }));
    expect(await smtpCodeOf(client.send({ from: 'many@example.net', subject: 'Many', text: 'Files', attachments }))).toBe(552);
    expect(await countRows()).toEqual(before);
  });

  it.each([
    ['no From header', 'To: support@example.com\r\nSubject: Who am I\r\n\r\nNobody.\r\n'],
    ['a zero-byte body', ''],
    ['no text, subject or attachments', 'From: blank@example.net\r\nTo: support@example.com\r\n\r\n'],
  ])('refuses a message with %s with 550 and stores nothing', async (_case, raw) => {
    const before = await countRows();
    expect(await smtpCodeOf(client.send({ envelope: { from: 'x@example.net', to: ['support@example.com'] }, raw }))).toBe(550);
    expect(await countRows()).toEqual(before);
  });

  it('slows a flood from one sender with 451 and keeps serving others', async () => {
    const flooder = `flood.${randomUUID().slice(0, 8)}@example.net`;
    const codes: (number | undefined)[] = [];
    for (let i = 0; i < 12; i++) codes.push(await smtpCodeOf(client.send({ from: flooder, subject: `Spam ${i}`, text: 'Buy now' })));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(250));
    expect(codes.slice(10)).toEqual([451, 451]);
    expect(await smtpCodeOf(client.send({ from: `calm.${randomUUID().slice(0, 8)}@example.net`, subject: 'Hello', text: 'A real question' }))).toBe(250);
  });

  describe('POST /api/inbound/email', () => {
    const raw = (address: string) =>
      `From: ${address}\r\nTo: support@example.com\r\nSubject: Via webhook\r\nMessage-ID: <${randomUUID()}@example.net>\r\n\r\nHello through the API.\r\n`;

    it('feeds a raw message into the same ingest path', async () => {
      const address = `api.${randomUUID().slice(0, 8)}@example.net`;
      const message = raw(address);
      const response = await request(hub.handler).post('/api/inbound/email').set('x-api-key', API_KEY).type('message/rfc822').send(message);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ outcome: 'ingested', duplicate: false, conversationId: expect.stringMatching(/^cnv_/) });
      const again = await request(hub.handler).post('/api/inbound/email').set('x-api-key', API_KEY).type('message/rfc822').send(message);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ duplicate: true, messageId: response.body.messageId });
    });

    it('refuses a wrong API key with 401 and malformed mail with 422', async () => {
      const wrong = await request(hub.handler).post('/api/inbound/email').set('x-api-key', 'nope').type('message/rfc822').send(raw('a@example.net'));
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('unauthorized');
      const malformed = await request(hub.handler).post('/api/inbound/email').set('x-api-key', API_KEY).type('message/rfc822').send('Subject: no sender\r\n\r\nx');
      expect(malformed.status).toBe(422);
      expect(malformed.body.error.code).toBe('email_rejected');
    });
  });
});
