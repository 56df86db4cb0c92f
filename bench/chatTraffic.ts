import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { RunErrors } from './runErrors';

const CONNECT_TIMEOUT_MS = 30_000;
const ACK_TIMEOUT_MS = 30_000;
// After the last ack, how long a message may still take to reach the agent before it counts as lost.
const DELIVERY_GRACE_MS = 10_000;
const LOGIN_TIMEOUT_MS = 10_000;

export type ChatPlan = { visitors: number; messagesPerVisitor: number; agent: { email: string; password: string } };

export type ChatTraffic = {
  connectedVisitors: number;
  connectSeconds: number;
  sent: number;
  delivered: number;
  /** From the first emit until every visitor is done and the last message reached the agent. */
  durationSeconds: number;
  roundTripMs: number[];
  ackMs: number[];
};

type Ack = { ok: boolean; error?: { code?: string; message?: string } };

/**
 * One agent console and `plan.visitors` widget visitors, all on their own connection; each visitor
 * sends its messages one after another, every visitor at once. Round trip: a visitor's emit until
 * the agent's socket gets `message:new` with that clientId. Closes every socket before returning.
 */
export async function runChat(url: string, plan: ChatPlan, errors: RunErrors): Promise<ChatTraffic> {
  const sockets: Socket[] = [];
  const open = (namespace: string, auth: object) => {
    const socket = io(`${url}${namespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: CONNECT_TIMEOUT_MS });
    sockets.push(socket);
    return socket;
  };
  try {
    const token = await login(url, plan.agent);
    const agent = await connected(open('/agents', { token }), '/agents', 'connect');
    reportDisconnects(agent, 'the agent', errors);
    const deliveries = trackDeliveries(agent);

    const connectStart = performance.now();
    const attempts = await Promise.allSettled(
      Array.from({ length: plan.visitors }, () => connected(open('/widget', {}), '/widget', 'session')),
    );
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const visitors: Socket[] = [];
    for (const attempt of attempts) {
      if (attempt.status === 'fulfilled') visitors.push(attempt.value);
      else errors.add('connectFailures', String(attempt.reason));
    }
    visitors.forEach((visitor, index) => reportDisconnects(visitor, `visitor ${index}`, errors));

    const ackMs: number[] = [];
    const start = performance.now();
    const sentCounts = await Promise.all(
      visitors.map((visitor, index) => sendMessages(visitor, `visitor ${index}`, plan.messagesPerVisitor, { deliveries, ackMs, errors })),
    );
    const sendersDone = performance.now();
    const missing = await deliveries.settle(DELIVERY_GRACE_MS);
    errors.add('lostMessages', `${missing.length} never reached the agent, e.g. clientId ${missing[0]}`, missing.length);
    errors.add('unexpectedDeliveries', 'message:new for a clientId not awaited (a duplicate?)', deliveries.unexpected());
    return {
      connectedVisitors: visitors.length,
      connectSeconds,
      sent: sentCounts.reduce((sum, count) => sum + count, 0),
      delivered: deliveries.roundTripMs.length,
      durationSeconds: (Math.max(sendersDone, deliveries.lastAt()) - start) / 1000,
      roundTripMs: deliveries.roundTripMs,
      ackMs,
    };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

/** One visitor's messages, each after the previous ack; returns how many were emitted. */
async function sendMessages(
  visitor: Socket,
  who: string,
  count: number,
  record: { deliveries: Deliveries; ackMs: number[]; errors: RunErrors },
): Promise<number> {
  const { deliveries, ackMs, errors } = record;
  for (let n = 1; n <= count; n++) {
    const clientId = randomUUID();
    const emittedAt = performance.now();
    deliveries.expect(clientId, emittedAt);
    const ack = await visitor
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('message:send', { clientId, body: `Message ${n} from ${who}` })
      .then((reply: Ack) => reply, (error: Error) => error);
    if (ack instanceof Error) {
      // socket.io-client rejects on its timeout, or at once when the socket disconnects.
      errors.add('missingAcks', `${who}, message ${n}: no ack (${ack.message})`);
      errors.add('unsentMessages', `${who} stopped after a missing ack`, count - n);
      return n;
    }
    ackMs.push(performance.now() - emittedAt);
    if (!ack.ok) {
      deliveries.forget(clientId);
      errors.add('failedAcks', `${who}, message ${n}: ${ack.error?.code} ${ack.error?.message}`);
    }
  }
  return count;
}

type Deliveries = ReturnType<typeof trackDeliveries>;

/** Matches the agent's `message:new` events to the emits by clientId (what the widget does too). */
function trackDeliveries(agent: Socket) {
  const emittedAt = new Map<string, number>();
  const roundTripMs: number[] = [];
  let unexpected = 0;
  let lastAt = 0;
  let onAllArrived: (() => void) | undefined;
  agent.on('message:new', (message: { clientId?: string | null }) => {
    const at = performance.now();
    const sent = message.clientId ? emittedAt.get(message.clientId) : undefined;
    if (sent === undefined) {
      unexpected += 1;
      return;
    }
    emittedAt.delete(message.clientId!);
    roundTripMs.push(at - sent);
    lastAt = at;
    if (emittedAt.size === 0) onAllArrived?.();
  });
  return {
    roundTripMs,
    lastAt: () => lastAt,
    unexpected: () => unexpected,
    expect: (clientId: string, at: number) => void emittedAt.set(clientId, at),
    /** The server refused it, so it will not come. */
    forget: (clientId: string) => void emittedAt.delete(clientId),
    /** Waits until every awaited message arrived, or `graceMs`; resolves with the clientIds still missing. */
    settle: async (graceMs: number): Promise<string[]> => {
      if (emittedAt.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          onAllArrived = () => (clearTimeout(timer), resolve());
        });
      }
      return [...emittedAt.keys()];
    },
  };
}

async function login(url: string, credentials: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
    signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Resolves with the socket once it gets `event` ('connect', or the widget's 'session'). */
function connected(socket: Socket, namespace: string, event: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} on ${namespace} within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    socket.once(event, () => (clearTimeout(timer), resolve(socket)));
    socket.once('connect_error', (error) => (clearTimeout(timer), reject(new Error(`${namespace}: ${error.message}`))));
  });
}

function reportDisconnects(socket: Socket, who: string, errors: RunErrors): void {
  socket.on('disconnect', (reason) => {
    // Our own close at the end says 'io client disconnect'; anything else happened to us.
    if (reason !== 'io client disconnect') errors.add('disconnects', `${who}: ${reason}`);
  });
}
