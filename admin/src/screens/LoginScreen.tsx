import { useState } from 'preact/hooks';
import { ApiError, http } from '../api/http';
import { sessionStore, startSession } from '../api/session';
import type { Agent } from '../api/types';
import { useStore } from '../store';

export function LoginScreen() {
  const expired = useStore(sessionStore, (state) => state.expired);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { token, agent } = await http.post<{ token: string; agent: Agent }>('/api/auth/login', { email, password });
      startSession({ token, agent });
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 401 ? 'Wrong email or password.' : (failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit}>
        <h1>Support hub</h1>
        {expired && (
          <p class="notice" data-testid="session-expired">
            Your session has expired, please sign in again.
          </p>
        )}
        <label>
          Email
          <input data-testid="login-email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input data-testid="login-password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button data-testid="login-submit" type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
