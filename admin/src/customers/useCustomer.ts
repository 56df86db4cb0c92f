import { useEffect, useState } from 'preact/hooks';
import { ApiError, http } from '../api/http';
import { onLive, onLiveConnected } from '../api/live';
import type { CustomerRecord } from './customerShapes';

type Loaded = { id: string; customer: CustomerRecord | null; error: string | null };

/** Where a merged-away customer went: the hub answers 410 `customer_merged` with `details.mergedInto`. */
function survivorOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 410) return null;
  const mergedInto = (error.details as { mergedInto?: unknown } | undefined)?.mergedInto;
  return typeof mergedInto === 'string' ? mergedInto : null;
}

/**
 * The customer, kept true: re-read after a merge into them or a reconnect, and followed to the
 * survivor when they were merged away. `version` changes whenever what hangs off them (orders,
 * timeline) should be re-read too.
 */
export function useCustomer(customerId: string) {
  // A followed merge belongs to the customer it started from; a new customerId starts afresh.
  const [followed, setFollowed] = useState<{ from: string; to: string } | null>(null);
  const id = followed?.from === customerId ? followed.to : customerId;
  const [loaded, setLoaded] = useState<Loaded>({ id, customer: null, error: null });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    http
      .get<CustomerRecord>(`/api/customers/${encodeURIComponent(id)}`)
      .then((customer) => current && setLoaded({ id, customer, error: null }))
      .catch((error: Error) => {
        if (!current) return;
        const survivor = survivorOf(error);
        if (survivor) setFollowed({ from: customerId, to: survivor });
        else setLoaded({ id, customer: null, error: error.message });
      });
    return () => {
      current = false;
    };
  }, [id, version]);

  useEffect(() => {
    const offMerged = onLive('customer:merged', ({ sourceId, targetId }) => {
      if (sourceId === id) setFollowed({ from: customerId, to: targetId });
      else if (targetId === id) setVersion((value) => value + 1);
    });
    const offReconnect = onLiveConnected(() => setVersion((value) => value + 1));
    return () => {
      offMerged();
      offReconnect();
    };
  }, [id, customerId]);

  const mine = loaded.id === id;
  return {
    id,
    customer: mine ? loaded.customer : null,
    error: mine ? loaded.error : null,
    version,
    /** The customer this one was merged into, when we followed a merge. */
    mergedFrom: id !== customerId ? customerId : null,
    replace: (customer: CustomerRecord) => setLoaded({ id, customer, error: null }),
  };
}
