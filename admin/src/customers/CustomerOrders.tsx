import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import type { Page } from '../api/types';
import type { Order } from './customerShapes';
import { formatDate, formatMoney } from './format';

const PAGE_SIZE = 5;

/** The customer's orders, newest first, a few at a time. */
export function CustomerOrders({ customerId, version }: { customerId: string; version: number }) {
  const [orders, setOrders] = useState<Order[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'idle' | 'error'>('loading');
  const [error, setError] = useState('');

  const load = async (after: string | null, current: { live: boolean } = { live: true }) => {
    setState('loading');
    try {
      const page = await http.get<Page<Order>>(`/api/customers/${encodeURIComponent(customerId)}/orders`, { limit: PAGE_SIZE, cursor: after });
      if (!current.live) return;
      setOrders((before) => (after ? [...before, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setState('idle');
    } catch (failure) {
      if (!current.live) return;
      setError((failure as Error).message);
      setState('error');
    }
  };

  useEffect(() => {
    const current = { live: true };
    void load(null, current);
    return () => {
      current.live = false;
    };
  }, [customerId, version]);

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
          <button type="button" class="link" onClick={() => void load(null)}>
            Retry
          </button>
        </p>
      )}
      {state === 'loading' && <p class="muted">Loading orders…</p>}
      {state === 'idle' && cursor && (
        <button type="button" class="link" onClick={() => void load(cursor)}>
          Show more orders
        </button>
      )}
    </section>
  );
}
