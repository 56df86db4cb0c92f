import { href, navigate } from '../router';
import { CustomerOrders } from './CustomerOrders';
import { CustomerProfile } from './CustomerProfile';
import { CustomerTimeline } from './CustomerTimeline';
import { useCustomer } from './useCustomer';
import './customers.css';

export const customerPath = (customerId: string) => `/customers/${customerId}`;

export function CustomerLink({ customerId }: { customerId: string }) {
  return (
    <a
      class="cust-link"
      data-testid="customer-link"
      href={href(customerPath(customerId))}
      onClick={(event) => {
        event.preventDefault();
        navigate(customerPath(customerId));
      }}
    >
      Open customer page →
    </a>
  );
}

/** A notice when the customer shown is the survivor of a merge, not the one asked for. */
export function MergedNotice({ from }: { from: string | null }) {
  if (!from) return null;
  return <p class="notice cust-merged">This customer was merged into the one shown here.</p>;
}

/** The customer beside an open conversation: profile, orders and metrics, and the full timeline. */
export function CustomerPanel({ customerId }: { customerId: string }) {
  const { id, customer, error, version, mergedFrom, replace } = useCustomer(customerId);
  return (
    <aside class="customer-panel" data-testid="customer-panel" aria-label="Customer">
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : !customer ? (
        <p class="muted">Loading the customer…</p>
      ) : (
        <>
          <MergedNotice from={mergedFrom} />
          <CustomerProfile customer={customer} onSaved={replace} link={<CustomerLink customerId={id} />} />
          <CustomerOrders customerId={id} version={version} />
          <CustomerTimeline customerId={id} version={version} />
        </>
      )}
    </aside>
  );
}
