import { useStoreState, useT } from '../context';
import { Composer } from './Composer';
import { Csat } from './Csat';
import { Header } from './Header';
import { MessageList } from './MessageList';
import { OfflineNotice } from './OfflineNotice';
import { PreChatForm } from './PreChatForm';

export function Panel() {
  const state = useStoreState();
  const t = useT();
  const { preChat, availability } = state.settings;
  const asksFirst = preChat.name !== 'off' || preChat.email !== 'off';
  const needsPreChat = asksFirst && !state.preChatDone && state.messages.length === 0 && state.pending.length === 0;
  return (
    <section class={`panel ${state.open ? 'open' : ''}`} data-testid="panel" aria-hidden={!state.open} role="dialog" aria-label={t('openChat')}>
      <Header />
      <MessageList />
      <div class="footer">
        {!availability.online && !needsPreChat && <OfflineNotice />}
        {state.queuePosition !== null && state.queuePosition > 0 && availability.online && (
          <p class="queue" data-testid="queue-position">
            {t('queue', { n: state.queuePosition })}
          </p>
        )}
        <Csat />
        {state.error && (
          <p class="form-error" role="alert">
            {t('error', { message: state.error })}
          </p>
        )}
        {needsPreChat ? <PreChatForm /> : <Composer />}
      </div>
    </section>
  );
}
