// Who is using the page. A deployment's portal hands the page a token in the URL fragment
// (`/#token=<jwt>`: fragments never reach a server log or a Referer); the page keeps it in
// sessionStorage for this tab and removes it from the address bar. With `serve --demo`, a
// form gets a token from the broker instead.

const storageKey = 'jembatan.token';

/** The token from the fragment or this tab's storage, or null. */
export function currentToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromFragment = fragment.get('token');
  if (fromFragment) {
    sessionStorage.setItem(storageKey, fromFragment);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(storageKey);
}

export function signOut() {
  sessionStorage.removeItem(storageKey);
  location.reload();
}

/** The token's claims, read without checking the signature (the broker checks it). */
export function claims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

/** Whether the broker offers the demo login. */
export async function demoAvailable() {
  try {
    return (await fetch('/api/demo')).ok;
  } catch {
    return false;
  }
}

/** Asks the broker (demo mode only) for a token and keeps it for this tab. */
export async function demoSignIn({ role, name, langs, locale }) {
  const response = await fetch('/api/demo/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, name, langs, locale }),
  });
  if (!response.ok) throw new Error(`demo login ${response.status}`);
  const { token } = await response.json();
  sessionStorage.setItem(storageKey, token);
  return token;
}
