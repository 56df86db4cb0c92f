import type { ComponentChildren } from 'preact';
import type { Identity } from '../api/types';
import { CustomerTags } from './CustomerTags';
import { type CustomerRecord, displayName } from './customerShapes';
import { attributeText, formatDate, formatMoney } from './format';

const KIND_LABELS: Record<Identity['kind'], string> = { email: 'Email', phone: 'Phone', external: 'External id', visitor: 'Visitor' };
const KIND_ORDER: Identity['kind'][] = ['email', 'phone', 'external', 'visitor'];

function Identities({ identities }: { identities: Identity[] }) {
  const kinds = KIND_ORDER.filter((kind) => identities.some((identity) => identity.kind === kind));
  if (kinds.length === 0) return <p class="muted" data-testid="customer-identities">No email, phone or external id yet.</p>;
  return (
    <dl class="cust-dl" data-testid="customer-identities">
      {kinds.map((kind) => (
        <div key={kind}>
          <dt>{KIND_LABELS[kind]}</dt>
          {identities
            .filter((identity) => identity.kind === kind)
            .map((identity) => (
              <dd key={identity.value} class="cust-identity">
                {kind === 'email' ? <a href={`mailto:${identity.value}`}>{identity.value}</a> : identity.value}
              </dd>
            ))}
        </div>
      ))}
    </dl>
  );
}

function Metrics({ customer }: { customer: CustomerRecord }) {
  const { orders, rfm } = customer;
  return (
    <dl class="cust-metrics" aria-label="Order metrics">
      <div>
        <dt>Orders</dt>
        <dd>{orders.count}</dd>
      </div>
      <div>
        <dt>Lifetime value</dt>
        <dd>{orders.count > 0 ? formatMoney(orders.lifetimeValue, orders.currency) : '—'}</dd>
      </div>
      <div>
        <dt>Last order</dt>
        <dd>{orders.lastOrderAt ? formatDate(orders.lastOrderAt) : '—'}</dd>
      </div>
      <div>
        <dt>Segment</dt>
        <dd title={rfm ? `Recency ${rfm.recency}, frequency ${rfm.frequency}, monetary ${rfm.monetary} (1-5)` : 'Scored once they have orders'}>
          {rfm ? rfm.segment : '—'}
          {rfm && <span class="muted cust-rfm"> R{rfm.recency} F{rfm.frequency} M{rfm.monetary}</span>}
        </dd>
      </div>
    </dl>
  );
}

function Attributes({ attributes }: { attributes: Record<string, unknown> }) {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return <p class="muted" data-testid="customer-attributes">No attributes.</p>;
  return (
    <dl class="cust-dl cust-attrs" data-testid="customer-attributes">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{attributeText(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Who the customer is: name, identities, order metrics, tags and attributes. */
export function CustomerProfile({ customer, onSaved, link }: { customer: CustomerRecord; onSaved: (customer: CustomerRecord) => void; link?: ComponentChildren }) {
  return (
    <section class="cust-profile" aria-label="Profile">
      <header class="cust-head">
        <h2 data-testid="customer-name">
          {displayName(customer)}
        </h2>
        <p class="muted">Customer since {formatDate(customer.createdAt)}</p>
        {customer.erasedAt && <p class="notice">Personal data erased on {formatDate(customer.erasedAt)}.</p>}
        {link}
      </header>
      <Identities identities={customer.identities} />
      <Metrics customer={customer} />
      <h3 class="cust-h">Tags</h3>
      <CustomerTags customer={customer} onSaved={onSaved} />
      <h3 class="cust-h">Attributes</h3>
      <Attributes attributes={customer.attributes} />
    </section>
  );
}
