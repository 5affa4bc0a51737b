import { useEffect, useMemo, useState } from 'preact/hooks';
import { createClient } from './lib/api.js';
import { hold } from './lib/ready.js';
import { navigate, useLocation } from './lib/router.jsx';
import { stateFromQuery } from './lib/range.js';
import { PageContext } from './context.js';
import { SignIn } from './views/SignIn.jsx';
import { Dashboard } from './views/Dashboard.jsx';

const DEFAULT_VIEW = '/dashboard/overview';

export function App() {
  const location = useLocation();
  // the session (and its CSRF token) lives in memory only; a reload asks GET /session again
  const [session, setSession] = useState(undefined);
  const [next, setNext] = useState(null);
  const api = useMemo(() => createClient({
    onUnauthorized: () => {
      setSession(null);
      navigate('/signin', { search: '' });
    },
  }), []);

  useEffect(() => {
    const release = hold('session');
    api.session()
      .then((data) => setSession(data), () => setSession(null))
      .finally(release);
  }, [api]);

  const path = location.path.replace(/\/+$/, '') || '/';
  const onSignin = path === '/signin';

  useEffect(() => {
    if (session === undefined) return;
    if (session === null && !onSignin) {
      if (path.startsWith('/dashboard/')) setNext(`${path}${location.search}`);
      navigate('/signin', { replace: true, search: '' });
    } else if (session && (onSignin || path === '/' || path === '/dashboard')) {
      navigate(DEFAULT_VIEW, { replace: true, search: onSignin ? '' : location.search });
    }
  }, [session, path, onSignin, location.search]);

  if (session === undefined) return <div class="boot" data-testid="skeleton" aria-busy="true">Loading…</div>;

  if (!session || onSignin) {
    const signedIn = (data) => {
      setSession(data);
      const target = next || DEFAULT_VIEW;
      setNext(null);
      const [p, s = ''] = target.split('?');
      navigate(p, { search: s });
    };
    return <SignIn api={api} onSignedIn={signedIn} />;
  }

  const range = stateFromQuery(location.search);
  const signOut = async () => {
    try {
      await api.signOut();
    } finally {
      setSession(null);
      navigate('/signin', { search: '' });
    }
  };
  const page = { api, session, store: session.store || {}, range, location, signOut };
  return (
    <PageContext.Provider value={page}>
      <Dashboard path={path} />
    </PageContext.Provider>
  );
}
