import { useEffect, useRef, useState } from 'preact/hooks';
import { http } from '../api/http';
import { onLive } from '../api/live';
import type { Page } from '../api/types';
import { agentName, directory } from '../data/directory';
import { href, navigate, useRoute } from '../router';
import { useStore } from '../store';
import type { TimelineEntry } from './customerShapes';
import { formatDateTime } from './format';
import { describeEvent } from './timelineText';

const PAGE_SIZE = 30;
const LIVE_REFRESH_MS = 400;
const FAMILIES = [
  ['', 'Everything'],
  ['message', 'Messages'],
  ['conversation', 'Conversations'],
  ['note', 'Notes'],
  ['order', 'Orders'],
  ['form', 'Forms'],
  ['campaign', 'Campaigns'],
  ['sla', 'SLA'],
] as const;

const newestFirst = (a: TimelineEntry, b: TimelineEntry) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1);

/** The events of `fresh` not yet in `known`, merged into it by time (an order may be placed in the past). */
function mergeEvents(known: TimelineEntry[], fresh: TimelineEntry[]): TimelineEntry[] {
  const ids = new Set(known.map((event) => event.id));
  const added = fresh.filter((event) => !ids.has(event.id));
  return added.length === 0 ? known : [...known, ...added].sort(newestFirst);
}

export const conversationPath = (conversationId: string) => `/inbox/all/${conversationId}`;

function TimelineEvent({ event, nameOf, openId }: { event: TimelineEntry; nameOf: (id: string) => string; openId: string | undefined }) {
  const view = describeEvent(event, nameOf);
  return (
    <li class={`tl-event tl-${view.tone}`} data-testid="timeline-event" data-kind={event.kind}>
      <div class="tl-top">
        <span class="tl-title">{view.title}</span>
        <time class="tl-time muted" dateTime={event.at}>
          {formatDateTime(event.at)}
        </time>
      </div>
      {view.detail && <p class="tl-detail">{view.detail}</p>}
      {view.conversationId && view.conversationId !== openId && (
        <a
          class="tl-link"
          href={href(conversationPath(view.conversationId))}
          onClick={(click) => {
            click.preventDefault();
            navigate(conversationPath(view.conversationId!));
          }}
        >
          Open conversation
        </a>
      )}
    </li>
  );
}

/** Everything that happened with the customer, newest first; older pages load as you scroll. */
export function CustomerTimeline({ customerId, version }: { customerId: string; version: number }) {
  const [kind, setKind] = useState('');
  const [events, setEvents] = useState<TimelineEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'idle' | 'error'>('loading');
  const [error, setError] = useState('');
  const more = useRef<HTMLButtonElement>(null);
  // Answers to an earlier customer, version or filter are dropped.
  const generation = useRef(0);
  const agents = useStore(directory, (value) => value.agents);
  const nameOf = (id: string) => agentName(agents, id) ?? 'an agent';
  // Beside an open conversation, its own events need no link to it.
  const route = useRoute();
  const openId = route[0] === 'inbox' ? route[2] : undefined;

  const fetchPage = (after: string | null) =>
    http.get<Page<TimelineEntry>>(`/api/customers/${encodeURIComponent(customerId)}/timeline`, { limit: PAGE_SIZE, cursor: after, kind });

  const load = async (after: string | null) => {
    const asked = generation.current;
    setState('loading');
    try {
      const page = await fetchPage(after);
      if (asked !== generation.current) return;
      setEvents((known) => (after ? mergeEvents(known, page.items) : page.items));
      setCursor(page.nextCursor);
      setState('idle');
    } catch (failure) {
      if (asked !== generation.current) return;
      setError((failure as Error).message);
      setState('error');
    }
  };

  useEffect(() => {
    generation.current += 1;
    setEvents([]);
    setCursor(null);
    void load(null);
  }, [customerId, version, kind]);

  // Infinite scroll: a fresh observer after each page, so a short page that leaves the end in view loads the next.
  useEffect(() => {
    const target = more.current;
    if (!target || state !== 'idle' || !cursor) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        void load(cursor);
      },
      { rootMargin: '0px 0px 300px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [state, cursor]);

  // Live: what just happened is re-read from the top and merged in (bursts of events read once).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const asked = generation.current;
        fetchPage(null)
          .then((page) => asked === generation.current && setEvents((known) => mergeEvents(known, page.items)))
          .catch(() => undefined);
      }, LIVE_REFRESH_MS);
    };
    const mine = (item: { customerId?: string }) => item.customerId === customerId && refresh();
    const offs = [
      onLive('message:new', mine),
      onLive('conversation:new', mine),
      onLive('conversation:updated', mine),
      onLive('note:new', (note) => mine(note as { customerId?: string })),
    ];
    return () => {
      clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [customerId, kind]);

  return (
    <section class="cust-section cust-timeline" aria-labelledby={`timeline-${customerId}`}>
      <div class="cust-section-head">
        <h3 class="cust-h" id={`timeline-${customerId}`}>
          Timeline
        </h3>
        <label>
          <span class="sr-only">Show</span>
          <select value={kind} onChange={(event) => setKind(event.currentTarget.value)}>
            {FAMILIES.map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </label>
      </div>
      <ol class="tl-list" data-testid="customer-timeline" aria-busy={state === 'loading'}>
        {events.map((event) => (
          <TimelineEvent key={event.id} event={event} nameOf={nameOf} openId={openId} />
        ))}
      </ol>
      {state === 'loading' && <p class="muted">Loading the timeline…</p>}
      {state === 'error' && (
        <p class="field-error" role="alert">
          {error}{' '}
          <button type="button" class="link" onClick={() => void load(cursor)}>
            Retry
          </button>
        </p>
      )}
      {state === 'idle' && cursor && (
        <button type="button" class="link tl-more" ref={more} onClick={() => void load(cursor)}>
          Load older events
        </button>
      )}
      {state === 'idle' && !cursor && <p class="muted tl-end">{events.length ? 'The beginning of the timeline.' : 'Nothing here yet.'}</p>}
    </section>
  );
}
