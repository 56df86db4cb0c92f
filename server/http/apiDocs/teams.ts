import { agentInputSchema, agentPatchSchema } from '../../domain/agentRoster';
import { intents } from '../../domain/intents';
import { teamStrategies } from '../../domain/routingStrategies';
import { teamInputSchema, teamMembersSchema, teamPatchSchema, teamRoles } from '../../domain/teams';
import { agentStatuses } from '../../realtime/presence';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, nullable, object, ok, ref, secured } from './parts';

const list = (item: string) => object({ items: { type: 'array', items: ref(item) } });
const body = (schema: Parameters<typeof inputSchema>[0]) => ({ required: true, content: json(inputSchema(schema)) });

/** Teams, agents and how conversations are routed to them. */
export const teamsApi: ApiSection = {
  schemas: {
    Team: object({
      id: { type: 'string' },
      name: { type: 'string' },
      strategy: { enum: [...teamStrategies] },
      intents: { type: 'array', items: { enum: [...intents] } },
      isDefault: { type: 'boolean' },
      members: { type: 'array', items: object({ agentId: { type: 'string' }, role: { enum: [...teamRoles] } }) },
      createdAt: dateTime,
    }),
    RosterAgent: object({
      id: { type: 'string' },
      email: { type: 'string', format: 'email' },
      name: { type: 'string' },
      role: { enum: ['admin', 'agent'] },
      capacity: { type: 'integer', description: 'Most open and pending conversations routing gives them' },
      skills: { type: 'array', items: { type: 'string' } },
      avatarUrl: nullable('string', { format: 'uri' }),
      load: { type: 'integer', description: 'Open and pending conversations assigned to them now' },
      teamIds: { type: 'array', items: { type: 'string' } },
      online: { type: 'boolean', description: 'At least one console connected' },
      status: { enum: [...agentStatuses], description: 'away: online but not taking conversations; offline: online but shown offline, never routed to' },
    }),
  },
  paths: {
    '/api/teams': {
      get: {
        summary: 'Every team with its members',
        ...secured,
        responses: { ...ok('The teams', list('Team')), ...errors(401) },
      },
      post: {
        summary: 'Create a team (admins)',
        description:
          'A conversation goes to the team whose intents include its intent, else to the default team; a free agent of the team ' +
          "is chosen by the team's strategy among those online, available and under capacity, else it waits in the team's queue " +
          '(most pressing, then oldest first). 409 team_name_taken for a name in use (any case), 409 default_team_taken when another team is the default.',
        ...secured,
        requestBody: body(teamInputSchema),
        responses: { 201: { description: 'The team', content: json(ref('Team')) }, ...errors(400, 401, 403, 409, 415) },
      },
    },
    '/api/teams/{id}': {
      patch: {
        summary: 'Change a team (admins)',
        ...secured,
        parameters: [idParameter('Team id')],
        requestBody: body(teamPatchSchema),
        responses: { ...ok('The team', ref('Team')), ...errors(400, 401, 403, 404, 409, 415) },
      },
      delete: {
        summary: 'Delete a team (admins)',
        description: 'Its waiting conversations are routed again: to the team that claims their intent, or the default team.',
        ...secured,
        parameters: [idParameter('Team id')],
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      },
    },
    '/api/teams/{id}/members': {
      put: {
        summary: "Replace a team's members (admins)",
        description: 'Supervisors also hear the SLA warnings and breaches of the team. The team\'s queue is served at once.',
        ...secured,
        parameters: [idParameter('Team id')],
        requestBody: body(teamMembersSchema),
        responses: { ...ok('The team', ref('Team')), ...errors(400, 401, 403, 404, 415) },
      },
    },
    '/api/agents': {
      get: {
        summary: 'Every agent, with presence and load',
        description: 'Presence comes from the /agents sockets: online while a console is connected; status is set with agent:status.',
        ...secured,
        responses: { ...ok('The agents', list('RosterAgent')), ...errors(401) },
      },
      post: {
        summary: 'Create an agent (admins)',
        description: 'Skills are intents and language codes (en, zh) the skills strategy matches. 409 agent_email_taken for an email in use.',
        ...secured,
        requestBody: body(agentInputSchema),
        responses: { 201: { description: 'The agent', content: json(ref('RosterAgent')) }, ...errors(400, 401, 403, 409, 415) },
      },
    },
    '/api/agents/{id}': {
      patch: {
        summary: 'Change an agent (admins)',
        description: "More capacity or new skills serve the agent's teams' queues at once.",
        ...secured,
        parameters: [idParameter('Agent id')],
        requestBody: body(agentPatchSchema),
        responses: { ...ok('The agent', ref('RosterAgent')), ...errors(400, 401, 403, 404, 415) },
      },
    },
  },
};
