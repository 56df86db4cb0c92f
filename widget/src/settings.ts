import { DEFAULT_SETTINGS } from './store';
import type { WidgetSettings } from './types';

/** The hub's widget settings (colours, greeting, pre-chat fields, availability, limits). */
export async function fetchSettings(hub: string, widgetKey: string | null): Promise<WidgetSettings> {
  const query = widgetKey ? `?key=${encodeURIComponent(widgetKey)}` : '';
  const response = await fetch(`${hub}/api/widget/settings${query}`, { credentials: 'omit' });
  if (!response.ok) throw new Error(`widget settings: HTTP ${response.status}`);
  const settings = (await response.json()) as Partial<WidgetSettings>;
  // Fields a newer or older hub leaves out keep the defaults.
  return {
    ...DEFAULT_SETTINGS,
    ...settings,
    colors: { ...DEFAULT_SETTINGS.colors, ...settings.colors },
    greeting: { ...DEFAULT_SETTINGS.greeting, ...settings.greeting },
    preChat: { ...DEFAULT_SETTINGS.preChat, ...settings.preChat },
    availability: { ...DEFAULT_SETTINGS.availability, ...settings.availability },
    limits: { ...DEFAULT_SETTINGS.limits, ...settings.limits },
  };
}
