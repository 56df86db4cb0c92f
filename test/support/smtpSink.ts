import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SinkMessage = { envelope: { from: string; to: string[] }; raw: Buffer; mail: ParsedMail };

export type SmtpSink = {
  url: string;
  messages: SinkMessage[];
  /** Resolves with the next message that matches, or rejects after timeoutMs. */
  next: (accept?: (message: SinkMessage) => boolean, timeoutMs?: number) => Promise<SinkMessage>;
  /** Answer RCPT TO for this address with this SMTP code (e.g. 550 permanent, 451 transient), `times` times. */
  refuse: (address: string, code: number, times?: number) => void;
  close: () => Promise<void>;
};

/** A real SMTP server on a free loopback port that keeps what it receives: where the hub's mail goes in tests. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters: { accept: (message: SinkMessage) => boolean; resolve: (message: SinkMessage) => void }[] = [];
  const refusals = new Map<string, { code: number; times: number }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals.get(address.address.toLowerCase());
      if (refusal && refusal.times > 0) {
        refusal.times -= 1;
        return callback(Object.assign(new Error(`${refusal.code === 550 ? '5.1.1 no such user' : '4.2.0 try later'}`), { responseCode: refusal.code }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const message: SinkMessage = {
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
          },
          raw,
          mail: await simpleParser(raw),
        };
        messages.push(message);
        for (const waiter of [...waiters]) {
          if (waiter.accept(message)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(message);
          }
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    next: (accept = () => true, timeoutMs = 10_000) => {
      const already = messages.find(accept);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = { accept, resolve: (message: SinkMessage) => (clearTimeout(timer), resolve(message)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching mail reached the sink within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    refuse: (address, code, times = Number.POSITIVE_INFINITY) => refusals.set(address.toLowerCase(), { code, times }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
