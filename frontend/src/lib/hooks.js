import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { hold } from './ready.js';

const LOADING = { loading: true, data: null, error: null };

/**
 * Runs `loader(signal)` whenever `deps` change; an older request is aborted so its answer can never
 * overwrite a newer one. Holds the page's ready flag until the loaded state has been rendered.
 */
export function useApi(loader, deps) {
  const [state, setState] = useState(LOADING);
  const [nonce, setNonce] = useState(0);
  const releaseRef = useRef(null);

  useLayoutEffect(() => {
    const controller = new AbortController();
    const release = hold('load');
    if (releaseRef.current) releaseRef.current();
    releaseRef.current = release;
    setState(LOADING);
    Promise.resolve()
      .then(() => loader(controller.signal))
      .then(
        (data) => { if (!controller.signal.aborted) setState({ loading: false, data, error: null }); },
        (error) => {
          if (controller.signal.aborted || error?.name === 'AbortError') return;
          setState({ loading: false, data: null, error });
        },
      );
    return () => controller.abort();
  }, [...deps, nonce]);

  useLayoutEffect(() => {
    if (!state.loading && releaseRef.current) {
      const release = releaseRef.current;
      releaseRef.current = null;
      release();
    }
  }, [state]);

  useEffect(() => () => { if (releaseRef.current) releaseRef.current(); }, []);

  return [state, setState, () => setNonce((n) => n + 1)];
}
