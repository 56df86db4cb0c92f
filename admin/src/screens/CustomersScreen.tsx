import { useEffect, useRef } from 'preact/hooks';
import { customerPath } from '../customers/CustomerPanel';
import { type CustomerRecord, displayName, RFM_SEGMENTS } from '../customers/customerShapes';
import { runSearch, searchForm, searchKey, searchResults } from '../customers/customerSearch';
import { formatDate, formatMoney } from '../customers/format';
import { href, navigate } from '../router';
import { useStore } from '../store';
import '../customers/customers.css';

const TYPING_PAUSE_MS = 300;
const SORTS = [
  ['-createdAt', 'Newest first'],
  ['createdAt', 'Oldest first'],
  ['name', 'Name A–Z'],
  ['-lifetimeValue', 'Highest lifetime value'],
  ['-lastOrderAt', 'Most recent order'],
] as const;

function CustomerRow({ customer }: { customer: CustomerRecord }) {
  const contact = [customer.email, customer.phone].filter(Boolean).join(' · ');
  return (
    <li class="cust-row" data-testid="customer-row" data-customer-id={customer.id}>
      <a
        href={href(customerPath(customer.id))}
        onClick={(event) => {
          event.preventDefault();
          navigate(customerPath(customer.id));
        }}
      >
        <span class="cust-row-main">
          <span class="cust-row-name">{displayName(customer)}</span>
          <span class="muted cust-row-contact">{contact || customer.externalId || 'No contact details'}</span>
        </span>
        <span class="cust-row-tags">
          {customer.tags.slice(0, 4).map((tag) => (
            <span class="chip" key={tag}>
              {tag}
            </span>
          ))}
        </span>
        <span class="cust-row-orders">
          {customer.orders.count > 0 ? (
            <>
              {formatMoney(customer.orders.lifetimeValue, customer.orders.currency)}
              <span class="muted">
                {' '}
                · {customer.orders.count} {customer.orders.count === 1 ? 'order' : 'orders'}
              </span>
            </>
          ) : (
            <span class="muted">No orders</span>
          )}
        </span>
        <span class="cust-row-segment">{customer.rfm?.segment ?? ''}</span>
        <span class="muted cust-row-since">{formatDate(customer.createdAt)}</span>
      </a>
    </li>
  );
}

/** Customers: search by text, tag and RFM segment; a page at a time as you scroll. */
export function CustomersScreen() {
  const form = useStore(searchForm);
  const results = useStore(searchResults);
  const more = useRef<HTMLButtonElement>(null);

  // Typing waits for a pause; an unchanged search (coming back from a customer) is not re-run.
  useEffect(() => {
    if (searchKey(form) === searchResults.get().key && searchResults.get().state !== 'error') return;
    const timer = setTimeout(() => void runSearch(form), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [form]);

  useEffect(() => {
    const target = more.current;
    if (!target || results.state !== 'idle' || !results.cursor) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        void runSearch(searchForm.get(), results.cursor);
      },
      { rootMargin: '0px 0px 300px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [results.state, results.cursor]);

  const set = (change: Partial<typeof form>) => searchForm.update((current) => ({ ...current, ...change }));

  return (
    <div class="cust-search-page">
      <header class="cust-search-head">
        <h1>Customers</h1>
        <form
          class="cust-search-form"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            void runSearch(searchForm.get());
          }}
        >
          <label class="cust-search-q">
            <span class="sr-only">Search customers</span>
            <input
              type="search"
              data-testid="customers-search"
              placeholder="Search name, email, phone or text…"
              value={form.q}
              onInput={(event) => set({ q: event.currentTarget.value })}
            />
          </label>
          <label>
            <span class="sr-only">Tags</span>
            <input placeholder="Tags" title="Tags, comma-separated: customers with all of them" value={form.tag} onInput={(event) => set({ tag: event.currentTarget.value })} />
          </label>
          <label>
            <span class="sr-only">Segment</span>
            <select value={form.segment} onChange={(event) => set({ segment: event.currentTarget.value })}>
              <option value="">Any segment</option>
              {RFM_SEGMENTS.map((segment) => (
                <option value={segment}>{segment}</option>
              ))}
            </select>
          </label>
          <label>
            <span class="sr-only">Sort</span>
            <select value={form.sort} onChange={(event) => set({ sort: event.currentTarget.value })}>
              {SORTS.map(([value, label]) => (
                <option value={value}>{label}</option>
              ))}
            </select>
          </label>
        </form>
      </header>
      <div class="cust-results">
        <ul class="cust-rows" aria-label="Customers found" aria-busy={results.state === 'loading'}>
          {results.items.map((customer) => (
            <CustomerRow key={customer.id} customer={customer} />
          ))}
        </ul>
        {results.state === 'error' && (
          <p class="field-error cust-results-note" role="alert">
            {results.error}
          </p>
        )}
        {results.state === 'loading' && <p class="muted cust-results-note">Searching…</p>}
        {results.state === 'idle' && results.items.length === 0 && results.key && <p class="muted cust-results-note">No customer matches.</p>}
        {results.state === 'idle' && results.cursor && (
          <button type="button" class="link cust-results-note" ref={more} onClick={() => void runSearch(searchForm.get(), results.cursor)}>
            Load more customers
          </button>
        )}
      </div>
    </div>
  );
}
