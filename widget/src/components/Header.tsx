import { useStoreState, useT, useWidget } from '../context';
import { currentAgent } from '../store';
import { Avatar } from './Avatar';
import { CloseIcon } from './icons';

export function Header() {
  const { store } = useWidget();
  const state = useStoreState();
  const t = useT();
  const agent = currentAgent(state);
  const online = state.settings.availability.online;
  const status = !state.connected || !state.browserOnline ? t('reconnecting') : online ? t('online') : t('offline');
  return (
    <header class="header">
      <div class="identity">
        <span class="avatar-wrap">
          <Avatar name={agent?.name ?? t('team')} url={agent?.avatarUrl ?? null} size={40} />
          <span class={`presence ${online && state.connected ? 'on' : 'off'}`} />
        </span>
        <div class="titles">
          <strong class="title">{agent?.name ?? t('team')}</strong>
          <span class="subtitle">{status}</span>
        </div>
      </div>
      <button type="button" class="icon-button" data-testid="close" aria-label={t('closeChat')} onClick={() => store.update({ open: false })}>
        <CloseIcon />
      </button>
    </header>
  );
}
