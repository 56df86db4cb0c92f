import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';

/**
 * Where mail goes when no SMTP server is configured (the embedded default): one .eml file per
 * message under DATA_DIR/outbox, named by its Message-ID, so writing it again replaces it.
 */
export function emlOutbox(dataDir: string): { write: (mail: SendMailOptions & { messageId: string }) => Promise<void>; close: () => void } {
  const folder = path.join(dataDir, 'outbox');
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    write: async (mail) => {
      const { message } = (await composer.sendMail(mail)) as { message: Buffer };
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, `${mail.messageId.replace(/[<>]/g, '')}.eml`), message);
    },
    close: () => composer.close(),
  };
}
