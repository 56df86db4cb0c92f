import type { Logger } from 'pino';
import { publicError } from '../domain/errors';
import type { InFlight } from '../inFlight';

type Ack = (response: object) => void;

/**
 * Wraps a socket event handler: the ack gets `{ ok: true, ...result }` or
 * `{ ok: false, error: { code, message } }`, and unexpected errors are logged, never leaked.
 */
export function acknowledged(
  log: Logger,
  inFlight: InFlight,
  event: string,
  handler: (payload: unknown) => Promise<object>,
): (payload: unknown, ack?: unknown) => void {
  return (payload, ack) => {
    const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
    const work = handler(payload).then(
      (result) => reply({ ok: true, ...result }),
      (error: unknown) => {
        const body = publicError(error);
        if (body.code === 'internal') log.error({ err: error, event }, 'socket handler failed');
        reply({ ok: false, error: body });
      },
    );
    inFlight.track(work);
  };
}
