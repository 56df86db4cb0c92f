import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { startTestHub, type TestHub } from '../../support/hub';
import { conversationOfEmail } from '../../support/mail';

let hub: TestHub;
let certDir: string;

beforeAll(async () => {
  certDir = mkdtempSync(path.join(tmpdir(), 'hub-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem')], { stdio: 'ignore' });
  hub = await startTestHub({
    SMTP_AUTH_USER: 'relay',
    SMTP_AUTH_PASSWORD: 'relay-password',
    SMTP_TLS_KEY_FILE: path.join(certDir, 'key.pem'),
    SMTP_TLS_CERT_FILE: path.join(certDir, 'cert.pem'),
  });
});
afterAll(async () => {
  await hub.stop();
  rmSync(certDir, { recursive: true, force: true });
});

const send = (options: { auth?: { user: string; pass: string }; requireTLS?: boolean }, from: string) => {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: hub.smtpPort,
    secure: false,
    requireTLS: options.requireTLS ?? true,
    tls: { rejectUnauthorized: false },
    auth: options.auth,
  });
  return transport.sendMail({ from, to: 'support@example.com', subject: 'Secure', text: 'Over TLS' }).finally(() => transport.close());
};

describe('SMTP AUTH and STARTTLS, when configured', () => {
  it('takes mail over STARTTLS from a client that authenticates', async () => {
    const info = await send({ auth: { user: 'relay', pass: 'relay-password' } }, 'tls@example.net');
    expect(info.accepted).toEqual(['support@example.com']);
    expect(await conversationOfEmail(hub, 'tls@example.net')).toHaveLength(1);
  });

  it('refuses wrong credentials with 535 and a client that does not authenticate with 530', async () => {
    await expect(send({ auth: { user: 'relay', pass: 'wrong' } }, 'bad@example.net')).rejects.toMatchObject({ responseCode: 535 });
    await expect(send({}, 'anonymous@example.net')).rejects.toMatchObject({ responseCode: 530 });
    expect(await conversationOfEmail(hub, 'bad@example.net')).toEqual([]);
    expect(await conversationOfEmail(hub, 'anonymous@example.net')).toEqual([]);
  });
});
