import type Router from '@koa/router';
import type { Agent } from '../../domain/agents';
import { correctIntent, intentCorrectionSchema } from '../../domain/classification';
import { currentIntentModelInfo, intents } from '../../domain/intents';
import { parseInput } from '../../domain/parseInput';
import { requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';

export function intentRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);

  router.get('/api/intents', auth, (ctx) => {
    const model = currentIntentModelInfo(deps.intentModels);
    ctx.body = { intents, model: model && { version: model.version, trainedAt: model.trainedAt, metrics: model.metrics } };
  });

  router.put('/api/conversations/:id/intent', auth, jsonBody(), async (ctx) => {
    const { intent } = parseInput(intentCorrectionSchema, ctx.request.body);
    const me = ctx.state.agent as Agent;
    ctx.body = await correctIntent(deps.domain, { conversationId: ctx.params.id!, intent, agentId: me.id });
  });
}
