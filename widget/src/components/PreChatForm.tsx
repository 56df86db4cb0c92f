import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useStoreState, useT, useWidget } from '../context';
import { KEYS, write } from '../storage';
import type { FieldMode } from '../types';
import { useFormSubmit } from './useFormSubmit';

/** The fields the hub's settings ask for before the first message (name and/or email). */
export function PreChatForm() {
  const { connection, store } = useWidget();
  const { settings } = useStoreState();
  const t = useT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const { submit, busy, error } = useFormSubmit(async () => {
    if (name.trim() || email.trim()) {
      await connection.identify({ ...(name.trim() ? { name: name.trim() } : {}), ...(email.trim() ? { email: email.trim() } : {}) });
    }
    write(KEYS.preChatDone, '1');
    store.update({ preChatDone: true, visitorEmail: email.trim() || null });
  });

  const field = (mode: FieldMode, label: string, input: (required: boolean) => JSX.Element) =>
    mode !== 'off' && (
      <label class="field">
        <span>
          {label}
          {mode === 'optional' && <em> ({t('optional')})</em>}
        </span>
        {input(mode === 'required')}
      </label>
    );

  return (
    <form class="card prechat" data-testid="prechat-form" onSubmit={submit}>
      <p class="card-title">{t('preChatTitle')}</p>
      {field(settings.preChat.name, t('name'), (required) => (
        <input type="text" autocomplete="name" value={name} required={required} maxLength={200} onInput={(event) => setName(event.currentTarget.value)} />
      ))}
      {field(settings.preChat.email, t('email'), (required) => (
        <input type="email" autocomplete="email" value={email} required={required} maxLength={320} onInput={(event) => setEmail(event.currentTarget.value)} />
      ))}
      {error && <p class="form-error">{error}</p>}
      <button type="submit" class="primary" disabled={busy}>
        {t('startChat')}
      </button>
    </form>
  );
}
