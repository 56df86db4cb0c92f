import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { WIDGET_BUNDLE, widgetBundle } from '../../../server/http/widgetBundle';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, login } from '../../support/sockets';

jest.setTimeout(60_000);

const hub = signedInHub();
afterEach(closeAllSockets);

const publicSettings = (key?: string) => request(hub.handler).get(`/api/widget/settings${key ? `?key=${encodeURIComponent(key)}` : ''}`);
const uniqueKey = () => `site-${randomUUID().slice(0, 8)}`;

describe('GET /api/widget/settings', () => {
  it('answers the default settings to anyone, with no agent online', async () => {
    const response = await publicSettings();

    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.body).toEqual({
      key: 'default',
      colors: { primary: '#2563eb', onPrimary: '#ffffff' },
      greeting: { en: expect.any(String), zh: expect.any(String) },
      preChat: { name: 'off', email: 'off' },
      language: 'auto',
      availability: { online: false, agentsOnline: 0, withinBusinessHours: true },
      limits: { messageMaxLength: hub.config.messageMaxLength, attachmentMaxBytes: hub.config.email.attachmentMaxBytes },
    });
  });

  it('goes online when an agent connects', async () => {
    expect((await publicSettings()).body.availability.online).toBe(false);

    await connectAgent(hub.url, hub.token);

    expect((await publicSettings()).body.availability).toEqual({ online: true, agentsOnline: 1, withinBusinessHours: true });
  });

  it('answers the default settings for a key nobody configured', async () => {
    const response = await publicSettings('never-configured');

    expect(response.status).toBe(200);
    expect(response.body.key).toBe('default');
  });
});

describe('admin widget settings', () => {
  it("saves a key's settings, which its embeds then get, and lists them", async () => {
    const key = uniqueKey();
    const saved = await hub.put(`/api/admin/widget/settings/${key}`, {
      colors: { primary: '#112233', onPrimary: '#FFEEDD' },
      greeting: { en: 'Hello from the shop', zh: '欢迎光临' },
      preChat: { name: 'required', email: 'optional' },
      language: 'zh',
    });

    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      key,
      colors: { primary: '#112233', onPrimary: '#FFEEDD' },
      greeting: { en: 'Hello from the shop', zh: '欢迎光临' },
      preChat: { name: 'required', email: 'optional' },
      language: 'zh',
      updatedAt: expect.any(String),
    });
    const served = await publicSettings(key);
    expect(served.body).toMatchObject({ key, colors: saved.body.colors, greeting: saved.body.greeting, preChat: saved.body.preChat, language: 'zh' });
    const list = await hub.get('/api/admin/widget/settings');
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { key: string }) => item.key)).toEqual(expect.arrayContaining(['default', key]));
  });

  it('keeps the fields a change leaves out, starting a new key from the defaults', async () => {
    const key = uniqueKey();
    await hub.put(`/api/admin/widget/settings/${key}`, { language: 'en' });
    const changed = await hub.put(`/api/admin/widget/settings/${key}`, { colors: { primary: '#000000', onPrimary: '#ffffff' } });

    expect(changed.body).toMatchObject({ key, language: 'en', colors: { primary: '#000000' }, preChat: { name: 'off', email: 'off' } });
  });

  it.each([
    ['a colour that is not #rrggbb', { colors: { primary: 'red', onPrimary: '#ffffff' } }],
    ['a greeting over 500 characters', { greeting: { en: 'x'.repeat(501), zh: '' } }],
    ['an unknown pre-chat mode', { preChat: { name: 'sometimes', email: 'off' } }],
    ['an unknown language', { language: 'fr' }],
    ['an unknown field', { theme: 'dark' }],
  ])('refuses %s and stores nothing', async (_case, body) => {
    const key = uniqueKey();
    const response = await hub.put(`/api/admin/widget/settings/${key}`, body);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(await hub.db.query('SELECT key FROM widget_settings WHERE key = $1', [key])).toEqual([]);
  });

  it('is for admins only', async () => {
    const email = `agent-${randomUUID().slice(0, 8)}@example.com`;
    const created = await hub.post('/api/agents', { email, password: 'long-enough-password', name: 'Plain Agent' });
    expect(created.status).toBe(201);
    const { token } = await login(hub.url, { email, password: 'long-enough-password' });
    const asAgent = { authorization: `Bearer ${token}` };

    const list = await request(hub.handler).get('/api/admin/widget/settings').set(asAgent);
    const put = await request(hub.handler).put('/api/admin/widget/settings/default').set(asAgent).send({ language: 'zh' });
    const anonymous = await request(hub.handler).put('/api/admin/widget/settings/default').send({ language: 'zh' });

    expect([list.status, put.status, anonymous.status]).toEqual([403, 403, 401]);
    expect((await publicSettings()).body.language).toBe('auto');
  });
});

describe('GET /widget.js', () => {
  it('serves the built bundle as cacheable JavaScript for any origin, or says how to build it', async () => {
    const response = await request(hub.handler).get('/widget.js');

    if (existsSync(WIDGET_BUNDLE)) {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/javascript; charset=utf-8');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['cache-control']).toBe('public, max-age=300');
      expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
      const again = await request(hub.handler).get('/widget.js').set('if-none-match', response.headers.etag!);
      expect(again.status).toBe(304);
    } else {
      expect(response.status).toBe(503);
      expect(response.body.error).toEqual({ code: 'widget_not_built', message: expect.stringContaining('npm run build:widget') });
    }
  });
});

describe('the widget bundle', () => {
  it('says how to build it while the file is missing', async () => {
    await expect(widgetBundle(path.join(tmpdir(), `missing-${randomUUID()}.js`)).read()).rejects.toMatchObject({ code: 'widget_not_built' });
  });

  it('picks up a rebuild with a new ETag', async () => {
    const file = path.join(tmpdir(), `widget-${randomUUID()}.js`);
    const bundle = widgetBundle(file);
    try {
      writeFileSync(file, 'console.log(1);');
      const first = await bundle.read();
      writeFileSync(file, 'console.log("rebuilt");');
      const second = await bundle.read();

      expect(second.content.toString()).toBe('console.log("rebuilt");');
      expect(second.etag).not.toBe(first.etag);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
