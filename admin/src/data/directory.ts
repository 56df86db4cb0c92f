import { http } from '../api/http';
import { onLive } from '../api/live';
import type { Agent, Team } from '../api/types';
import { createStore } from '../store';

export type Directory = { agents: Agent[]; teams: Team[]; intents: string[]; loaded: boolean };

/** Who works here and how work is split: agents (with live presence), teams, intents. */
export const directory = createStore<Directory>({ agents: [], teams: [], intents: [], loaded: false });

/** Presence heard while the agent list is on its way: the list may predate it (our own connect, for one). */
let heardDuringLoad: Map<string, Pick<Agent, 'online' | 'status'>> | null = null;

export async function loadDirectory(): Promise<void> {
  const heard = new Map<string, Pick<Agent, 'online' | 'status'>>();
  heardDuringLoad = heard;
  const [agents, teams, intents] = await Promise.all([
    http.get<{ items: Agent[] }>('/api/agents'),
    http.get<{ items: Team[] }>('/api/teams'),
    http.get<{ intents: string[] }>('/api/intents'),
  ]);
  if (heardDuringLoad === heard) heardDuringLoad = null;
  const current = agents.items.map((agent) => ({ ...agent, ...heard.get(agent.id) }));
  directory.set({ agents: current, teams: teams.items, intents: intents.intents, loaded: true });
}

onLive('agent:presence', ({ agentId, online, status }) => {
  heardDuringLoad?.set(agentId, { online, status });
  directory.update((current) => ({
    ...current,
    agents: current.agents.map((agent) => (agent.id === agentId ? { ...agent, online, status } : agent)),
  }));
});

export const agentName = (agents: Agent[], id: string | null) => (id ? (agents.find((agent) => agent.id === id)?.name ?? 'Unknown agent') : null);
