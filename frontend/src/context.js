import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** { api, session, store, range (state), location } of the signed-in page. */
export const PageContext = createContext(null);
export const usePage = () => useContext(PageContext);
