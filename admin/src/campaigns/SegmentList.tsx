import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import { formatDate } from '../customers/format';
import { href, navigate } from '../router';
import { type Segment, type SegmentFilter, segmentPath } from './campaignShapes';
import { FIELDS, OP_LABELS } from './segmentFields';

/** A filter in a few words: "tag is vip and 2 more conditions". */
function summary(filter: SegmentFilter): string {
  const list = 'all' in filter ? filter.all : 'any' in filter ? filter.any : [filter];
  if (list.length === 0) return 'all' in filter ? 'Everyone' : 'No one';
  const first = list[0]!;
  let text = 'A nested group';
  if ('field' in first) {
    const label = FIELDS.find((known) => known.field === first.field)?.label ?? first.field;
    const value = first.value === undefined ? '' : Array.isArray(first.value) ? ` ${first.value.join(', ')}` : typeof first.value === 'object' ? '' : ` ${String(first.value)}`;
    text = `${label} ${OP_LABELS[first.op] ?? first.op}${value}`;
  } else if ('not' in first) text = 'Not …';
  const more = list.length - 1;
  return more > 0 ? `${text} ${'all' in filter ? 'and' : 'or'} ${more} more` : text;
}

/** Segments: saved filters over customers, what campaigns are sent to. */
export function SegmentList({ canWrite }: { canWrite: boolean }) {
  const [segments, setSegments] = useState<Segment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    http
      .get<{ items: Segment[] }>('/api/segments')
      .then((answer) => setSegments(answer.items))
      .catch((failure: Error) => setError(failure.message));
  }, []);

  const open = (path: string) => (event: Event) => {
    event.preventDefault();
    navigate(path);
  };

  return (
    <div class="cmp-page">
      <div class="set-head">
        <h1>Segments</h1>
        {canWrite && (
          <a class="cmp-button primary" data-testid="segment-new" href={href(segmentPath('new'))} onClick={open(segmentPath('new'))}>
            New segment
          </a>
        )}
      </div>
      {error && (
        <p class="set-error" role="alert">
          {error}
        </p>
      )}
      {!segments && !error && <p class="muted">Loading…</p>}
      {segments && segments.length === 0 && <p class="muted">No segments yet. A segment says who a campaign goes to: customers with a tag, who ordered lately, who wrote about billing…</p>}
      {segments && segments.length > 0 && (
        <ul class="set-rows" aria-label="Segments">
          {segments.map((segment) => (
            <li key={segment.id} class="set-row" data-testid="segment-row">
              <a class="set-row-main cmp-row-link" href={href(segmentPath(segment.id))} onClick={open(segmentPath(segment.id))}>
                <span class="set-row-title">{segment.name}</span>
                <span class="muted set-row-sub">
                  {summary(segment.filter)} · changed {formatDate(segment.updatedAt)}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
