import request from 'supertest';
import type { Hub } from '../../server/hub';
import { startTestHub, type TestHub } from './hub';
import { login } from './sockets';

export type SignedInHub = Pick<Hub, 'url' | 'smtpPort' | 'db' | 'domain' | 'handler'> & {
  config: TestHub['config'];
  /** The admin agent's bearer token, and its id. */
  token: string;
  agentId: string;
  /** The admin's Authorization header. */
  auth: () => { authorization: string };
  /** Requests to the hub's handler as the admin. */
  get: (path: string) => request.Test;
  post: (path: string, body?: unknown) => request.Test;
  patch: (path: string, body?: unknown) => request.Test;
  put: (path: string, body?: unknown) => request.Test;
  delete: (path: string) => request.Test;
};

/**
 * This test file's hub and the admin signed in to it: started before its tests, stopped after
 * them. Read the fields inside tests and hooks (they exist once the hub has started). `env` may be
 * a function, read when the hub starts (after the file's earlier beforeAll hooks, e.g. an SMTP sink).
 */
export function signedInHub(env: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv) = {}, options?: { workers: boolean }): SignedInHub {
  let hub: TestHub | undefined;
  let agent: { token: string; id: string } | undefined;
  beforeAll(async () => {
    hub = await startTestHub(typeof env === 'function' ? env() : env, options);
    const signedIn = await login(hub.url);
    agent = { token: signedIn.token, id: signedIn.agent.id };
  });
  afterAll(() => hub?.stop());
  const started = () => {
    if (!hub || !agent) throw new Error('the hub is not started yet: use it inside a test or hook');
    return { hub, agent };
  };
  const auth = () => ({ authorization: `Bearer ${started().agent.token}` });
  const send = (method: 'post' | 'patch' | 'put') => (path: string, body: unknown = {}) =>
    request(started().hub.handler)[method](path).set(auth()).send(body as object);
  return {
    auth,
    get: (path) => request(started().hub.handler).get(path).set(auth()),
    post: send('post'),
    patch: send('patch'),
    put: send('put'),
    delete: (path) => request(started().hub.handler).delete(path).set(auth()),
    get url() { return started().hub.url; },
    get smtpPort() { return started().hub.smtpPort; },
    get db() { return started().hub.db; },
    get domain() { return started().hub.domain; },
    get handler() { return started().hub.handler; },
    get config() { return started().hub.config; },
    get token() { return started().agent.token; },
    get agentId() { return started().agent.id; },
  };
}
