import type Router from '@koa/router';
import type { Agent } from '../../domain/agents';
import { changeConversation, conversationChangeSchema } from '../../domain/conversationChanges';
import { countConversationViews, listConversations } from '../../domain/conversationInbox';
import { mergeConversations } from '../../domain/conversationMerge';
import { getConversation } from '../../domain/conversations';
import { listConversationMessages } from '../../domain/messages';
import { addNote, listNotes, noteRequest } from '../../domain/notes';
import { parseInput } from '../../domain/parseInput';
import { replyAsAgent } from '../../domain/replies';
import { requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';
import { agentReplyRequest, conversationListQuery, conversationMergeRequest, pageQuery } from '../schemas';

export function conversationRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);

  router.get('/api/conversations', auth, async (ctx) => {
    const { status, assignee, snoozed, team, intent, slaAtRisk, tag, customer, sort, cursor, limit } = parseInput(conversationListQuery, ctx.query);
    const me = ctx.state.agent as Agent;
    const filter = {
      statuses: status,
      assigneeId: assignee === 'me' ? me.id : assignee === 'none' ? null : assignee,
      snoozed,
      team: team === undefined ? undefined : team === 'mine' ? { memberId: me.id } : { id: team },
      intent: intent === 'unknown' ? null : intent,
      slaAtRisk,
      tag,
      customerId: customer,
    };
    ctx.body = await listConversations(deps.domain.db, filter, { cursor, limit, sort }, deps.domain.now());
  });

  // Before /:id, which would take "counts" for an id.
  router.get('/api/conversations/counts', auth, async (ctx) => {
    const me = ctx.state.agent as Agent;
    ctx.body = await countConversationViews(deps.domain.db, me.id, deps.domain.now());
  });

  router.get('/api/conversations/:id', auth, async (ctx) => {
    ctx.body = await getConversation(deps.domain.db, ctx.params.id!);
  });

  router.patch('/api/conversations/:id', auth, jsonBody(), async (ctx) => {
    const change = parseInput(conversationChangeSchema, ctx.request.body);
    const me = ctx.state.agent as Agent;
    ctx.body = await changeConversation(deps.domain, { ...change, conversationId: ctx.params.id!, agentId: me.id });
  });

  router.post('/api/conversations/:id/merge', auth, jsonBody(), async (ctx) => {
    const { sourceId } = parseInput(conversationMergeRequest, ctx.request.body);
    const me = ctx.state.agent as Agent;
    ctx.body = await mergeConversations(deps.domain, { targetId: ctx.params.id!, sourceId, agentId: me.id });
  });

  router.get('/api/conversations/:id/messages', auth, async (ctx) => {
    const { cursor, limit } = parseInput(pageQuery, ctx.query);
    const conversation = await getConversation(deps.domain.db, ctx.params.id!);
    ctx.body = await listConversationMessages(deps.domain.db, conversation.id, { cursor, limit });
  });

  router.post('/api/conversations/:id/messages', auth, jsonBody(), async (ctx) => {
    const { clientId, body, email } = parseInput(agentReplyRequest, ctx.request.body);
    const me = ctx.state.agent as Agent;
    const result = await replyAsAgent(deps.domain, { agentId: me.id, conversationId: ctx.params.id!, clientId, body, email });
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
