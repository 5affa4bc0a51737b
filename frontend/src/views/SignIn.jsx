import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { hold } from '../lib/ready.js';

export function SignIn({ api, onSignedIn }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef(null);

  useLayoutEffect(() => {
    hold('signin')();
    inputRef.current?.focus();
  }, []);

  const submit = async (event) => {
    event.preventDefault();
    const key = inputRef.current.value.trim();
    if (!key) {
      setError('Enter your API key.');
      return;
    }
    setBusy(true);
    setError(null);
    const release = hold('signin');
    try {
      await api.signIn(key);
      inputRef.current.value = '';
      const session = await api.session();
      onSignedIn(session);
    } catch (err) {
      setError(err.message || 'Sign-in failed.');
    } finally {
      setBusy(false);
      release();
    }
  };

  return (
    <main class="signin">
      <form class="signin-card" data-testid="signin-form" onSubmit={submit} noValidate>
        <h1>Marketing insights</h1>
        <p class="muted">Sign in with your store's API key. It is exchanged for a session cookie and not stored.</p>
        <label for="signin-key">API key</label>
        <input id="signin-key" data-testid="signin-key" type="password" name="api_key" autocomplete="off"
          spellcheck={false} placeholder="mk_…" ref={inputRef} aria-invalid={error ? 'true' : 'false'}
          aria-describedby={error ? 'signin-error' : undefined} />
        <button type="submit" class="primary" data-testid="signin-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && <p id="signin-error" class="error-text" role="alert" data-testid="signin-error">{error}</p>}
      </form>
    </main>
  );
}
