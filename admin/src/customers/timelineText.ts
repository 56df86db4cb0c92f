import { formatMoney } from './format';
import type { TimelineEntry } from './customerShapes';

export type EventView = { title: string; detail?: string; conversationId?: string; tone: 'in' | 'out' | 'note' | 'order' | 'warn' | 'info' };

const text = (value: unknown) => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));
const CHANNELS: Record<string, string> = { chat: 'chat', email: 'email', form: 'web form' };
const SLA_TARGETS: Record<string, string> = { first_response: 'first response', firstResponse: 'first response', resolution: 'resolution' };

/** A timeline event in words, with the conversation it belongs to (if any) for a link. */
export function describeEvent(event: TimelineEntry, agentName: (id: string) => string): EventView {
  const data = event.data ?? {};
  const conversationId = text(data.conversationId) || (event.kind === 'conversation.opened' ? (event.reference ?? '') : '') || undefined;
  const by = (id: unknown) => (typeof id === 'string' && id ? agentName(id) : null);
  const view = (title: string, tone: EventView['tone'], detail?: string): EventView => ({ title, tone, detail: detail || undefined, conversationId });

  switch (event.kind) {
    case 'conversation.opened':
      return view(`Conversation opened by ${CHANNELS[text(data.channel)] ?? text(data.channel)}`, 'info', text(data.subject));
    case 'conversation.assigned': {
      const to = by(data.to);
      if (to) return view(`Assigned to ${to}${by(data.by) ? ` by ${by(data.by)}` : ''}`, 'info');
      return view('Back in the queue', 'info', text(data.reason));
    }
    case 'conversation.resolved':
      return view(data.status === 'closed' ? 'Conversation closed' : 'Conversation resolved', 'info', by(data.by) ? `by ${by(data.by)}` : undefined);
    case 'conversation.reopened':
      return view('Conversation reopened', 'info');
    case 'conversation.merged': {
      const moved = typeof data.movedMessages === 'number' ? `${data.movedMessages} message${data.movedMessages === 1 ? '' : 's'} moved in` : undefined;
      return view(`Another conversation merged in${by(data.by) ? ` by ${by(data.by)}` : ''}`, 'info', moved);
    }
    case 'conversation.intent_corrected':
      return view('Intent corrected', 'info', `${text(data.from) || 'unknown'} → ${text(data.to)}${by(data.agentId) ? ` by ${by(data.agentId)}` : ''}`);
    case 'conversation.rated': {
      const rating = Number(data.rating) || 0;
      return view(`Rated ${'★'.repeat(rating)}${'☆'.repeat(Math.max(0, 5 - rating))}`, 'info', text(data.comment));
    }
    case 'sla.warning':
    case 'sla.breached': {
      const target = SLA_TARGETS[text(data.target)] ?? text(data.target);
      return view(event.kind === 'sla.warning' ? `SLA ${target} due soon` : `SLA ${target} breached`, 'warn');
    }
    case 'message.received':
      return view(`Customer wrote (${CHANNELS[text(data.channel)] ?? text(data.channel)})`, 'in', text(data.excerpt));
    case 'message.sent':
      return view(`Reply${by(data.agentId) ? ` from ${by(data.agentId)}` : ''}`, 'out', text(data.excerpt));
    case 'message.delivery_failed':
      return view('A reply could not be delivered', 'warn', text(data.reason));
    case 'note.added':
      return view(`Note${by(data.agentId) ? ` by ${by(data.agentId)}` : ''}`, 'note', text(data.excerpt));
    case 'form.submitted':
      return view(`Sent the form ${text(data.formName)}`, 'in');
    case 'order.placed':
      return view(`Order ${text(data.number)} placed`, 'order', `${formatMoney(text(data.total), text(data.currency) || null)} · ${text(data.status)}`);
    case 'order.updated':
      return view(`Order ${text(data.number)} ${text(data.to)}`, 'order', `was ${text(data.from)}`);
    case 'campaign.sent':
    case 'campaign.opened':
    case 'campaign.clicked':
    case 'campaign.unsubscribed':
    case 'campaign.bounced':
      return view(`Campaign ${event.kind.slice('campaign.'.length)}: ${text(data.campaignName)}`, 'info', text(data.url) || text(data.subject));
    case 'customer.merged':
      return view(`Merged with ${text(data.sourceName) || text(data.sourceId)}`, 'info', text(data.reason));
    case 'customer.erased':
      return view('Personal data erased', 'warn');
    default:
      return view(event.kind, 'info');
  }
}
