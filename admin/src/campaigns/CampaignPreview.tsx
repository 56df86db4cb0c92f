import { useState } from 'preact/hooks';
import { http } from '../api/http';
import { type CustomerRecord, displayName } from '../customers/customerShapes';
import type { TemplateProblem } from './campaignShapes';
import { templateProblemOf } from './campaignRequests';
import { type LivePreview, useLivePreview } from './useLivePreview';

export type Rendered = { subject: string; html: string; text: string; customerId: string | null };
type Content = { subject: string; html: string; text: string };

/** The campaign rendered by the hub a pause after each change, for one customer or the example one. */
export function useCampaignPreview(content: Content, customerId: string) {
  const key = JSON.stringify([content.subject, content.html, content.text, customerId]);
  const preview = useLivePreview<Rendered>(key, () =>
    http.post('/api/campaigns/preview', { subject: content.subject, html: content.html, text: content.text, ...(customerId ? { customerId } : {}) }),
  );
  return { preview, problem: templateProblemOf(preview.error) };
}

/**
 * What a customer would get: subject, then the HTML (in a sandboxed frame: no scripts, no forms,
 * no navigation, its own scrollbar) or the text part.
 */
export function CampaignPreview({
  preview,
  problem,
  customers,
  customerId,
  onCustomer,
}: {
  preview: LivePreview<Rendered>;
  problem: TemplateProblem | null;
  customers: CustomerRecord[];
  customerId: string;
  onCustomer: (id: string) => void;
}) {
  const [part, setPart] = useState<'html' | 'text'>('html');
  const { result, error, loading } = preview;
  return (
    <section class="cmp-panel cmp-preview" data-testid="campaign-preview" aria-label="Preview" aria-busy={loading}>
      <div class="cmp-preview-head">
        <h2>Preview{loading && <span class="muted cmp-loading"> · updating…</span>}</h2>
        <div class="seg-mode" role="group" aria-label="Part to preview">
          <button type="button" aria-pressed={part === 'html'} onClick={() => setPart('html')}>
            HTML
          </button>
          <button type="button" aria-pressed={part === 'text'} onClick={() => setPart('text')}>
            Text
          </button>
        </div>
      </div>
      <label class="cmp-preview-as">
        <span>As</span>
        <select value={customerId} onChange={(event) => onCustomer(event.currentTarget.value)}>
          <option value="">the example customer (Ada Lovelace)</option>
          {customers.map((customer) => (
            <option value={customer.id}>
              {displayName(customer)}
              {customer.email ? ` <${customer.email}>` : ''}
            </option>
          ))}
        </select>
      </label>
      {problem && (
        <p class="set-problem" role="status">
          Fix the {problem.field === 'html' ? 'HTML' : problem.field} template (line {problem.line}, column {problem.column}) to see it again.
        </p>
      )}
      {error && !problem && (
        <p class="set-problem" role="status">
          {error.message}
        </p>
      )}
      {result ? (
        <div class={`cmp-preview-body${error ? ' stale' : ''}`}>
          <p class="cmp-preview-subject">
            <span class="muted">Subject</span> <strong>{result.subject || <em class="muted">(no subject)</em>}</strong>
          </p>
          {part === 'html' ? (
            result.html ? (
              <iframe class="cmp-frame" title="HTML preview of the email" sandbox="" srcdoc={result.html} />
            ) : (
              <p class="muted cmp-frame-empty">No HTML part: mail programs show the text.</p>
            )
          ) : (
            <pre class="cmp-text-preview">{result.text || '(no text part)'}</pre>
          )}
        </div>
      ) : (
        !error && <p class="muted">Rendering…</p>
      )}
    </section>
  );
}
