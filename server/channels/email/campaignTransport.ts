import { Readable } from 'node:stream';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { CampaignSmtpAccount } from '../../campaignSmtpAccounts';
import type { CampaignMail } from './campaignMail';
import { emlOutbox } from './emlOutbox';

/** The sender's commit point for one message: it goes out only if this resolves. */
export type CommitBeforeEnd = () => Promise<void>;

export type CampaignTransport = {
  /**
   * Sends one message. Over SMTP, `commit` runs once the server has taken the envelope (the 354 to
   * DATA) and is being handed the message, and the terminating `<CRLF>.<CRLF>` is written only after
   * it resolved: if it rejects, the connection is dropped without the dot, so the server discards
   * what it got, and `send` rejects. An error the server answers to the message itself (after
   * `commit`) rejects `send` with its `responseCode`. Into the outbox (.eml), `commit` runs once the
   * file is written.
   */
  send: (mail: CampaignMail, commit: CommitBeforeEnd) => Promise<void>;
  close: () => void;
};

/**
 * Campaign mail through one SMTP account: a pool of kept-open connections (nodemailer's pooled
 * transport) shared by every send of the process; without a URL, .eml files under DATA_DIR/outbox.
 * The timeouts bound one attempt well inside a recipient's claim lease.
 *
 * Each message is built in full first (nodemailer's MailComposer: MIME, Message-ID, headers), then
 * sent as `raw` with its own envelope. Nodemailer pipes a raw message into its buffers as soon as a
 * connection takes it, before MAIL FROM, so the commit cannot hang on the raw stream's end (it
 * would run before the envelope is even accepted): a `stream` plugin wraps the message stream
 * nodemailer hands to the connection (`processFunc`), which the connection first reads once the
 * server has answered DATA with 354, and that wrapper ends (letting nodemailer's DataStream write
 * the final dot) only after the commit. No DKIM or `newline` option may be set on this transport:
 * either reads the whole message ahead and would move the commit before the envelope again.
 */
export function createCampaignTransport(account: CampaignSmtpAccount, dataDir: string): CampaignTransport {
  if (account.url) {
    const commits = new WeakMap<Buffer, CommitBeforeEnd>();
    const transport = nodemailer.createTransport({
      url: account.url,
      pool: true,
      maxConnections: account.maxConnections,
      // A connection is reused for this many messages before a fresh one replaces it.
      maxMessages: 1000,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transport.use('stream', (mail, done) => {
      const raw = mail.data.raw;
      const commit = Buffer.isBuffer(raw) ? commits.get(raw) : undefined;
      // Every campaign message has its commit; one without would be sent unrecorded.
      if (!commit || !mail.message) return done(new Error('a campaign message reached the transport without its commit'));
      mail.message.processFunc((input) => endingAfter(input, commit));
      done();
    });
    return {
      send: async (mail, commit) => {
        // Composed once, with CRLF line ends, its Message-ID and headers; the pool only carries it.
        const message = await new MailComposer(toNodemailer(mail)).compile().build();
        commits.set(message, once(commit));
        await transport.sendMail({ envelope: { from: mail.from.address, to: [mail.to] }, raw: message });
      },
      close: () => transport.close(),
    };
  }
  const outbox = emlOutbox(dataDir);
  return {
    send: async (mail, commit) => {
      // Written again after a crash, the file replaces itself.
      await outbox.write(toNodemailer(mail));
      await commit();
    },
    close: outbox.close,
  };
}

/**
 * `input`, byte for byte, whose end waits for `commit`; destroyed with the commit's error if that
 * rejects. Reads nothing before it is read itself.
 */
function endingAfter(input: Readable, commit: CommitBeforeEnd): Readable {
  return Readable.from(
    (async function* () {
      for await (const chunk of input) yield chunk as Buffer;
      await commit();
    })(),
    { objectMode: false },
  );
}

/** The pool may hand a message to a second connection when the first closed before reading it: commit at most once. */
function once(commit: CommitBeforeEnd): CommitBeforeEnd {
  let called = false;
  return () => {
    if (called) return Promise.reject(new Error('this message was already committed'));
    called = true;
    return commit();
  };
}

function toNodemailer(mail: CampaignMail): SendMailOptions & { messageId: string } {
  return { messageId: mail.messageId, from: mail.from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text, headers: mail.headers };
}
