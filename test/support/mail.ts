import nodemailer, { type SendMailOptions } from 'nodemailer';
import request from 'supertest';
import type { TestHub } from './hub';

/** A customer's mail program: sends real mail with nodemailer into the hub's SMTP port. */
export function mailClient(hub: Pick<TestHub, 'smtpPort'>) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: hub.smtpPort, secure: false, ignoreTLS: true });
  return {
    send: (mail: SendMailOptions) => transport.sendMail({ to: 'support@example.com', ...mail }),
    close: () => transport.close(),
  };
}

/** The hub's API as a signed-in agent sees it. */
export function agentApi(hub: TestHub, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  return {
    get: async <T = any>(path: string): Promise<T> => {
      const response = await request(hub.handler).get(path).set(auth);
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.text}`);
      return response.body as T;
    },
    post: (path: string, body: object) => request(hub.handler).post(path).set(auth).send(body),
  };
}

/** The conversation a customer's email landed in, found by the customer's email identity. */
export async function conversationOfEmail(hub: TestHub, address: string): Promise<{ id: string; customer_id: string; status: string }[]> {
  return hub.db.query(
    `SELECT cv.id, cv.customer_id, cv.status FROM conversations cv
       JOIN customer_identities ci ON ci.customer_id = cv.customer_id
      WHERE ci.kind = 'email' AND ci.value = $1 ORDER BY cv.created_at`,
    [address.toLowerCase()],
  );
}
