import { useStoreState, useT, useWidget } from '../context';
import { unreadCount } from '../store';
import { ChatIcon, CloseIcon } from './icons';

export function Launcher() {
  const { store } = useWidget();
  const state = useStoreState();
  const t = useT();
  const unread = unreadCount(state);
  return (
    <button
      type="button"
      class="launcher"
      data-testid="launcher"
      aria-label={state.open ? t('closeChat') : t('openChat')}
      aria-expanded={state.open}
      onClick={() => store.update({ open: !state.open })}
    >
      {state.open ? <CloseIcon size={26} /> : <ChatIcon />}
      {!state.open && unread > 0 && (
        <span class="badge" data-testid="unread-badge" aria-label={String(unread)}>
          {unread > 9 ? '9+' : unread}
        </span>
      )}
    </button>
  );
}
