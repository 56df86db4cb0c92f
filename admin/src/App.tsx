import { useEffect } from 'preact/hooks';
import { connectLive, disconnectLive } from './api/live';
import { sessionStore } from './api/session';
import { navigate, useRoute } from './router';
import { LoginScreen } from './screens/LoginScreen';
import { Shell } from './screens/Shell';
import { useStore } from './store';
import { Toasts } from './components/Toasts';

export function App() {
  const session = useStore(sessionStore, (state) => state.session);
  const route = useRoute();

  useEffect(() => {
    if (!session) {
      disconnectLive();
      if (route[0] !== 'login') navigate('/login', { replace: true });
      return;
    }
    connectLive(session.token);
    if (route[0] === 'login' || route.length === 0) navigate('/inbox/mine', { replace: true });
    return disconnectLive;
  }, [session?.token]);

  return (
    <>
      {session ? <Shell session={session} /> : <LoginScreen />}
      <Toasts />
    </>
  );
}
