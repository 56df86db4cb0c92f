import { useState } from 'preact/hooks';
import { useStoreState, useT, useWidget } from '../context';
import { useFormSubmit } from './useFormSubmit';

/** Nobody is online: say so, and take an email so support's reply goes out by email. */
export function OfflineNotice() {
  const { connection, store } = useWidget();
  const { emailFor, visitorEmail } = useStoreState();
  const t = useT();
  const [email, setEmail] = useState(visitorEmail ?? '');
  const { submit, busy, error } = useFormSubmit(async () => {
    await connection.identify({ email: email.trim(), continueByEmail: true });
    store.update({ emailFor: email.trim() });
  });

  return (
    <div class="card notice" data-testid="offline-notice">
      {emailFor ? (
        <p>{t('emailThanks', { email: emailFor })}</p>
      ) : (
        <>
          <p>{t('offlineNotice')}</p>
          <form class="inline-form" data-testid="email-form" onSubmit={submit}>
            <input type="email" required maxLength={320} value={email} placeholder={t('emailPlaceholder')} aria-label={t('email')} onInput={(event) => setEmail(event.currentTarget.value)} />
            <button type="submit" class="primary" disabled={busy}>
              {t('emailSubmit')}
            </button>
          </form>
          {error && <p class="form-error">{error}</p>}
        </>
      )}
    </div>
  );
}
