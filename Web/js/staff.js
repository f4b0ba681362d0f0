// The staff console (officers, counsellors) and the interpreter view: availability, the
// sessions as tabs or side by side with unread counts, and per session the applicant's
// language, an interpreter request, transfer and close — or, for interpreters, a translation
// linked to the message chosen.

import { t, languageName, applyStrings } from './i18n.js';
import { boot, showError, showNotice } from './page.js';
import { SessionView, element, personName } from './chat.js';

// /staff and /interpreter are the same page; the path says which.
const mode = location.pathname.startsWith('/interpreter') ? 'interpreter' : 'staff';
if (mode === 'interpreter') {
  document.body.dataset.mode = mode;
  document.querySelector('meta[name="jembatan-title"]').content = 'ui.interpreter.title';
  document.querySelector('header.top h1').dataset.i18n = 'ui.interpreter.title';
}
const $ = (id) => document.getElementById(id);
const panes = new Map();
let selected = null;
let layout = sessionStorage.getItem('jembatan.layout') ?? 'tabs';
let availability = sessionStorage.getItem('jembatan.availability') ?? 'away';
let templates = [];

const roles = mode === 'interpreter' ? ['interpreter'] : ['counsellor', 'officer'];
const { link, me } = await boot({ roles, onLocale: redraw });
const self = { ...me, id: me.sub };
$('toolbar').hidden = false;

function redraw() {
  applyStrings(document);
  for (const pane of panes.values()) pane.tab.replaceChildren(...tabContent(pane));
  countSessions();
}

function setAvailability(value) {
  availability = value;
  sessionStorage.setItem('jembatan.availability', value);
  $('available').setAttribute('aria-pressed', String(value === 'available'));
  $('away').setAttribute('aria-pressed', String(value === 'away'));
  link.request({ type: 'status', availability: value }).catch(showError);
}

function setLayout(value) {
  layout = value;
  sessionStorage.setItem('jembatan.layout', value);
  $('layout-tabs').setAttribute('aria-pressed', String(value === 'tabs'));
  $('layout-side').setAttribute('aria-pressed', String(value === 'side'));
  $('panes').className = `panes ${value}`;
  showPanes();
}

function applicantOf(session) {
  return (session.participants ?? []).find((p) => p.role === 'applicant') ?? { name: session.id };
}

function tabContent(pane) {
  const session = pane.view.session;
  const badge = element('span', { class: 'unread', hidden: pane.unread === 0, 'aria-label': t('ui.unread', { count: pane.unread }) },
    String(pane.unread));
  return [personName(applicantOf(session)), ' ',
    element('span', { class: 'badge', lang: session.language }, languageName(session.language)), ' ', badge,
    pane.view.closed ? element('span', { class: 'muted' }, ` · ${t('ui.staff.closed')}`) : ''];
}

function addPane(summary) {
  if (panes.has(summary.id)) return panes.get(summary.id);
  const pane = { unread: 0 };
  pane.view = new SessionView({ link, session: summary, me: self, mode: mode === 'interpreter' ? 'interpreter' : 'staff', onActivity: () => noteActivity(pane) });
  const tabID = `tab-${summary.id}`;
  const paneID = `pane-${summary.id}`;
  pane.tab = element('button', {
    type: 'button', role: 'tab', id: tabID, 'aria-controls': paneID, 'aria-selected': 'false', tabindex: '-1',
    onclick: () => select(summary.id), onkeydown: tabKeys,
  });
  pane.el = element('article', { class: 'pane', id: paneID, role: 'tabpanel', 'aria-labelledby': tabID },
    paneHeader(pane), pane.view.el);
  if (mode === 'staff') pane.el.append(templateForm(pane));
  panes.set(summary.id, pane);
  $('tabs').append(pane.tab);
  $('panes').append(pane.el);
  pane.tab.replaceChildren(...tabContent(pane));
  countSessions();
  if (!selected) select(summary.id);
  else showPanes();
  loadHistory(pane);
  return pane;
}

function paneHeader(pane) {
  const session = pane.view.session;
  const applicant = applicantOf(session);
  const facts = element('p', { class: 'facts' },
    element('span', {}, `${t('ui.staff.language')}: `), element('span', { lang: session.language }, languageName(session.language)),
    ` · ${t('ui.staff.service')}: ${t(`service.${session.service}`)}`);
  const header = element('header', { class: 'pane-head' }, element('h2', {}, personName(applicant)), facts);
  if (mode === 'interpreter') {
    header.append(element('button', { type: 'button', class: 'quiet', onclick: () => link.request({ type: 'leave', session: session.id }).catch(showError) },
      t('ui.session.leave')));
    return header;
  }
  const others = (self.langs ?? []).filter((l) => l !== session.language);
  const pair = element('select', { 'aria-label': t('ui.staff.interpreter_languages') },
    ...(others.length ? others : ['en']).map((l) => element('option', { value: l }, `${languageName(session.language)} ↔ ${languageName(l)}`)));
  const team = element('select', { 'aria-label': t('ui.staff.transfer.team') },
    ...['officer', 'counsellor'].map((role) => element('option', { value: role }, t(`role.${role}`))));
  const reason = element('select', { 'aria-label': t('ui.staff.close.reason') },
    ...['resolved', 'abandoned', 'other'].map((r) => element('option', { value: r }, t(`close.${r}`))));
  const act = (frame, done) => () => link.request(frame()).then(done).catch(showError);
  header.append(element('div', { class: 'actions' },
    element('span', { class: 'action' }, pair, element('button', { type: 'button', onclick: act(
      () => ({ type: 'interpreter.request', session: session.id, languages: [session.language, pair.value] }),
      () => showNotice(t('ui.staff.interpreter_requested'))) }, t('ui.staff.request_interpreter'))),
    element('span', { class: 'action' }, team, element('button', { type: 'button', onclick: act(
      () => ({ type: 'transfer', session: session.id, to: { role: team.value, language: session.language } }), () => {}) },
      t('ui.staff.transfer'))),
    element('span', { class: 'action' }, reason, element('button', { type: 'button', class: 'danger', onclick: act(
      () => ({ type: 'close', session: session.id, reason: reason.value }), () => {}) }, t('ui.staff.close')))));
  return header;
}

// Reply templates: chosen by title, arguments typed in, stored as key + arguments so every
// reader sees the text in their own language.
const inputTypes = { date: 'date', datetime: 'datetime-local', number: 'number', money: 'number' };

function templateForm(pane) {
  const select = element('select', { 'aria-label': t('ui.staff.template') });
  const fields = element('div', { class: 'template-args' });
  const chosen = () => templates.find((tp) => tp.key === select.value);
  const fill = () => select.replaceChildren(element('option', { value: '' }, t('ui.staff.template.none')),
    ...templates.map((tp) => element('option', { value: tp.key }, tp.title)));
  select.addEventListener('change', () => {
    const template = chosen();
    fields.replaceChildren(...(template?.args ?? []).map((name) => element('label', {}, `${name} `,
      element('input', { name, required: true, min: '0', step: 'any', type: inputTypes[template.arg_types?.[name]] ?? 'text' }))));
  });
  const form = element('form', { class: 'template', onsubmit: (event) => {
    event.preventDefault();
    const template = chosen();
    if (!template || pane.view.closed) return;
    const args = {};
    for (const input of fields.querySelectorAll('input')) args[input.name] = input.type === 'number' ? Number(input.value) : input.value;
    pane.view.showPending(link.sendMessage(pane.view.id, { template: template.key, args, preview: template.title }));
    select.value = '';
    fields.replaceChildren();
  } }, select, fields, element('button', { type: 'submit' }, t('ui.staff.template.send')));
  pane.fillTemplates = fill;
  fill();
  return element('details', { class: 'templates' }, element('summary', {}, t('ui.staff.template')), form);
}

async function loadTemplates() {
  if (mode !== 'staff') return;
  try {
    templates = (await link.request({ type: 'templates' })).templates ?? [];
    for (const pane of panes.values()) pane.fillTemplates?.();
  } catch {
    // Offline: tried again after the next welcome.
  }
}

async function loadHistory(pane) {
  await pane.view.loadHistory();
  markRead(pane);
}

function visible(pane) {
  return !document.hidden && (layout === 'side' || selected === pane.view.id);
}

function noteActivity(pane) {
  if (visible(pane)) return markRead(pane);
  pane.unread += 1;
  pane.tab.replaceChildren(...tabContent(pane));
}

function markRead(pane) {
  if (!visible(pane)) return;
  const seq = pane.view.lastSeq();
  if (seq > 0) link.send({ type: 'read', session: pane.view.id, seq });
  if (pane.unread) {
    pane.unread = 0;
    pane.tab.replaceChildren(...tabContent(pane));
  }
}

function select(id) {
  selected = id;
  showPanes();
}

function showPanes() {
  for (const [id, pane] of panes) {
    const chosen = id === selected;
    pane.tab.setAttribute('aria-selected', String(chosen));
    pane.tab.tabIndex = chosen ? 0 : -1;
    pane.el.hidden = layout === 'tabs' && !chosen;
    if (!pane.el.hidden) markRead(pane);
  }
  $('empty').hidden = panes.size > 0;
}

function tabKeys(event) {
  const tabs = [...$('tabs').querySelectorAll('[role=tab]')];
  const index = tabs.indexOf(event.currentTarget);
  const moves = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
  let next = null;
  if (event.key in moves) next = tabs[(index + moves[event.key] + tabs.length) % tabs.length];
  if (event.key === 'Home') next = tabs[0];
  if (event.key === 'End') next = tabs[tabs.length - 1];
  if (!next) return;
  event.preventDefault();
  next.focus();
  next.click();
}

function countSessions() {
  const active = [...panes.values()].filter((p) => !p.view.closed).length;
  $('session-count').textContent = t('ui.staff.active_sessions', { count: active });
}

link.addEventListener('welcome', async (event) => {
  for (const summary of event.detail.sessions ?? []) if (summary.state === 'active') addPane(summary);
  if (availability === 'available') setAvailability('available');
  loadTemplates();
  try {
    const list = await link.request({ type: 'sessions' });
    for (const row of list.sessions ?? []) {
      const pane = panes.get(row.id) ?? addPane(row);
      if (!visible(pane) && row.unread > pane.unread) {
        pane.unread = row.unread;
        pane.tab.replaceChildren(...tabContent(pane));
      }
    }
  } catch {
    // Interpreters and older brokers: the welcome's list is enough.
  }
  showPanes();
});

link.addEventListener('frame', (event) => {
  const frame = event.detail;
  const pane = frame.session && panes.get(typeof frame.session === 'string' ? frame.session : frame.session.id);
  switch (frame.type) {
    case 'session.started':
      addPane(frame.session);
      return;
    case 'message':
      return pane?.view.add(frame);
    case 'typing':
      return pane?.view.typing(frame);
    case 'participant.joined':
      if (frame.participant?.id === self.id) return;
      return pane?.view.joined(frame.participant);
    case 'participant.left':
      return pane?.view.left(frame.participant);
    case 'session.closed':
    case 'left':
    case 'transferred':
      if (!pane) return;
      pane.view.setClosed();
      pane.tab.replaceChildren(...tabContent(pane));
      countSessions();
      return;
    case 'error':
      if (!frame.re) showError(frame);
  }
});

link.addEventListener('send-failed', (event) => {
  panes.get(event.detail.entry.session)?.view.failed(event.detail.entry);
  showError(event.detail.error);
});

document.addEventListener('visibilitychange', () => { for (const pane of panes.values()) markRead(pane); });
$('available').addEventListener('click', () => setAvailability('available'));
$('away').addEventListener('click', () => setAvailability('away'));
$('layout-tabs').addEventListener('click', () => setLayout('tabs'));
$('layout-side').addEventListener('click', () => setLayout('side'));
setLayout(layout);
