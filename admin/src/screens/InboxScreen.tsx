import { useEffect } from 'preact/hooks';
import type { Agent } from '../api/types';
import { ConversationList } from '../inbox/ConversationList';
import { ConversationPane } from '../inbox/ConversationPane';
import { HelpDialog } from '../inbox/HelpDialog';
import { followInboxLive, showView } from '../inbox/inboxStore';
import { parseView } from '../inbox/inboxView';
import { useInboxKeyboard } from '../inbox/keyboard';
import { ViewList } from '../inbox/ViewList';
import { navigate } from '../router';
import '../inbox/inbox.css';

/** The inbox: views, the view's conversations, and the open one (one column at a time on a phone). */
export function InboxScreen({ view: segment, conversationId, me }: { view: string; conversationId: string | null; me: Agent }) {
  const view = parseView(segment);
  useEffect(followInboxLive, []);
  useEffect(() => {
    if (view) showView(view, me);
    else navigate('/inbox/mine', { replace: true });
  }, [view, me.id]);
  useInboxKeyboard(view ?? 'mine', conversationId);
  if (!view) return null;

  return (
    <div class={`inbox${conversationId ? ' has-open' : ''}`}>
      <ViewList view={view} openId={conversationId} />
      <ConversationList view={view} openId={conversationId} />
      {conversationId ? (
        <ConversationPane key={conversationId} view={view} conversationId={conversationId} me={me} />
      ) : (
        <section class="inbox-pane pane-placeholder" aria-label="Conversation">
          <p class="muted">Pick a conversation, or press j. Press ? for all shortcuts.</p>
        </section>
      )}
      <HelpDialog />
    </div>
  );
}
