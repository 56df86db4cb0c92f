import { randomUUID } from 'node:crypto';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';
import { newAgent, newTeam } from '../routing/fixtures';

const hub = signedInHub();
afterEach(closeAllSockets);

const WAIT_MS = 15_000;

it('sends a message no team claims, in Chinese, to the default team', async () => {
  const agent = await newAgent(hub, { capacity: 5 });
  const general = await newTeam(hub, { strategy: 'round_robin', intents: [], isDefault: true }, [agent]);
  const console = await connectAgent(hub.url, agent.token);
  const assigned = nextEvent(console, 'conversation:assigned', () => true, WAIT_MS);

  const { socket } = await connectVisitor(hub.url);
  await socket.emitWithAck('message:send', { clientId: randomUUID(), body: '我想修改我的账户密码，但是收不到验证邮件' });

  await expect(assigned).resolves.toMatchObject({ language: 'zh', teamId: general.id, assigneeId: agent.id });
});
