import { useState } from 'preact/hooks';
import { useStoreState, useT, useWidget } from '../context';

/** The satisfaction rating offered once a conversation is resolved: one click on a star sends it. */
export function Csat() {
  const { connection } = useWidget();
  const { csat } = useStoreState();
  const t = useT();
  const [hover, setHover] = useState(0);
  const [error, setError] = useState<string | null>(null);
  if (!csat) return null;

  const rate = (rating: number) =>
    connection.rate(csat.conversationId, rating).catch((failure: unknown) => setError(t('error', { message: (failure as Error).message })));

  return (
    <div class="card csat" data-testid="csat">
      {csat.state === 'sent' ? (
        <p>{t('csatThanks')}</p>
      ) : (
        <>
          <p>{t('csatQuestion')}</p>
          <div class="stars" onMouseLeave={() => setHover(0)}>
            {[1, 2, 3, 4, 5].map((rating) => (
              <button
                key={rating}
                type="button"
                class={`star ${rating <= hover ? 'lit' : ''}`}
                data-testid="csat-star"
                data-rating={rating}
                aria-label={t('star', { n: rating })}
                onMouseEnter={() => setHover(rating)}
                onClick={() => void rate(rating)}
              >
                ★
              </button>
            ))}
          </div>
          {error && <p class="form-error">{error}</p>}
        </>
      )}
    </div>
  );
}
