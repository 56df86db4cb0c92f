import type { Channel } from '../api/types';

const LABELS: Record<Channel, string> = { chat: 'Chat', email: 'Email', form: 'Web form' };

const PATHS: Record<Channel, string> = {
  chat: 'M2 3h12v8H6l-3 3v-3H2z',
  email: 'M1.5 3.5h13v9h-13zM1.5 3.5 8 9l6.5-5.5',
  form: 'M3 1.5h7l3 3v10H3zM5.5 7h5M5.5 9.5h5M5.5 12h3',
};

/** The channel a conversation came by, as a small outline icon with its name for screen readers. */
export function ChannelIcon({ channel }: { channel: Channel }) {
  return (
    <svg class={`channel-icon channel-${channel}`} viewBox="0 0 16 16" width="14" height="14" role="img" aria-label={LABELS[channel]}>
      <title>{LABELS[channel]}</title>
      <path d={PATHS[channel]} fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round" />
    </svg>
  );
}

export const channelLabel = (channel: Channel) => LABELS[channel];
