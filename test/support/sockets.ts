import { io, type Socket } from 'socket.io-client';
import { ADMIN } from './hub';

const clients: Socket[] = [];

/** Closes every socket the test opened. */
export function closeAllSockets(): void {
  for (const socket of clients.splice(0)) socket.close();
}

function open(url: string, namespace: string, auth: object): Socket {
  const socket = io(`${url}${namespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(socket);
  return socket;
}

export type VisitorSession = { visitorId: string; customerId: string };

/** A widget visitor, connected, with the session the server answered. */
export async function connectVisitor(url: string, visitorId?: string): Promise<{ socket: Socket; session: VisitorSession }> {
  const socket = open(url, '/widget', visitorId ? { visitorId } : {});
  const session = await nextEvent<VisitorSession>(socket, 'session');
  return { socket, session };
}

export async function login(url: string, credentials = ADMIN): Promise<{ token: string; agent: { id: string; name: string } }> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { token: string; agent: { id: string; name: string } };
}

/** A signed-in agent console socket, connected. */
export async function connectAgent(url: string, token: string): Promise<Socket> {
  const socket = open(url, '/agents', { token });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** The next `event` on the socket that matches `accept`; rejects on timeout so a test fails, not hangs. */
export function nextEvent<T = any>(socket: Socket, event: string, accept: (payload: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}
