// Client-side routes on the History API. Navigation marks the page busy until the new route has rendered.
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { hold } from './ready.js';

const listeners = new Set();
let pendingRelease = [];

function currentLocation() {
  return { path: window.location.pathname, search: window.location.search };
}

export function navigate(path, { replace = false, search } = {}) {
  const query = search === undefined ? window.location.search : (search ? `?${search.replace(/^\?/, '')}` : '');
  const url = `${path}${query}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  pendingRelease.push(hold('navigate'));
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  listeners.forEach((fn) => fn(currentLocation()));
}

/** The current location; re-renders on navigate() and on back/forward. */
export function useLocation() {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const onPop = () => {
      pendingRelease.push(hold('popstate'));
      setLocation(currentLocation());
    };
    listeners.add(setLocation);
    window.addEventListener('popstate', onPop);
    return () => {
      listeners.delete(setLocation);
      window.removeEventListener('popstate', onPop);
    };
  }, []);
  // the route's own loads registered their holds in this commit: the navigation hold can go
  useLayoutEffect(() => {
    const releases = pendingRelease;
    pendingRelease = [];
    releases.forEach((release) => release());
  }, [location.path, location.search]);
  return location;
}

/** An <a> that navigates without a page load (plain links still work with modifier keys). */
export function Link({ href, children, ...rest }) {
  const onClick = (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
      || event.altKey) return;
    event.preventDefault();
    const [path, search = ''] = href.split('?');
    navigate(path, { search });
  };
  return <a href={href} onClick={onClick} {...rest}>{children}</a>;
}
