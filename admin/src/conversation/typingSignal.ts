import { useEffect, useMemo } from 'preact/hooks';
import { emitLive } from '../api/live';
import type { Conversation } from '../api/types';

/** "Still typing" is repeated at most this often, so the widget's indicator does not time out. */
const REPEAT_MS = 3_000;
/** No keystroke for this long: the agent has stopped typing. */
const IDLE_MS = 4_000;

/**
 * Tells a chat customer's widget that the agent is typing: on the first keystroke, again every
 * few seconds while it goes on, and "stopped" after a pause, on send, or on leaving.
 * Only chat customers can see it; everything else is a no-op.
 */
export function useTypingSignal(conversation: Conversation) {
  const signal = useMemo(() => {
    let typingSince = 0;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const emit = (typing: boolean) => {
      // Best effort: a lost "typing" only means the customer sees nothing.
      emitLive('typing', { conversationId: conversation.id, typing }).catch(() => undefined);
    };
    const stopped = () => {
      clearTimeout(idle);
      if (typingSince === 0) return;
      typingSince = 0;
      emit(false);
    };
    const changed = (value: string) => {
      if (conversation.channel !== 'chat') return;
      if (value.trim() === '') return stopped();
      const now = Date.now();
      if (now - typingSince >= REPEAT_MS) {
        typingSince = now;
        emit(true);
      }
      clearTimeout(idle);
      idle = setTimeout(stopped, IDLE_MS);
    };
    return { changed, stopped };
  }, [conversation.id, conversation.channel]);

  useEffect(() => signal.stopped, [signal]);
  return signal;
}
