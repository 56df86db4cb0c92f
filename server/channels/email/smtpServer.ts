import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { constantTimeEqual } from '../../domain/constantTimeEqual';
import { HubError } from '../../domain/errors';
import type { InFlight } from '../../inFlight';
import { matchSupportAddress } from './addresses';
import { type EmailReceiverDeps, receiveEmail } from './receive';

export type SmtpDeps = EmailReceiverDeps & { redis: Redis; redisPrefix: string; inFlight: InFlight };

export type InboundSmtp = { port: number; close: () => Promise<void> };

/** An SMTP reply with its code and enhanced status (RFC 3463), as smtp-server sends it. */
const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/**
 * The built-in MX for the support addresses: refuses what it will not take while the client is
 * still talking (unknown recipient 550, flood 451, size 552), then hands each message to receiveEmail.
 */
export async function startInboundSmtp(deps: SmtpDeps): Promise<InboundSmtp> {
  const { email } = deps;
  const server = new SMTPServer({
    banner: 'support hub ESMTP',
    size: email.maxMessageBytes,
    authOptional: !email.auth,
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH over plain text is refused unless STARTTLS is configured, except on loopback-only setups.
    allowInsecureAuth: !email.tls,
    disabledCommands: [...(email.tls ? [] : ['STARTTLS']), ...(email.auth ? [] : ['AUTH'])],
    ...(email.tls ? { key: readFileSync(email.tls.keyFile), cert: readFileSync(email.tls.certFile) } : {}),
    logger: false,
    onAuth(auth, _session, callback) {
      const expected = email.auth!;
      const ok = constantTimeEqual(auth.username ?? '', expected.user) && constantTimeEqual(auth.password ?? '', expected.password);
      callback(ok ? null : smtpError(535, '5.7.8 Authentication credentials invalid'), ok ? { user: auth.username } : undefined);
    },
    onMailFrom(address, _session, callback) {
      // The null sender (bounces) is never rate limited: refusing a bounce only makes it retry.
      if (!address.address) return callback();
      senderOverLimit(deps, address.address).then(
        (over) => callback(over ? smtpError(451, '4.7.1 Too many messages from this sender; try again later') : null),
        () => callback(smtpError(451, '4.3.0 Temporary failure; try again later')),
      );
    },
    onRcptTo(address, _session, callback) {
      const known = matchSupportAddress(address.address, email.supportAddresses);
      callback(known ? null : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
    },
    onData(stream, session, callback) {
      const work = readAll(stream).then(async (raw) => {
        if (stream.sizeExceeded) throw smtpError(552, `5.3.4 Message too big: the limit is ${email.maxMessageBytes} bytes`);
        const recipients = session.envelope.rcptTo.map((recipient) => recipient.address);
        await receiveEmail(deps, raw, { recipients });
      });
      deps.inFlight.track(work);
      work.then(
        () => callback(),
        (error: unknown) => callback(toSmtpError(deps, error)),
      );
    },
  });
  server.on('error', (error) => deps.log.warn({ err: error }, 'smtp connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(email.smtpPort, email.smtpHost, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  deps.log.info({ port, host: email.smtpHost }, 'smtp listening');
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function toSmtpError(deps: SmtpDeps, error: unknown): Error {
  if ((error as { responseCode?: number }).responseCode) return error as Error;
  if (error instanceof HubError) {
    const code = (error.details as { smtpCode?: number } | undefined)?.smtpCode ?? 550;
    return smtpError(code, `${code === 552 ? '5.3.4' : '5.6.0'} ${error.message}`);
  }
  deps.log.error({ err: error }, 'storing an inbound email failed');
  return smtpError(451, '4.3.0 Temporary failure storing the message; try again later');
}

async function senderOverLimit(deps: SmtpDeps, sender: string): Promise<boolean> {
  const minute = Math.floor(Date.now() / 60_000);
  const key = `${deps.redisPrefix}:smtp:sender:${sender.toLowerCase()}:${minute}`;
  const [[, count]] = (await deps.redis.multi().incr(key).expire(key, 120).exec()) as [[unknown, number]];
  return count > deps.email.senderLimitPerMinute;
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    stream.on('data', (chunk: Buffer) => {
      // Past the limit the rest is drained, not kept, so an oversized message cannot fill memory.
      if (!stream.sizeExceeded) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    });
    stream.once('end', () => resolve(Buffer.concat(chunks, kept)));
    stream.once('error', reject);
  });
}
