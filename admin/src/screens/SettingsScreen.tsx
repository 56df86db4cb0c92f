import { useEffect, useRef } from 'preact/hooks';
import { href, navigate } from '../router';
import { AgentsSettings } from '../settings/AgentsSettings';
import { CannedSettings } from '../settings/CannedSettings';
import { FormsSettings } from '../settings/FormsSettings';
import { TeamsSettings } from '../settings/TeamsSettings';
import { WidgetSettings } from '../settings/WidgetSettings';
import '../settings/settings.css';

const SECTIONS = {
  agents: { label: 'Agents', Screen: AgentsSettings },
  teams: { label: 'Teams & routing', Screen: TeamsSettings },
  canned: { label: 'Canned responses', Screen: CannedSettings },
  forms: { label: 'Web forms', Screen: FormsSettings },
  widget: { label: 'Chat widget', Screen: WidgetSettings },
} as const;
type Section = keyof typeof SECTIONS;

const isSection = (name: string): name is Section => Object.hasOwn(SECTIONS, name);

/** Settings for admins: a menu of sections beside (on a phone, above) the one open. */
export function SettingsScreen({ section, isAdmin }: { section: string; isAdmin: boolean }) {
  const menu = useRef<HTMLElement>(null);
  useEffect(() => {
    if (isAdmin && !isSection(section)) navigate('/settings/agents', { replace: true });
    // On a phone the menu is a strip wider than the screen: keep the open section's tab in view.
    menu.current?.querySelector('a.active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [section, isAdmin]);

  if (!isAdmin) {
    return (
      <div class="set-denied" role="alert">
        <h1>Settings</h1>
        <p>Settings are for admins only. Ask an admin if agents, teams, canned responses, forms or the widget need changing.</p>
      </div>
    );
  }
  if (!isSection(section)) return null;
  const { Screen } = SECTIONS[section];

  return (
    <div class="settings">
      <nav class="set-menu" aria-label="Settings" ref={menu}>
        <ul>
          {(Object.keys(SECTIONS) as Section[]).map((name) => (
            <li key={name}>
              <a
                href={href(`/settings/${name}`)}
                class={name === section ? 'active' : undefined}
                aria-current={name === section ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(`/settings/${name}`);
                }}
              >
                {SECTIONS[name].label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="set-body">
        <Screen key={section} />
      </div>
    </div>
  );
}
