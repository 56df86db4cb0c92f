import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constantTimeEqual';
import { HubError } from './errors';

const TOKEN_TTL_SECONDS = 12 * 60 * 60;

type TokenClaims = { sub: string; exp: number };

/** A signed bearer token naming the agent (HMAC-SHA256 over the claims, JWT-compatible). */
export function issueAgentToken(secret: string, agentId: string, now = new Date()): string {
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const claims = encode({ sub: agentId, exp: Math.floor(now.getTime() / 1000) + TOKEN_TTL_SECONDS });
  return `${header}.${claims}.${sign(secret, `${header}.${claims}`)}`;
}

/** The agent id in a token this hub issued and that has not expired; anything else is `unauthorized`. */
export function verifyAgentToken(secret: string, token: unknown, now = new Date()): string {
  const refuse = (why: string) => new HubError('unauthorized', why);
  if (typeof token !== 'string' || token.length > 2048) throw refuse('A valid agent token is required');
  const [header, claims, signature] = token.split('.');
  if (!header || !claims || !signature) throw refuse('A valid agent token is required');
  if (!constantTimeEqual(signature, sign(secret, `${header}.${claims}`))) throw refuse('The agent token is not valid');
  let parsed: Partial<TokenClaims>;
  try {
    parsed = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
  } catch {
    throw refuse('The agent token is not valid');
  }
  if (typeof parsed.sub !== 'string' || typeof parsed.exp !== 'number') throw refuse('The agent token is not valid');
  if (parsed.exp * 1000 <= now.getTime()) throw refuse('The agent token has expired');
  return parsed.sub;
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64url');
