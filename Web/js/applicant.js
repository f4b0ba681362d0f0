// The applicant's page: choose a language and a service, wait with the position in words,
// chat (interpreters join as a third party), rate the session and download the transcript.

import { t, currentLocale, languages, applyStrings, formatTime } from './i18n.js';
import { boot, showError } from './page.js';
import { SessionView, element } from './chat.js';

const services = ['general', 'visa', 'stay_permit', 'registration', 'counselling', 'complaint'];
const $ = (id) => document.getElementById(id);
let view = null;
let ticket = null;
let closedFrame = null;

const { link, me } = await boot({ roles: ['applicant'], onLocale: redraw });

function show(section) {
  for (const id of ['request', 'queue', 'closed']) $(id).hidden = id !== section;
  $('chat').hidden = section !== 'chat' && section !== 'closed';
}

function drawRequestForm() {
  $('services').replaceChildren(...services.map((service, index) => element('label', { class: 'choice' },
    element('input', { type: 'radio', name: 'service', value: service, required: true, checked: index === 0 }), ' ',
    element('span', {}, t(`service.${service}`)))));
  const select = $('request-language');
  const chosen = select.value || currentLocale();
  select.replaceChildren(...languages().map((l) => element('option', { value: l.tag, lang: l.tag }, l.name)));
  select.value = chosen;
  $('rating-options').replaceChildren(...[1, 2, 3, 4, 5].map((n) => element('label', { class: 'choice' },
    element('input', { type: 'radio', name: 'rating', value: String(n), required: true }), ' ', element('span', {}, t(`ui.rating.${n}`)))));
}

function redraw() {
  drawRequestForm();
  applyStrings(document);
  // The broker re-sends the ticket's text in the new language with the next welcome.
}

// Notifications from the application system (status changes, reminders): shown once each,
// newest first, and marked seen so the broker stops keeping them for the next visit.
const notified = new Set();

function showNotifications(list) {
  const fresh = list.filter((n) => !notified.has(n.id));
  if (!fresh.length) return;
  for (const notification of fresh) {
    notified.add(notification.id);
    $('notification-list').prepend(element('li', { 'data-notification': notification.id },
      element('time', { datetime: notification.ts }, formatTime(notification.ts)), ' ',
      element('span', { dir: 'auto' }, notification.text ?? '')));
  }
  $('notifications').hidden = false;
  link.send({ type: 'notification.seen', ids: fresh.map((n) => n.id) });
}

function showQueue(frame) {
  ticket = frame.ticket;
  $('queue-text').textContent = frame.text ?? '';
  show('queue');
}

async function openSession(summary) {
  if (view?.id === summary.id) return;
  ticket = null;
  view = new SessionView({ link, session: summary, me: { ...me, id: me.sub }, mode: 'applicant' });
  const leave = element('button', { type: 'button', class: 'quiet', onclick: () => link.send({ type: 'leave', session: summary.id }) }, t('ui.session.leave'));
  const header = element('header', { class: 'session-head' }, element('h2', {}, t(`service.${summary.service}`)), leave);
  $('chat').replaceChildren(header, view.el);
  show(summary.state === 'closed' ? 'closed' : 'chat');
  await view.loadHistory();
  view.input.focus();
}

function showClosed(frame) {
  closedFrame = frame;
  view?.setClosed();
  $('closed-text').textContent = frame.text ?? t('ui.session.ended');
  $('rating').hidden = !frame.feedback_until;
  show('closed');
}

link.addEventListener('welcome', async (event) => {
  const welcome = event.detail;
  showNotifications(welcome.notifications ?? []);
  const active = (welcome.sessions ?? []).filter((s) => s.state === 'active');
  if (active.length) return openSession(active[active.length - 1]);
  // Closed while this page was offline: the resume brought the closing message, not the event.
  if (view && !view.closed) return showClosed({ text: t('ui.session.ended'), feedback_until: true });
  const waiting = welcome.tickets ?? [];
  if (waiting.length) return showQueue(waiting[0]);
  if (!closedFrame) show('request');
});

link.addEventListener('frame', (event) => {
  const frame = event.detail;
  const mine = view && frame.session === view.id;
  switch (frame.type) {
    case 'notification':
      return showNotifications([frame]);
    case 'queued':
    case 'queue.update':
      return showQueue(frame);
    case 'cancelled':
      ticket = null;
      return show('request');
    case 'session.started':
      return openSession(frame.session);
    case 'message':
      return mine && view.add(frame);
    case 'typing':
      return mine && view.typing(frame);
    case 'participant.joined':
      return mine && view.joined(frame.participant);
    case 'participant.left':
      return mine && view.left(frame.participant);
    case 'session.closed':
      return mine && showClosed(frame);
    case 'error':
      if (!frame.re) showError(frame);
  }
});

link.addEventListener('send-failed', (event) => {
  view?.failed(event.detail.entry);
  showError(event.detail.error);
});

$('request').addEventListener('submit', async (event) => {
  event.preventDefault();
  const service = document.querySelector('input[name=service]:checked')?.value;
  const note = $('request-note').value.trim();
  const request = { type: 'request', service, language: $('request-language').value };
  if (note) request.note = note;
  try {
    showQueue(await link.request(request));
    $('request-note').value = '';
  } catch (error) {
    showError(error);
  }
});

$('queue-leave').addEventListener('click', () => {
  if (ticket) link.request({ type: 'cancel', ticket }).catch(showError);
});

$('rating').addEventListener('submit', async (event) => {
  event.preventDefault();
  const rating = Number(document.querySelector('input[name=rating]:checked')?.value);
  const comment = $('rating-comment').value.trim();
  try {
    const reply = await link.request({ type: 'feedback', session: view.id, rating, ...(comment ? { comment } : {}) });
    $('rating').hidden = true;
    $('rating-thanks').textContent = reply.text || t('ui.rating.thanks');
  } catch (error) {
    showError(error);
  }
});

$('transcript').addEventListener('click', async () => {
  const response = await fetch(`/api/sessions/${encodeURIComponent(view.id)}/transcript?format=html&locale=${currentLocale()}`, {
    headers: { Authorization: `Bearer ${link.token}` },
  });
  if (!response.ok) return showError({ code: 'unavailable' });
  const url = URL.createObjectURL(await response.blob());
  const anchor = element('a', { href: url, download: `jembatan-${view.id}.html` });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
});

$('again').addEventListener('click', () => {
  closedFrame = null;
  view = null;
  $('chat').replaceChildren();
  $('rating-thanks').textContent = '';
  show('request');
});

drawRequestForm();
