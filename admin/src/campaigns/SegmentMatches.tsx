import type { CustomerRecord } from '../customers/customerShapes';
import { displayName } from '../customers/customerShapes';
import { href, navigate } from '../router';
import type { LivePreview } from './useLivePreview';

export type SegmentPreview = { count: number; sample: CustomerRecord[] };

const count = new Intl.NumberFormat();

/** Who the filter matches right now: how many, and the newest of them. */
export function SegmentMatches({ preview, stale }: { preview: LivePreview<SegmentPreview>; stale: boolean }) {
  const { result, loading } = preview;
  return (
    <section class="cmp-panel seg-matches" data-testid="segment-preview" aria-label="Matching customers" aria-busy={loading}>
      <h2>
        {result ? (
          <span data-testid="segment-count">
            {count.format(result.count)} {result.count === 1 ? 'customer matches' : 'customers match'}
          </span>
        ) : (
          'Matching customers'
        )}
        {loading && <span class="muted cmp-loading"> · checking…</span>}
      </h2>
      {stale && result && <p class="muted seg-stale">As of the last filter the hub accepted.</p>}
      {stale && !result && !loading && <p class="muted seg-stale">Fix the marked condition to see who matches.</p>}
      {result && result.sample.length > 0 && (
        <>
          <p class="muted seg-sample-head">The newest {result.sample.length < result.count ? `${result.sample.length} of them` : 'ones'}:</p>
          <ul class="seg-sample">
            {result.sample.map((customer) => (
              <li key={customer.id}>
                <a
                  href={href(`/customers/${encodeURIComponent(customer.id)}`)}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(`/customers/${encodeURIComponent(customer.id)}`);
                  }}
                >
                  {displayName(customer)}
                </a>
                <span class="muted">{customer.email ?? 'no email'}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {result && result.count === 0 && <p class="muted">No customer matches these conditions.</p>}
    </section>
  );
}
