import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import { onLive, onLiveConnected } from '../api/live';
import type { Agent } from '../api/types';
import { BackLink } from './BackLink';
import { CampaignEditor } from './CampaignEditor';
import { type Campaign, type CampaignStats, campaignPath, laterOf } from './campaignShapes';
import { CampaignView } from './CampaignView';

/**
 * One campaign (`id` null: a new one). Admins edit drafts; everything else is shown with its live
 * figures. Saving a new draft moves the route to its id without reloading what is on screen.
 */
export function CampaignPage({ id, me }: { id: string | null; me: Agent }) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The editor starts over only when another campaign is opened, not when a new one gets its id.
  const [opened, setOpened] = useState(id);
  const canWrite = me.role === 'admin';

  useEffect(() => {
    if (campaign?.id === id) return;
    setOpened(id);
    setError(null);
    setCampaign(null);
    if (id === null) return;
    const load = () =>
      http.get<Campaign>(`/api/campaigns/${encodeURIComponent(id)}`).then(
        (loaded) => setCampaign((current) => laterOf(current, loaded)),
        (failure: Error) => setError(failure.message),
      );
    void load();
    return onLiveConnected(() => void load());
  }, [id]);

  useEffect(() => {
    const offStats = onLive('campaign:stats', ({ campaignId, stats }) =>
      setCampaign((current) => (current && current.id === campaignId ? { ...current, stats: stats as CampaignStats } : current)),
    );
    const offUpdated = onLive('campaign:updated', (event) =>
      setCampaign((current) => (current && current.id === event.id ? laterOf(current, { ...current, ...(event as Partial<Campaign>) }) : current)),
    );
    return () => {
      offStats();
      offUpdated();
    };
  }, []);

  if (error) {
    return (
      <div class="cmp-page">
        <BackLink to={campaignPath()} label="Campaigns" />
        <p class="set-error" role="alert">
          {error}
        </p>
      </div>
    );
  }
  const changed = (next: Campaign) => setCampaign((current) => laterOf(current, next));

  if (id !== null && !campaign) return <p class="muted cmp-page">Loading…</p>;
  if (canWrite && (!campaign || campaign.status === 'draft')) {
    return <CampaignEditor key={opened ?? 'new'} campaign={campaign} me={me} onSaved={changed} />;
  }
  return <CampaignView campaign={campaign!} canWrite={canWrite} onChanged={changed} />;
}
