import { useState } from 'preact/hooks';
import { useT } from '../context';

/** A form's submit handler that shows it is busy and turns a failure into the form's error line. */
export function useFormSubmit(action: () => Promise<void>) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(t('error', { message: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  }
  return { submit, busy, error };
}
