/** Every signed-in agent's sockets. */
export const AGENTS_ROOM = 'agents';
/** One agent's sockets (assignments, personal notices). */
export const agentRoom = (agentId: string) => `agent:${agentId}`;
/** All sockets of one customer's widget, across tabs and servers. */
export const customerRoom = (customerId: string) => `customer:${customerId}`;
