import { teamRoles } from '../../domain/teams';
import { type ApiSection, errors, object, ok, ref, secured } from './parts';

/** The signed-in agent's session: who they are, and signing out. */
export const sessionApi: ApiSection = {
  schemas: {},
  paths: {
    '/api/auth/me': {
      get: {
        summary: 'The agent the token belongs to, and their teams',
        ...secured,
        responses: {
          ...ok(
            'The agent',
            object({
              agent: ref('Agent'),
              teams: { type: 'array', items: object({ id: { type: 'string' }, name: { type: 'string' }, role: { enum: [...teamRoles] } }) },
            }),
          ),
          ...errors(401),
        },
      },
    },
    '/api/auth/logout': {
      post: {
        summary: 'Sign out: the token is refused from now on and its console sockets are disconnected',
        ...secured,
        responses: { 204: { description: 'Signed out' }, ...errors(401) },
      },
    },
  },
};
