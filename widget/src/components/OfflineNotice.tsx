import { useState } from 'preact/hooks';
import { useStoreState, useT, useWidget } from '../context';

/** Nobody is online: say so, and take an email so support's reply goes out by email. */
export function OfflineNotice() {
  const { connection, store } = useWidget();
  const { emailFor, visitorEmail } = useStoreState();
  const t = useT();
  const [email, setEmail] = useState(visitorEmail ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await connection.identify({ email: email.trim(), continueByEmail: true });
      store.update({ emailFor: email.trim() });
    } catch (failure) {
      setError(t('error', { message: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  }

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
