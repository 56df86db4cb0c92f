import { useEffect, useRef } from 'preact/hooks';
import type { Agent } from '../api/types';
import { AutomationEditor } from '../campaigns/AutomationEditor';
import { AutomationList } from '../campaigns/AutomationList';
import { CampaignList } from '../campaigns/CampaignList';
import { CampaignPage } from '../campaigns/CampaignPage';
import { SegmentEditor } from '../campaigns/SegmentEditor';
import { SegmentList } from '../campaigns/SegmentList';
import { SuppressionList } from '../campaigns/SuppressionList';
import { href, navigate } from '../router';
import '../settings/settings.css';
import '../campaigns/campaigns.css';

const TABS = [
  { section: '', label: 'Campaigns', path: '/campaigns' },
  { section: 'segments', label: 'Segments', path: '/campaigns/segments' },
  { section: 'automations', label: 'Automations', path: '/campaigns/automations' },
  { section: 'suppressions', label: 'Suppressions', path: '/campaigns/suppressions' },
] as const;

/**
 * Email campaigns. `path` is the route under /admin/campaigns: [] the list, ['new'] or [id] one
 * campaign, ['segments'] and ['segments', id | 'new'], ['automations'] and ['automations', id | 'new'],
 * ['suppressions']. Admins write, agents read.
 */
export function CampaignsScreen({ path, me }: { path: string[]; me: Agent }) {
  const canWrite = me.role === 'admin';
  const [first, second] = path;
  const section = first === 'segments' || first === 'suppressions' || first === 'automations' ? first : '';

  const tabs = useRef<HTMLElement>(null);
  // On a phone the tabs are a strip wider than the screen: keep the open one in view.
  useEffect(() => tabs.current?.querySelector('a.active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' }), [section]);

  let body;
  if (first === 'segments') body = second ? <SegmentEditor key={second} segmentId={second === 'new' ? null : second} canWrite={canWrite} /> : <SegmentList canWrite={canWrite} />;
  else if (first === 'suppressions') body = <SuppressionList canWrite={canWrite} />;
  else if (first === 'automations') body = second ? <AutomationEditor key={second} automationId={second === 'new' ? null : second} canWrite={canWrite} /> : <AutomationList canWrite={canWrite} />;
  else if (first) body = <CampaignPage id={first === 'new' ? null : first} me={me} />;
  else body = <CampaignList canWrite={canWrite} />;

  return (
    <div class="campaigns">
      <nav class="cmp-tabs" aria-label="Campaigns" ref={tabs}>
        <ul>
          {TABS.map((tab) => (
            <li key={tab.section}>
              <a
                href={href(tab.path)}
                data-testid={`campaigns-tab-${tab.section || 'campaigns'}`}
                class={tab.section === section ? 'active' : undefined}
                aria-current={tab.section === section && path.length <= 1 ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(tab.path);
                }}
              >
                {tab.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="cmp-body">{body}</div>
    </div>
  );
}
