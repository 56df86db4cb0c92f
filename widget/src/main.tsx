import { render } from 'preact';
import { createEvents, installApi } from './api';
import { watchAttention } from './attention';
import { App } from './components/App';
import { readEmbedConfig, type EmbedConfig } from './config';
import { connect } from './connection';
import { fetchSettings } from './settings';
import { KEYS, read } from './storage';
import { createStore, DEFAULT_SETTINGS, type Store } from './store';
import css from './styles.css?inline';

const HOST_ID = 'supporthub-widget';

function refreshSettings(embed: EmbedConfig, store: Store): void {
  fetchSettings(embed.hub, embed.widgetKey).then(
    (settings) => store.update({ settings }),
    (error: unknown) => console.error('[SupportHub] could not load the widget settings; using defaults', error),
  );
}

/** Everything lives in an open shadow root on one host element, so the page's CSS cannot reach it. */
function mount(embed: EmbedConfig): void {
  const host = document.createElement('div');
  host.id = HOST_ID;
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  const container = document.createElement('div');
  shadow.append(style, container);
  document.body.appendChild(host);

  const store = createStore({
    open: false,
    pageVisible: document.visibilityState === 'visible',
    connected: false,
    browserOnline: navigator.onLine,
    settings: DEFAULT_SETTINGS,
    visitorId: read(KEYS.visitorId),
    messages: [],
    pending: [],
    agentTyping: null,
    agentReadUpTo: null,
    queuePosition: null,
    csat: null,
    emailFor: null,
    visitorEmail: null,
    preChatDone: read(KEYS.preChatDone) === '1',
    seenAt: read(KEYS.seenAt),
    error: null,
  });
  const events = createEvents();
  // Live messages only arrive from socket events, after chimeIfAway below is set.
  const connection = connect(embed.hub, store, (message) => {
    events.emit('message', message);
    chimeIfAway(message);
  });
  const chimeIfAway = watchAttention(store, connection, embed.notify, (count) => events.emit('unread', count));

  let wasOpen = false;
  store.subscribe(({ open }) => {
    if (open === wasOpen) return;
    wasOpen = open;
    events.emit(open ? 'open' : 'close');
    // Availability changes through the day: check it whenever the visitor looks.
    if (open) refreshSettings(embed, store);
  });

  installApi({
    identify: (claim) => connection.identify(claim),
    open: () => store.update({ open: true }),
    close: () => store.update({ open: false }),
    on: events.on,
  });
  refreshSettings(embed, store);
  render(<App hub={embed.hub} store={store} connection={connection} embedLanguage={embed.language} />, container);
  events.emit('ready');
}

// document.currentScript is only set while this script runs, so read the embed attributes now.
const embed = readEmbedConfig();
if (!document.getElementById(HOST_ID)) {
  if (document.body) mount(embed);
  else document.addEventListener('DOMContentLoaded', () => mount(embed), { once: true });
}
