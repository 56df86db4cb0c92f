import { http } from '../api/http';
import type { Page } from '../api/types';
import { usePages } from '../api/usePages';
import type { Order } from './customerShapes';
import { formatDate, formatMoney } from './format';

const PAGE_SIZE = 5;

/** The customer's orders, newest first, a few at a time. */
export function CustomerOrders({ customerId, version }: { customerId: string; version: number }) {
  const { items: orders, state, error, hasMore, more, reload } = usePages(
    (cursor) => http.get<Page<Order>>(`/api/customers/${encodeURIComponent(customerId)}/orders`, { limit: PAGE_SIZE, cursor }),
    [customerId, version],
  );

  return (
    <section class="cust-section" aria-labelledby={`orders-${customerId}`}>
      <h3 class="cust-h" id={`orders-${customerId}`}>
        Orders
      </h3>
      <ul class="cust-orders" data-testid="customer-orders">
        {orders.map((order) => (
          <li key={order.id} class="cust-order">
            <div class="cust-order-top">
              <span class="cust-order-number">#{order.number}</span>
              <span class={`chip order-${order.status}`}>{order.status}</span>
              <span class="cust-order-total">{formatMoney(order.total, order.currency)}</span>
            </div>
            <div class="muted cust-order-meta">
              <time dateTime={order.placedAt}>{formatDate(order.placedAt)}</time> · {order.source} ·{' '}
              {order.items.map((item) => `${item.quantity} × ${item.product}`).join(', ')}
            </div>
          </li>
        ))}
      </ul>
      {state === 'idle' && orders.length === 0 && <p class="muted">No orders yet.</p>}
      {state === 'error' && (
        <p class="field-error" role="alert">
          {error}{' '}
          <button type="button" class="link" onClick={reload}>
            Retry
          </button>
        </p>
      )}
      {state === 'loading' && <p class="muted">Loading orders…</p>}
      {state === 'idle' && hasMore && (
        <button type="button" class="link" onClick={more}>
          Show more orders
        </button>
      )}
    </section>
  );
}
