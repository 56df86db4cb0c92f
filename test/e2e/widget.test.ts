import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { startTestHub, type TestHub } from '../support/hub';
import { closeAllSockets, connectAgent, login, nextEvent } from '../support/sockets';
import { openBrowser } from './support/browser';
import { startHostPage } from './support/hostPage';
import { eventually, shot } from './support/waiting';

/**
 * The widget in headless Chromium on a customer's page with hostile CSS, against a real hub: a
 * visitor chats with an agent (a real socket.io-client console), survives a network drop without
 * losing or duplicating messages, gets the history back after a reload, and chats from two tabs.
 */
jest.setTimeout(60_000);

let hub: TestHub;
let host: Awaited<ReturnType<typeof startHostPage>>;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let agent: Socket;

beforeAll(async () => {
  hub = await startTestHub();
  host = await startHostPage(hub.url);
  const { token } = await login(hub.url);
  agent = await connectAgent(hub.url, token);
});
beforeEach(async () => {
  browser = await openBrowser();
});
afterEach(async () => {
  await browser.close();
});
afterAll(async () => {
  closeAllSockets();
  await host.close();
  await hub.stop();
});

async function openWidget(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByTestId('launcher').click();
  await page.getByTestId('composer').waitFor();
  return page;
}

async function send(page: Page, text: string) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('send').click();
}

/** The bodies of the messages the widget shows, in order. */
const shown = (page: Page) => page.getByTestId('message').allInnerTexts();

/** Waits until the widget shows exactly these messages (each bubble containing its text), in this order. */
async function expectShown(page: Page, texts: string[]) {
  const matches = async () => {
    const bubbles = await shown(page);
    return bubbles.length === texts.length && texts.every((text, index) => bubbles[index]!.includes(text)) ? texts : bubbles;
  };
  await eventually(matches, texts);
}

const statuses = (page: Page) => page.getByTestId('message').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-status')));

/** The agent's view: every customer message body the console heard, in order. */
function heardByAgent() {
  const bodies: string[] = [];
  agent.on('message:new', (message: { direction: string; body: string }) => {
    if (message.direction === 'inbound') bodies.push(message.body);
  });
  return bodies;
}

async function agentReplies(conversationId: string, body: string) {
  const ack = await agent.emitWithAck('message:send', { conversationId, clientId: randomUUID(), body });
  expect(ack.ok).toBe(true);
}

it('loads on a hostile page, and a visitor chats with an agent', async () => {
  const page = await browser.context.newPage();
  await page.goto(host.url);
  const launcher = page.getByTestId('launcher');
  await launcher.waitFor({ state: 'visible' });
  const box = await launcher.boundingBox();
  expect(box!.width).toBeGreaterThan(30);
  expect(box!.width).toBeLessThan(120);
  await shot(page, '1-launcher-on-hostile-page');
  await launcher.click();
  await page.getByTestId('panel').waitFor({ state: 'visible' });

  const heard = nextEvent(agent, 'message:new', (message: { body: string; conversationId: string }) => message.body === 'Hello, is my tent in stock?');
  await send(page, 'Hello, is my tent in stock?');
  const message = await heard;
  await eventually(() => statuses(page), ['sent']);

  await agentReplies(message.conversationId, 'Yes! See https://example.com/tents for sizes.');
  await expectShown(page, ['Hello, is my tent in stock?', 'Yes! See https://example.com/tents']);
  const link = page.getByTestId('message').nth(1).locator('a');
  await expect(link.getAttribute('href')).resolves.toBe('https://example.com/tents');
  await shot(page, '2-conversation');
});

it('survives a network drop without losing or duplicating a message', async () => {
  const heard = heardByAgent();
  const page = await openWidget(browser.context);
  await send(page, 'first, online');
  await expectShown(page, ['first, online']);

  await browser.context.setOffline(true);
  await send(page, 'second, offline');
  await send(page, 'third, offline');
  await expectShown(page, ['first, online', 'second, offline', 'third, offline']);
  await shot(page, '3-offline-queued');
  await browser.context.setOffline(false);

  await eventually(async () => [...heard], ['first, online', 'second, offline', 'third, offline'], 20_000);
  await eventually(() => statuses(page), ['sent', 'sent', 'sent'], 20_000);
  // Nothing was sent twice, even after the reconnect settled.
  expect(heard).toEqual(['first, online', 'second, offline', 'third, offline']);
  await expectShown(page, ['first, online', 'second, offline', 'third, offline']);
  await shot(page, '4-back-online');
});

it('restores the history after a reload, from the hub', async () => {
  const page = await openWidget(browser.context);
  const heard = nextEvent(agent, 'message:new', (message: { body: string; conversationId: string }) => message.body === 'before the reload');
  await send(page, 'before the reload');
  const { conversationId } = await heard;
  await agentReplies(conversationId, 'an answer before the reload');
  await expectShown(page, ['before the reload', 'an answer before the reload']);

  await page.reload();
  await page.getByTestId('launcher').click();
  await expectShown(page, ['before the reload', 'an answer before the reload']);
  await shot(page, '5-after-reload');
});

it('shows one conversation live in two tabs of the same visitor', async () => {
  const first = await openWidget(browser.context);
  const heard = nextEvent(agent, 'message:new', (message: { body: string; conversationId: string }) => message.body === 'from the first tab');
  await send(first, 'from the first tab');
  const { conversationId } = await heard;
  const second = await openWidget(browser.context);
  await expectShown(second, ['from the first tab']);

  await send(second, 'from the second tab');
  await agentReplies(conversationId, 'hello to both tabs');

  for (const page of [first, second]) await expectShown(page, ['from the first tab', 'from the second tab', 'hello to both tabs']);
  await shot(first, '6-first-tab');
  await shot(second, '7-second-tab');
});
