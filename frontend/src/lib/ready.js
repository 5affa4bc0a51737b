// documentElement.dataset.ready: "true" once nothing on the current view is loading or drawing. Loads and
// charts hold a token while busy; the flag turns true a task after the last token is released, so a render
// that is about to register new tokens (same commit) never lets it flicker to true.
const pending = new Set();
let timer = null;

function setReady(value) {
  if (typeof document !== 'undefined') document.documentElement.dataset.ready = value;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (pending.size === 0) setReady('true');
  }, 0);
}

/** Marks the page busy until the returned function is called (idempotent). */
export function hold(label = '') {
  const token = { label };
  pending.add(token);
  clearTimeout(timer);
  setReady('false');
  return () => {
    if (pending.delete(token) && pending.size === 0) schedule();
  };
}

export function pendingCount() {
  return pending.size;
}
