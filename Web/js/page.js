// What every page shares: its strings and direction, the language picker, the sign-in
// (portal token or demo form), the connection status and the link to the broker.

import { loadLocale, languages, currentLocale, t, applyStrings } from './i18n.js';
import { currentToken, claims, demoAvailable, demoSignIn, signOut } from './auth.js';
import { BrokerLink } from './link.js';
import { element } from './chat.js';

const localeKey = 'jembatan.locale';

/**
 * Loads the strings, signs the person in (waiting for the demo form if needed) and connects.
 * `roles`: the roles this page is for (the demo form offers these). `onLocale` runs after a
 * language change, to redraw what the page built itself.
 */
export async function boot({ roles, onLocale }) {
  const stored = localStorage.getItem(localeKey);
  await loadLocale(stored || navigator.language || 'en');
  const header = setUpHeader(onLocale);
  let token = currentToken();
  if (!token) token = await signIn(roles);
  const me = claims(token);
  if (!localStorage.getItem(localeKey) && me.locale) {
    await loadLocale(me.locale);
    header.fill();
  }
  const link = new BrokerLink({ token, locale: currentLocale(), owner: me.sub ?? 'anonymous' });
  header.attach(link);
  link.connect();
  // For the browser test and for support staff reproducing a flaky line from the console.
  window.jembatan = { link };
  return { link, me };
}

/** The language picker (usable before signing in) and, once connected, the status line. */
function setUpHeader(onLocale) {
  let link = null;
  const picker = document.getElementById('locale');
  const fill = () => {
    picker.replaceChildren(...languages().map((l) => element('option', { value: l.tag, lang: l.tag }, l.name)));
    picker.value = currentLocale();
  };
  fill();
  picker.addEventListener('change', async () => {
    localStorage.setItem(localeKey, picker.value);
    await loadLocale(picker.value);
    fill();
    if (link) {
      link.setLocale(currentLocale());
      showState(link.state);
    }
    onLocale?.();
  });
  const showState = (state) => {
    const el = document.getElementById('link-state');
    const key = { online: 'ui.connection.online', offline: 'ui.connection.offline', unauthorized: 'error.unauthorized' }[state]
      ?? 'ui.connection.reconnecting';
    el.textContent = t(key);
    el.dataset.state = state;
  };
  const attach = (connected) => {
    link = connected;
    const signout = document.getElementById('signout');
    signout.hidden = false;
    signout.addEventListener('click', () => {
      link.stop();
      signOut();
    });
    link.addEventListener('state', (e) => {
      showState(e.detail.state);
      if (e.detail.state === 'unauthorized') signOut();
    });
    showState(link.state);
  };
  return { fill, attach };
}

/** The sign-in section: the portal's instructions, or the demo form. Resolves with a token. */
async function signIn(roles) {
  const section = document.getElementById('login');
  section.hidden = false;
  const demo = await demoAvailable();
  if (!demo) {
    section.replaceChildren(element('h2', { 'data-i18n': 'ui.login.title' }), element('p', { 'data-i18n': 'ui.login.portal' }));
    applyStrings(section);
    return new Promise(() => {});
  }
  const roleSelect = element('select', { id: 'login-role', name: 'role' },
    ...roles.map((role) => element('option', { value: role, 'data-i18n': `role.${role}` })));
  const name = element('input', { id: 'login-name', name: 'name', required: true, maxlength: '80', autocomplete: 'name' });
  const langs = element('fieldset', { class: 'langs' }, element('legend', { 'data-i18n': 'ui.login.langs' }),
    ...languages().map((l) => element('label', {}, element('input', {
      type: 'checkbox', name: 'langs', value: l.tag, checked: l.tag === currentLocale(),
    }), ' ', element('span', { lang: l.tag }, l.name))));
  const error = element('p', { class: 'error', role: 'alert' });
  const form = element('form', { id: 'login-form' },
    element('h2', { 'data-i18n': 'ui.login.title' }), element('p', { 'data-i18n': 'ui.login.demo' }),
    element('label', { for: 'login-role', 'data-i18n': 'ui.login.role' }), roleSelect,
    element('label', { for: 'login-name', 'data-i18n': 'ui.login.name' }), name, langs, error,
    element('button', { type: 'submit', class: 'primary', 'data-i18n': 'ui.login.submit' }));
  section.replaceChildren(form);
  applyStrings(section);
  name.focus();
  return new Promise((resolve) => {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const chosen = [...form.querySelectorAll('input[name=langs]:checked')].map((i) => i.value);
      try {
        const token = await demoSignIn({ role: roleSelect.value, name: name.value, langs: chosen.length ? chosen : [currentLocale()], locale: currentLocale() });
        section.hidden = true;
        resolve(token);
      } catch {
        error.textContent = t('ui.login.failed');
      }
    });
  });
}

/** Shows the broker's localised error text in the page's alert region. */
export function showError(frame) {
  announce(frame.message || t(`error.${frame.code}`) || t('error.internal'), 'error');
}

/** Confirms something the person asked for (not an error) in the same region. */
export function showNotice(text) {
  announce(text, 'notice');
}

let announceTimer;

function announce(text, kind) {
  const alert = document.getElementById('alert');
  if (!alert) return;
  alert.dataset.kind = kind;
  alert.textContent = text;
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => { alert.textContent = ''; }, 8000);
}
