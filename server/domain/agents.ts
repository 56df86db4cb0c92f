import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database';
import { HubError } from './errors';
import { newId } from './ids';
import { hashPassword, verifyPassword } from './passwords';

export type AgentRole = 'admin' | 'agent';
export type Agent = { id: string; email: string; name: string; role: AgentRole; capacity: number };

const UNIQUE_VIOLATION = '23505';

type AgentRow = Agent & { password_hash: string };

const toAgent = ({ id, email, name, role, capacity }: AgentRow): Agent => ({ id, email, name, role, capacity });

export async function getAgent(db: Queryable, agentId: string): Promise<Agent> {
  const [row] = await db.query<AgentRow>('SELECT * FROM agents WHERE id = $1', [agentId]);
  if (!row) throw new HubError('unauthorized', 'This agent no longer exists');
  return toAgent(row);
}

export async function createAgent(
  db: Queryable,
  agent: { email: string; name: string; password: string; role?: AgentRole; capacity?: number },
): Promise<Agent> {
  const [row] = await db.query<AgentRow>(
    `INSERT INTO agents (id, email, name, password_hash, role, capacity)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [
      newId('agt'),
      agent.email.trim().toLowerCase(),
      agent.name.trim(),
      await hashPassword(agent.password),
      agent.role ?? 'agent',
      agent.capacity ?? 5,
    ],
  );
  return toAgent(row!);
}

/** The agent with this email and password; one error for both wrong email and wrong password. */
export async function authenticateAgent(db: Queryable, email: string, password: string): Promise<Agent> {
  const [row] = await db.query<AgentRow>('SELECT * FROM agents WHERE lower(email) = lower($1)', [email.trim()]);
  // Hash even for an unknown email so response time does not reveal which emails exist.
  const valid = await verifyPassword(password, row?.password_hash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43));
  if (!row || !valid) throw new HubError('invalid_credentials', 'Wrong email or password');
  return toAgent(row);
}

/**
 * Creates the first admin when there are no agents yet. Returns it, with the password when
 * one had to be generated (no ADMIN_PASSWORD), so it can be shown once.
 */
export async function ensureFirstAdmin(
  db: Queryable,
  admin: { email: string; password: string | undefined },
): Promise<{ agent: Agent; generatedPassword?: string } | undefined> {
  const [existing] = await db.query('SELECT id FROM agents LIMIT 1');
  if (existing) return undefined;
  const generatedPassword = admin.password ? undefined : randomBytes(12).toString('base64url');
  try {
    const agent = await createAgent(db, {
      email: admin.email,
      name: 'Administrator',
      password: admin.password ?? generatedPassword!,
      role: 'admin',
    });
    return { agent, generatedPassword };
  } catch (error) {
    // A server and a worker starting together: the other process created the admin first.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
    throw error;
  }
}
