import type { Connection } from './connection';
import { KEYS, write } from './storage';
import { fromSupport, unreadCount, type Store } from './store';
import type { Message } from './types';

/**
 * What the visitor has seen: read receipts to the hub while the panel is open and the page in
 * front, the unread count otherwise, and the optional sound and title notifications.
 */
export function watchAttention(
  store: Store,
  connection: Connection,
  notify: { sound: boolean; title: boolean },
  onUnread: (count: number) => void,
): (message: Message) => void {
  const pageTitle = document.title;
  let lastUnread = -1;
  let lastReadSent: string | null = null;

  const attending = () => store.get().open && store.get().pageVisible;

  store.subscribe((state) => {
    const newest = state.messages.findLast(fromSupport);
    if (attending() && newest) {
      if (state.seenAt !== newest.createdAt) {
        write(KEYS.seenAt, newest.createdAt);
        store.update({ seenAt: newest.createdAt });
        return;
      }
      if (state.connected && lastReadSent !== newest.id) {
        lastReadSent = newest.id;
        connection.markRead(newest.id);
      }
    }
    const unread = unreadCount(state);
    if (unread !== lastUnread) {
      lastUnread = unread;
      onUnread(unread);
      if (notify.title) document.title = unread > 0 ? `(${unread}) ${pageTitle}` : pageTitle;
    }
  });

  document.addEventListener('visibilitychange', () => store.update({ pageVisible: document.visibilityState === 'visible' }));

  return (message) => {
    if (notify.sound && fromSupport(message) && !attending()) chime();
  };
}

/** A short two-note chime, synthesized so the bundle carries no audio file. */
function chime(): void {
  const audio = new AudioContext();
  const gain = audio.createGain();
  gain.connect(audio.destination);
  gain.gain.setValueAtTime(0.08, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
  [660, 880].forEach((frequency, index) => {
    const tone = audio.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(audio.currentTime + index * 0.12);
    tone.stop(audio.currentTime + 0.4);
  });
  setTimeout(() => void audio.close(), 600);
}
