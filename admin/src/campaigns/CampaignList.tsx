import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import { onLive, onLiveConnected } from '../api/live';
import type { Page } from '../api/types';
import { formatDateTime } from '../customers/format';
import { href, navigate } from '../router';
import { type Campaign, type CampaignStats, campaignPath, laterOf, progressOf, rateOf, type Segment } from './campaignShapes';
import { ProgressBar, StatusChip } from './StatusChip';

const PAGE = 50;

/** When it goes or went out, in words. */
function timing(campaign: Campaign): string {
  if (campaign.finishedAt) return `${campaign.status === 'cancelled' ? 'Stopped' : 'Finished'} ${formatDateTime(campaign.finishedAt)}`;
  if (campaign.startedAt) return `Started ${formatDateTime(campaign.startedAt)}`;
  if (campaign.scheduledAt) return `${campaign.status === 'cancelled' ? 'Was due' : 'Due'} ${formatDateTime(campaign.scheduledAt)}`;
  return `Created ${formatDateTime(campaign.createdAt)}`;
}

function CampaignRow({ campaign, segmentName }: { campaign: Campaign; segmentName: string }) {
  const { stats } = campaign;
  const path = campaignPath(campaign.id);
  return (
    <li class="cmp-row" data-testid="campaign-row" data-campaign-id={campaign.id} data-status={campaign.status}>
      <a
        href={href(path)}
        onClick={(event) => {
          event.preventDefault();
          navigate(path);
        }}
      >
        <span class="cmp-row-main">
          <span class="cmp-row-name">{campaign.name}</span>
          <span class="muted cmp-row-sub">
            {segmentName} · {timing(campaign)}
          </span>
        </span>
        <StatusChip status={campaign.status} />
        <span class="cmp-row-progress">
          {campaign.status === 'draft' || (campaign.status === 'scheduled' && stats.recipients === 0) ? (
            <span class="muted">Not sent yet</span>
          ) : (
            <>
              <ProgressBar value={progressOf(stats)} label={`${stats.sent} of ${stats.recipients} sent`} />
              <span class="cmp-row-count">
                {stats.sent.toLocaleString()} / {stats.recipients.toLocaleString()} sent
              </span>
            </>
          )}
        </span>
        <span class="cmp-row-rates">
          <span title="Opened, of those sent">
            <span class="muted">Opened</span> {rateOf(stats.opened, stats.sent)}
          </span>
          <span title="Clicked, of those sent">
            <span class="muted">Clicked</span> {rateOf(stats.clicked, stats.sent)}
          </span>
        </span>
      </a>
    </li>
  );
}

/** Campaigns, newest first, their state and figures kept live by the hub's pushes. */
export function CampaignList({ canWrite }: { canWrite: boolean }) {
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [segments, setSegments] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = () =>
    Promise.all([http.get<Page<Campaign>>('/api/campaigns', { limit: PAGE }), http.get<{ items: Segment[] }>('/api/segments')])
      .then(([page, segmentList]) => {
        setCampaigns(page.items);
        setCursor(page.nextCursor);
        setSegments(new Map(segmentList.items.map((segment) => [segment.id, segment.name])));
        setError(null);
      })
      .catch((failure: Error) => setError(failure.message));

  useEffect(() => {
    void load();
    const patch = (id: string, change: (campaign: Campaign) => Campaign) =>
      setCampaigns((list) => list && list.map((campaign) => (campaign.id === id ? change(campaign) : campaign)));
    const offStats = onLive('campaign:stats', ({ campaignId, stats }) => patch(campaignId, (campaign) => ({ ...campaign, stats: stats as CampaignStats })));
    const offUpdated = onLive('campaign:updated', (event) =>
      setCampaigns((list) => {
        if (!list) return list;
        if (list.some((campaign) => campaign.id === event.id)) return list.map((campaign) => (campaign.id === event.id ? laterOf(campaign, { ...campaign, ...(event as Partial<Campaign>) }) : campaign));
        // A whole campaign we have not listed (scheduled from another console) goes on top.
        return 'name' in event ? [event as Campaign, ...list] : list;
      }),
    );
    const offReconnect = onLiveConnected(() => void load());
    return () => {
      offStats();
      offUpdated();
      offReconnect();
    };
  }, []);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await http.get<Page<Campaign>>('/api/campaigns', { limit: PAGE, cursor });
      setCampaigns((list) => [...(list ?? []), ...page.items.filter((item) => !list?.some((known) => known.id === item.id))]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div class="cmp-page">
      <div class="set-head">
        <h1>Campaigns</h1>
        {canWrite && (
          <a
            class="cmp-button primary"
            data-testid="campaign-new"
            href={href(campaignPath('new'))}
            onClick={(event) => {
              event.preventDefault();
              navigate(campaignPath('new'));
            }}
          >
            New campaign
          </a>
        )}
      </div>
      {error && (
        <p class="set-error" role="alert">
          {error}
        </p>
      )}
      {!campaigns && !error && <p class="muted">Loading…</p>}
      {campaigns && campaigns.length === 0 && (
        <p class="muted">{canWrite ? 'No campaigns yet. Make a segment of customers, then write the email.' : 'No campaigns yet.'}</p>
      )}
      {campaigns && campaigns.length > 0 && (
        <ul class="cmp-rows" aria-label="Campaigns">
          {campaigns.map((campaign) => (
            <CampaignRow key={campaign.id} campaign={campaign} segmentName={campaign.segmentId ? (segments.get(campaign.segmentId) ?? 'Unknown segment') : 'No segment'} />
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="link cmp-more" disabled={loadingMore} onClick={() => void more()}>
          {loadingMore ? 'Loading…' : 'Load more campaigns'}
        </button>
      )}
    </div>
  );
}
