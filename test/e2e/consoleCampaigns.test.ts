import type { Page } from 'playwright-core';
import request from 'supertest';
import { ADMIN, startTestHub, type TestHub } from '../support/hub';
import { login } from '../support/sockets';
import { openBrowser } from './support/browser';
import { eventually, shot } from './support/waiting';

/**
 * The console's campaign pages in headless Chromium against a real hub with its workers: an admin
 * writes a campaign for a segment, the live preview personalises it and points at a broken
 * variable by line and column, and sending it now shows the figures climb to every recipient.
 */
jest.setTimeout(90_000);

let hub: TestHub;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let token: string;

const post = (path: string, body: object) => request(hub.handler).post(path).set({ authorization: `Bearer ${token}` }).send(body);
const get = (path: string) => request(hub.handler).get(path).set({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  hub = await startTestHub();
  token = (await login(hub.url)).token;
  browser = await openBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

it('writes a campaign with a live preview and sends it, figures updating live', async () => {
  for (const [name, email] of [['Grace Hopper', 'grace@example.com'], ['Linus Pauling', 'linus@example.com'], ['Mei Chen', 'mei@example.com']]) {
    expect((await post('/api/customers', { name, email, tags: ['vip'] })).status).toBe(201);
  }
  const segment = await post('/api/segments', { name: 'VIPs', filter: { field: 'tag', op: 'eq', value: 'vip' } });
  expect(segment.status).toBe(201);

  await page.goto(`${hub.url}/admin/login`);
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-campaigns').click();
  await page.goto(`${hub.url}/admin/campaigns/new`);

  await page.getByTestId('campaign-name').fill('Winter sale');
  await page.getByTestId('campaign-segment').selectOption(segment.body.id);
  await page.getByTestId('campaign-from-email').fill('news@shop.example.com');
  await page.getByTestId('campaign-subject').fill('Hello {{customer.nickname}}');
  await page.getByTestId('campaign-subject-problem').getByText('column 9').waitFor();

  await page.getByTestId('campaign-subject').fill('Hello {{default customer.firstName "there"}}, 20% off');
  await page.getByTestId('campaign-html').fill('<p>Dear {{default customer.firstName "friend"}}, our <a href="https://shop.example.com/sale">sale</a> is on.</p>');
  await page.getByTestId('campaign-text').fill('Dear {{default customer.firstName "friend"}}, our sale is on: https://shop.example.com/sale');
  await page.getByTestId('campaign-preview').getByText('Hello Ada, 20% off').waitFor();
  await shot(page, 'campaigns-1-editor');

  await page.getByTestId('campaign-save').click();
  await page.getByTestId('campaign-schedule').click();
  await page.getByTestId('campaign-stats').waitFor();
  const campaignId = new URL(page.url()).pathname.split('/').pop()!;
  await eventually(async () => (await get(`/api/campaigns/${campaignId}`)).body.status, 'sent', 30_000);
  await eventually(async () => (await page.getByTestId('campaign-stats').innerText()).replace(/\s+/g, ' ').includes('3 of 3'), true);
  await shot(page, 'campaigns-2-sent');

  await page.goto(`${hub.url}/admin/campaigns`);
  const row = page.getByTestId('campaign-row').filter({ hasText: 'Winter sale' });
  await expect(row.getAttribute('data-status')).resolves.toBe('sent');
});
