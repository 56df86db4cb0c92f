import { createHash, createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './constantTimeEqual';
import { HubError } from './errors';

const TOKEN_TTL_SECONDS = 12 * 60 * 60;

type TokenClaims = { sub: string; exp: number; jti?: string };

/** What a valid token says: whose it is, which token it is (for revoking it) and when it expires. */
export type AgentTokenClaims = { agentId: string; tokenId: string; expiresAt: Date };

/** A signed bearer token naming the agent (HMAC-SHA256 over the claims, JWT-compatible), with its own id. */
export function issueAgentToken(secret: string, agentId: string, now = new Date()): string {
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const claims = encode({ sub: agentId, exp: Math.floor(now.getTime() / 1000) + TOKEN_TTL_SECONDS, jti: randomBytes(16).toString('base64url') });
  return `${header}.${claims}.${sign(secret, `${header}.${claims}`)}`;
}

/** The claims of a token this hub issued and that has not expired; anything else is `unauthorized`. */
export function verifyAgentToken(secret: string, token: unknown, now = new Date()): AgentTokenClaims {
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
  return { agentId: parsed.sub, tokenId: tokenIdOf(parsed.jti, signature), expiresAt: new Date(parsed.exp * 1000) };
}

// Tokens issued before they carried a jti stay valid until they expire; their signature, hashed
// (never stored as it is: it would be the token itself), names them for revocation.
const tokenIdOf = (jti: unknown, signature: string) =>
  typeof jti === 'string' && jti.length > 0 && jti.length <= 64 ? jti : `sig-${createHash('sha256').update(signature).digest('base64url').slice(0, 22)}`;

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64url');
