import { useEffect, useState } from 'preact/hooks';
import { Widget, type WidgetContext } from '../context';
import { pickLanguage, type Language } from '../i18n';
import { Launcher } from './Launcher';
import { Panel } from './Panel';

type Props = Omit<WidgetContext, 'language'> & { embedLanguage: Language | null };

/** The widget's root inside the shadow root: picks the UI language and turns the hub's colours into CSS variables. */
export function App({ embedLanguage, ...context }: Props) {
  const [{ settings }, setState] = useState(context.store.get());
  useEffect(() => context.store.subscribe(setState), [context.store]);
  const language = pickLanguage(embedLanguage, settings.language, navigator.language);
  const style = { '--primary': settings.colors.primary, '--on-primary': settings.colors.onPrimary };
  return (
    <Widget.Provider value={{ ...context, language }}>
      <div class="root" lang={language} style={style}>
        <Panel />
        <Launcher />
      </div>
    </Widget.Provider>
  );
}
