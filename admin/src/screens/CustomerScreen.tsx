import { useEffect } from 'preact/hooks';
import { toast } from '../components/Toasts';
import { CustomerConversations } from '../customers/CustomerConversations';
import { CustomerNotes } from '../customers/CustomerNotes';
import { CustomerOrders } from '../customers/CustomerOrders';
import { customerPath } from '../customers/CustomerPanel';
import { CustomerProfile } from '../customers/CustomerProfile';
import { CustomerTimeline } from '../customers/CustomerTimeline';
import { useCustomer } from '../customers/useCustomer';
import { href, navigate } from '../router';
import '../customers/customers.css';

/** One customer, full width: profile and orders, conversations and notes, the timeline. */
export function CustomerScreen({ customerId }: { customerId: string }) {
  const { id, customer, error, version, replace } = useCustomer(customerId);

  // A merged-away customer's page becomes the survivor's, so a reload or a shared link stays right.
  useEffect(() => {
    if (id === customerId) return;
    toast('This customer was merged into another one; showing the merged customer.');
    navigate(customerPath(id), { replace: true });
  }, [id, customerId]);

  return (
    <div class="cust-page">
      <nav class="cust-page-nav" aria-label="Breadcrumb">
        <a
          href={href('/customers')}
          class="cust-back"
          onClick={(event) => {
            event.preventDefault();
            navigate('/customers');
          }}
        >
          ← Customers
        </a>
      </nav>
      {error ? (
        <p class="field-error cust-page-error" role="alert">
          {error}
        </p>
      ) : !customer ? (
        <p class="muted cust-page-error">Loading the customer…</p>
      ) : (
        <div class="cust-page-grid" data-testid="customer-panel">
          <div class="cust-col">
            <CustomerProfile customer={customer} onSaved={replace} />
            <CustomerOrders customerId={id} version={version} />
          </div>
          <div class="cust-col">
            <CustomerConversations customerId={id} version={version} />
            <CustomerNotes customerId={id} version={version} />
          </div>
          <div class="cust-col">
            <CustomerTimeline customerId={id} version={version} />
          </div>
        </div>
      )}
    </div>
  );
}
