import type { CDPSession, Page } from 'playwright-core';
import request from 'supertest';
import { ADMIN, startTestHub, type TestHub } from '../support/hub';
import { login } from '../support/sockets';
import { openBrowser } from './support/browser';
import { startHostPage } from './support/hostPage';
import { eventually, shot } from './support/waiting';

/**
 * The agent console in headless Chromium against a real hub, with a real widget visitor on a
 * customer's page: an agent signs in, sees the visitor's conversation arrive live, answers it,
 * assigns, notes, uses a canned response, corrects the intent, resolves, types Chinese through an
 * IME, and is sent back to the login screen (draft kept) when the session is revoked.
 */
jest.setTimeout(90_000);

let hub: TestHub;
let host: Awaited<ReturnType<typeof startHostPage>>;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let adminToken: string;
let console_: Page;
let visitor: Page;

const api = () => ({
  get: (path: string) => request(hub.handler).get(path).set({ authorization: `Bearer ${adminToken}` }),
  post: (path: string, body: object) => request(hub.handler).post(path).set({ authorization: `Bearer ${adminToken}` }).send(body),
});

beforeAll(async () => {
  hub = await startTestHub();
  host = await startHostPage(hub.url);
  adminToken = (await login(hub.url)).token;
  browser = await openBrowser();
  console_ = await browser.context.newPage();
  await console_.setViewportSize({ width: 1280, height: 800 });
  visitor = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await hub?.stop();
});

async function signIn(page: Page) {
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('conversation-list').waitFor();
}

async function visitorSays(text: string) {
  await visitor.getByTestId('composer').fill(text);
  await visitor.getByTestId('send').click();
}

/** The texts of the widget's bubbles, in order. */
const visitorSees = (page: Page) => page.getByTestId('message').allInnerTexts();

async function visitorReceives(text: string) {
  await eventually(async () => (await visitorSees(visitor)).some((bubble) => bubble.includes(text)), true);
}

async function conversation(id: string) {
  const response = await api().get(`/api/conversations/${id}`);
  expect(response.status).toBe(200);
  return response.body as { status: string; assigneeId: string | null; intent: string | null; intentSource: string | null; tags: string[] };
}

/** Ctrl+Enter in the reply box: the console's send shortcut. */
const sendReply = (page: Page) => page.getByTestId('reply-box').press('Control+Enter');

let conversationId: string;

it('signs an agent in, shows a visitor conversation live, and the reply reaches the visitor', async () => {
  await console_.goto(`${hub.url}/admin/`);
  await console_.getByTestId('login-email').waitFor();
  await shot(console_, 'console-1-login');
  await console_.getByTestId('login-email').fill(ADMIN.email);
  await console_.getByTestId('login-password').fill('wrong password');
  await console_.getByTestId('login-submit').click();
  await console_.getByTestId('login-error').waitFor();
  await signIn(console_);
  await console_.getByTestId('inbox-view-all').click();

  await visitor.goto(host.url);
  await visitor.getByTestId('launcher').click();
  await visitor.getByTestId('composer').waitFor();
  await visitorSays('Hello, my tent order has not arrived yet');

  const row = console_.getByTestId('conversation-item').filter({ hasText: 'my tent order' });
  await row.waitFor({ timeout: 15_000 });
  conversationId = (await row.getAttribute('data-conversation-id'))!;
  await shot(console_, 'console-2-inbox-live');
  await row.click();
  await console_.getByTestId('thread').getByText('Hello, my tent order has not arrived yet').waitFor();

  await console_.getByTestId('reply-box').fill('Sorry about that! Let me check the tracking.');
  await sendReply(console_);
  await visitorReceives('Sorry about that! Let me check the tracking.');
  await expect(console_.getByTestId('reply-box').inputValue()).resolves.toBe('');
  // The visitor's next message arrives in the open thread without a reload.
  await visitorSays('Thanks, it is order 1042');
  await console_.getByTestId('thread').getByText('Thanks, it is order 1042').waitFor();
  await shot(console_, 'console-3-conversation');
});

it('assigns, notes, inserts a canned response, corrects the intent and resolves', async () => {
  const colleague = await api().post('/api/agents', { email: 'mei@example.com', name: 'Mei Chen', password: 'mei-password-1', role: 'agent' });
  expect(colleague.status).toBe(201);
  await api().post('/api/canned-responses', { shortcut: 'thanks', title: 'Thanks for waiting', body: 'Thanks for waiting, {{customer.name}}! Anything else?' }).expect(201);
  // The console read its agents at sign-in: a reload picks up the new colleague.
  await console_.reload();
  await console_.getByTestId('thread').getByText('Thanks, it is order 1042').waitFor();

  await console_.getByTestId('action-assign').selectOption(colleague.body.id);
  await eventually(async () => (await conversation(conversationId)).assigneeId, colleague.body.id);

  await console_.getByTestId('reply-mode-note').click();
  await console_.getByTestId('reply-box').fill('Carrier lost the parcel; reship today.');
  await sendReply(console_);
  await console_.getByTestId('note').filter({ hasText: 'Carrier lost the parcel' }).waitFor();
  const notes = await api().get(`/api/conversations/${conversationId}/notes`);
  expect(notes.body.items.map((note: { body: string }) => note.body)).toContain('Carrier lost the parcel; reship today.');

  await console_.getByTestId('reply-mode-reply').click();
  await console_.getByTestId('reply-box').fill('/tha');
  await console_.getByTestId('canned-menu').getByTestId('canned-item').first().waitFor();
  await console_.getByTestId('reply-box').press('Enter');
  await expect(console_.getByTestId('reply-box').inputValue()).resolves.toBe('Thanks for waiting, there! Anything else?');
  await sendReply(console_);
  await visitorReceives('Thanks for waiting, there! Anything else?');
  // The note never reached the visitor.
  expect((await visitorSees(visitor)).join('\n')).not.toContain('Carrier lost');

  await console_.getByTestId('action-intent').selectOption('delivery_period');
  await eventually(async () => {
    const { intent, intentSource } = await conversation(conversationId);
    return { intent, intentSource };
  }, { intent: 'delivery_period', intentSource: 'agent' });

  await shot(console_, 'console-4-actions');
  await console_.getByTestId('thread').click();
  await console_.keyboard.press('e');
  await eventually(async () => (await conversation(conversationId)).status, 'resolved');
});

it('types Chinese through an IME (Enter while composing never sends) and merges the earlier conversation in', async () => {
  // The last conversation was resolved: writing again opens a new one, which arrives live.
  await visitorSays('你好，我的帐篷还没到');
  await console_.getByTestId('conversation-item').filter({ hasText: '你好，我的帐篷还没到' }).click({ timeout: 15_000 });
  await console_.getByTestId('thread').getByText('你好，我的帐篷还没到').waitFor();
  const before = (await visitorSees(visitor)).length;

  const box = console_.getByTestId('reply-box');
  await box.click();
  const cdp: CDPSession = await console_.context().newCDPSession(console_);
  await cdp.send('Input.imeSetComposition', { text: 'fahuo', selectionStart: 5, selectionEnd: 5 });
  // The IME's own Enter and Ctrl+Enter, while composing, pick a candidate: they must not send.
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, modifiers: 2 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, modifiers: 2 });
  await cdp.send('Input.insertText', { text: '您好，帐篷今天发货' });
  await expect(box.inputValue()).resolves.toBe('您好，帐篷今天发货');
  expect(await visitorSees(visitor)).toHaveLength(before);

  await sendReply(console_);
  await visitorReceives('您好，帐篷今天发货');
  await shot(console_, 'console-5-chinese');

  // The earlier, resolved conversation of the same customer is offered for merging into this one.
  const openId = new URL(console_.url()).pathname.split('/').pop()!;
  await console_.getByTestId('action-merge').locator(`option[value="${conversationId}"]`).waitFor({ state: 'attached' });
  await console_.getByTestId('action-merge').selectOption(conversationId);
  await console_.getByTestId('merge-submit').click();
  await console_.getByTestId('merge-confirm').click();
  await eventually(async () => (await api().get(`/api/conversations/${conversationId}`)).body.mergedIntoId, openId);
  await console_.getByTestId('thread').getByText('Hello, my tent order has not arrived yet').waitFor();
});

it('keeps the draft when the session ends and brings the agent back to it', async () => {
  const openId = new URL(console_.url()).pathname.split('/').pop()!;
  await console_.getByTestId('reply-box').fill('A half-written answer');
  const session = JSON.parse(await console_.evaluate<string>("localStorage.getItem('hub.session')")) as { token: string };
  await request(hub.handler).post('/api/auth/logout').set({ authorization: `Bearer ${session.token}` }).expect(204);
  await console_.getByTestId('session-expired').waitFor({ timeout: 15_000 });
  await shot(console_, 'console-6-session-expired');
  await signIn(console_);
  await console_.goto(`${hub.url}/admin/inbox/all/${openId}`);
  await expect(console_.getByTestId('reply-box').inputValue()).resolves.toBe('A half-written answer');
});

it('shows the customers and settings screens, and the inbox at phone width', async () => {
  await console_.getByTestId('nav-customers').click();
  await console_.getByTestId('customer-row').first().waitFor();
  await shot(console_, 'console-7-customers');
  await console_.getByTestId('customer-row').first().click();
  await console_.getByTestId('customer-timeline').getByTestId('timeline-event').first().waitFor();
  await shot(console_, 'console-8-customer');
  await console_.getByTestId('nav-settings').click();
  await console_.getByTestId('settings-agents').waitFor();
  await shot(console_, 'console-9-settings-agents');
  await console_.goto(`${hub.url}/admin/settings/widget`);
  await expect(console_.getByTestId('widget-snippet').innerText()).resolves.toContain(`${hub.url}/widget.js`);

  await console_.setViewportSize({ width: 390, height: 844 });
  await console_.goto(`${hub.url}/admin/inbox/all`);
  await console_.getByTestId('conversation-item').first().click();
  await console_.getByTestId('reply-box').waitFor();
  await shot(console_, 'console-10-phone-conversation');
  await console_.keyboard.press('Escape');
  await console_.getByTestId('thread').click();
  await console_.keyboard.press('?');
  await console_.getByTestId('help-dialog').waitFor();
});
