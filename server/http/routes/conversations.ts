import type Router from '@koa/router';
import type { Agent } from '../../domain/agents';
import { changeConversation, conversationChangeSchema } from '../../domain/conversationChanges';
import { getConversation, listConversations } from '../../domain/conversations';
import { listConversationMessages } from '../../domain/messages';
import { addNote, listNotes, noteRequest } from '../../domain/notes';
import { parseInput } from '../../domain/parseInput';
import { replyAsAgent } from '../../domain/replies';
import { requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';
import { agentReplyRequest, conversationListQuery, pageQuery } from '../schemas';

export function conversationRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);

  router.get('/api/conversations', auth, async (ctx) => {
    const { status, assignee, cursor, limit } = parseInput(conversationListQuery, ctx.query);
    const me = ctx.state.agent as Agent;
    const assigneeId = assignee === 'me' ? me.id : assignee === 'none' ? null : assignee;
    ctx.body = await listConversations(deps.domain.db, { status, assigneeId }, { cursor, limit });
  });

  router.get('/api/conversations/:id', auth, async (ctx) => {
    ctx.body = await getConversation(deps.domain.db, ctx.params.id!);
  });

  router.patch('/api/conversations/:id', auth, jsonBody(), async (ctx) => {
    const change = parseInput(conversationChangeSchema, ctx.request.body);
    const me = ctx.state.agent as Agent;
    ctx.body = await changeConversation(deps.domain, { ...change, conversationId: ctx.params.id!, agentId: me.id });
  });

  router.get('/api/conversations/:id/messages', auth, async (ctx) => {
    const { cursor, limit } = parseInput(pageQuery, ctx.query);
    const conversation = await getConversation(deps.domain.db, ctx.params.id!);
    ctx.body = await listConversationMessages(deps.domain.db, conversation.id, { cursor, limit });
  });

  router.post('/api/conversations/:id/messages', auth, jsonBody(), async (ctx) => {
    const { clientId, body } = parseInput(agentReplyRequest, ctx.request.body);
    const me = ctx.state.agent as Agent;
    const result = await replyAsAgent(deps.domain, { agentId: me.id, conversationId: ctx.params.id!, clientId, body });
    ctx.status = result.duplicate ? 200 : 201;
    ctx.body = { message: result.message, duplicate: result.duplicate };
  });

  router.get('/api/conversations/:id/notes', auth, async (ctx) => {
    const { cursor, limit } = parseInput(pageQuery, ctx.query);
    const conversation = await getConversation(deps.domain.db, ctx.params.id!);
    ctx.body = await listNotes(deps.domain.db, { conversationId: conversation.id }, { cursor, limit });
  });

  router.post('/api/conversations/:id/notes', auth, jsonBody(), async (ctx) => {
    const { body } = parseInput(noteRequest, ctx.request.body);
    const me = ctx.state.agent as Agent;
    ctx.status = 201;
    ctx.body = await addNote(deps.domain, { conversationId: ctx.params.id!, agentId: me.id, body });
  });
}
