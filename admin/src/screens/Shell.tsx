import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import { emitLive, liveState, onLiveConnected } from '../api/live';
import { endSession, type Session } from '../api/session';
import type { AgentStatus } from '../api/types';
import { toast } from '../components/Toasts';
import { loadDirectory } from '../data/directory';
import { href, navigate, useRoute } from '../router';
import { useStore } from '../store';
import { CampaignsScreen } from './CampaignsScreen';
import { CustomerScreen } from './CustomerScreen';
import { CustomersScreen } from './CustomersScreen';
import { InboxScreen } from './InboxScreen';
import { SettingsScreen } from './SettingsScreen';

const STATUS_LABELS: Record<AgentStatus, string> = { available: 'Available', away: 'Away', offline: 'Appear offline' };
const STATUS_KEY = 'hub.status';

const savedStatus = (): AgentStatus => {
  const saved = localStorage.getItem(STATUS_KEY);
  return saved === 'away' || saved === 'offline' ? saved : 'available';
};

/** The signed-in frame: navigation, the agent's status, and the screen the route names. */
export function Shell({ session }: { session: Session }) {
  const route = useRoute();
  const live = useStore(liveState);
  const [status, setStatus] = useState<AgentStatus>(savedStatus);

  useEffect(() => {
    loadDirectory().catch((error: Error) => toast(error.message, 'error'));
  }, [session.token]);

  // The hub starts every new connection as available: an agent who chose away or offline says so
  // again on each (re)connect, before routing can hand them a conversation.
  useEffect(
    () =>
      onLiveConnected(() => {
        const chosen = savedStatus();
        if (chosen !== 'available') emitLive('agent:status', { status: chosen }).catch(() => undefined);
      }),
    [],
  );

  const changeStatus = async (next: AgentStatus) => {
    const before = status;
    setStatus(next);
    try {
      await emitLive('agent:status', { status: next });
      localStorage.setItem(STATUS_KEY, next);
    } catch (error) {
      setStatus(before);
      toast((error as Error).message, 'error');
    }
  };

  const logout = async () => {
    // Signing out must work even when the hub is unreachable: the local session ends regardless.
    await http.post('/api/auth/logout').catch(() => undefined);
    endSession('logout');
  };

  const link = (path: string, label: string, testId: string, active: boolean) => (
    <a
      href={href(path)}
      data-testid={testId}
      class={active ? 'active' : undefined}
      aria-current={active ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );

  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">Support hub</span>
        <nav aria-label="Main">
          {link('/inbox/mine', 'Inbox', 'nav-inbox', route[0] === 'inbox')}
          {link('/customers', 'Customers', 'nav-customers', route[0] === 'customers')}
          {link('/campaigns', 'Campaigns', 'nav-campaigns', route[0] === 'campaigns')}
          {session.agent.role === 'admin' && link('/settings/agents', 'Settings', 'nav-settings', route[0] === 'settings')}
        </nav>
        <span class={`live live-${live}`} title={live === 'online' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Offline: reconnecting'} aria-label={`Connection ${live}`} />
        <label class="status-select">
          <span class="sr-only">Your status</span>
          <select data-testid="agent-status" value={status} onChange={(e) => changeStatus(e.currentTarget.value as AgentStatus)}>
            {(Object.keys(STATUS_LABELS) as AgentStatus[]).map((value) => (
              <option value={value}>{STATUS_LABELS[value]}</option>
            ))}
          </select>
        </label>
        <span class="me" title={session.agent.email}>
          {session.agent.name}
        </span>
        <button type="button" data-testid="logout" class="link" onClick={logout}>
          Sign out
        </button>
      </header>
      <div class="screen">
        {route[0] === 'customers' && route[1] ? (
          <CustomerScreen customerId={route[1]} />
        ) : route[0] === 'customers' ? (
          <CustomersScreen />
        ) : route[0] === 'campaigns' ? (
          <CampaignsScreen path={route.slice(1)} me={session.agent} />
        ) : route[0] === 'settings' ? (
          <SettingsScreen section={route[1] ?? 'agents'} isAdmin={session.agent.role === 'admin'} />
        ) : (
          <InboxScreen view={route[1] ?? 'mine'} conversationId={route[2] ?? null} me={session.agent} />
        )}
      </div>
    </div>
  );
}
