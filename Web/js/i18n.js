// The pages' strings come from the broker's Locales/ files (GET /locales/<tag>.json) and are
// formatted here with the CLDR plural rules the browser ships — the same rules ICU applies to
// the broker's own texts. Only the ICU MessageFormat subset the files use is understood:
// {name}, {n, number}, {d, date|time, style}, plural/selectordinal (with offset and =N) and select.

const state = { locale: 'en', dir: 'ltr', strings: {}, languages: [], timeZone: 'UTC', digits: '0123456789' };
const parsed = new Map();

/** Loads the strings of the locale the broker negotiates for `tag` and applies them to the page. */
export async function loadLocale(tag) {
  const response = await fetch(`/locales/${encodeURIComponent(tag || 'en')}.json`);
  if (!response.ok) throw new Error(`locale ${response.status}`);
  const data = await response.json();
  Object.assign(state, {
    locale: data.locale, dir: data.dir, strings: data.strings, languages: data.languages,
    timeZone: data.time_zone, digits: data.digits,
  });
  parsed.clear();
  document.documentElement.lang = state.locale;
  document.documentElement.dir = state.dir;
  applyStrings(document);
  return state.locale;
}

export const currentLocale = () => state.locale;
export const officeTimeZone = () => state.timeZone;
export const languages = () => state.languages;
export const languageName = (tag) => state.languages.find((l) => l.tag === tag)?.name ?? tag;

// Formatted with Latin digits, then written with the broker's digits for the locale.
function intlLocale() {
  return `${state.locale}-u-nu-latn`;
}

function digits(text) {
  return text.replace(/[0-9]/g, (d) => state.digits[Number(d)]);
}

/** The string `key` formatted with `args`; text arguments are isolated (U+2068…U+2069). */
export function t(key, args = {}) {
  const pattern = state.strings[key];
  if (pattern === undefined) return '';
  if (!parsed.has(key)) parsed.set(key, parse(pattern));
  try {
    return render(parsed.get(key), args, undefined);
  } catch {
    return '';
  }
}

/** Numbers, dates and times as the rest of the page writes them. */
export const formatNumber = (n) => digits(new Intl.NumberFormat(intlLocale()).format(n));
export const formatTime = (iso, style = 'short') =>
  digits(new Intl.DateTimeFormat(intlLocale(), { timeStyle: style, timeZone: state.timeZone }).format(new Date(iso)));

/** Fills every [data-i18n] element's text and [data-i18n-placeholder|-label] attributes. */
export function applyStrings(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  const title = document.querySelector('meta[name="jembatan-title"]')?.content;
  if (title) document.title = `${t(title)} — Jembatan`;
}

function render(parts, args, hash) {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if (part.hash) out += formatNumber(hash);
    else if (!part.type) out += isolate(args[part.name]);
    else if (part.type === 'number') out += formatNumber(Number(args[part.name]));
    else if (part.type === 'date' || part.type === 'time') out += dateTime(args[part.name], part.type, part.style);
    else if (part.type === 'select') out += render(part.options[args[part.name]] ?? part.options.other ?? [], args, hash);
    else {
      const n = Number(args[part.name]);
      const rules = new Intl.PluralRules(state.locale, { type: part.type === 'plural' ? 'cardinal' : 'ordinal' });
      const chosen = part.options[`=${n}`] ?? part.options[rules.select(n - part.offset)] ?? part.options.other ?? [];
      out += render(chosen, args, n - part.offset);
    }
  }
  return out;
}

function isolate(value) {
  if (value === undefined || value === null) return '';
  return typeof value === 'number' ? formatNumber(value) : `\u2068${value}\u2069`;
}

function dateTime(value, type, style) {
  const styles = ['short', 'medium', 'long', 'full'];
  const option = styles.includes(style) ? style : 'medium';
  const options = type === 'date' ? { dateStyle: option } : { timeStyle: option };
  return digits(new Intl.DateTimeFormat(intlLocale(), { ...options, timeZone: state.timeZone }).format(new Date(value)));
}

function parse(source) {
  let i = 0;
  const skipSpace = () => { while (i < source.length && /\s/.test(source[i])) i++; };
  const word = () => {
    skipSpace();
    const match = /^[^\s,{}]+/.exec(source.slice(i));
    i += match ? match[0].length : 0;
    skipSpace();
    return match ? match[0] : '';
  };
  const message = (inPlural) => {
    const parts = [];
    let text = '';
    const flush = () => { if (text) parts.push(text); text = ''; };
    while (i < source.length) {
      const c = source[i];
      if (c === "'" && source[i + 1] === "'") { text += "'"; i += 2; continue; }
      if (c === "'" && (source[i + 1] === '{' || source[i + 1] === '}' || (inPlural && source[i + 1] === '#'))) {
        const end = source.indexOf("'", i + 1);
        const stop = end < 0 ? source.length : end;
        text += source.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      if (c === '}') break;
      if (c === '{') { flush(); i++; parts.push(argument(inPlural)); continue; }
      if (c === '#' && inPlural) { flush(); parts.push({ hash: true }); i++; continue; }
      text += c;
      i++;
    }
    flush();
    return parts;
  };
  const argument = (inPlural) => {
    const name = word();
    if (source[i] === '}') { i++; return { name }; }
    i++;
    const type = word();
    if (source[i] === '}') { i++; return { name, type }; }
    i++;
    if (type === 'plural' || type === 'selectordinal' || type === 'select') {
      const options = {};
      let offset = 0;
      for (;;) {
        const key = word();
        if (!key || source[i] === '}') { i++; break; }
        if (key.startsWith('offset:')) { offset = Number(key.slice(7)); continue; }
        i++;
        options[key] = message(type === 'select' ? inPlural : true);
        i++;
        skipSpace();
        if (source[i] === '}') { i++; break; }
      }
      return { name, type, offset, options };
    }
    const style = word();
    i++;
    return { name, type, style };
  };
  return message(false);
}
