// The supervisor page: queues per service and language, refreshed every few seconds over the
// WebSocket, and today's figures from GET /api/stats (both supervisors only).

import { t, languageName, formatNumber, applyStrings, officeTimeZone } from './i18n.js';
import { boot, showError } from './page.js';
import { element } from './chat.js';

const $ = (id) => document.getElementById(id);
let lastQueues = null;
let lastFigures = null;

const { link } = await boot({ roles: ['supervisor'], onLocale: redraw });

function redraw() {
  applyStrings(document);
  if (lastQueues) drawQueues(lastQueues);
  if (lastFigures) drawFigures(lastFigures);
}

function drawQueues(frame) {
  lastQueues = frame;
  $('queues').tBodies[0].replaceChildren(...(frame.queues ?? []).map((row) => element('tr', { class: row.waiting ? 'busy' : '' },
    element('th', { scope: 'row' }, t(`service.${row.service}`)),
    element('td', { lang: row.language }, languageName(row.language)),
    element('td', {}, t('ui.supervisor.waiting', { count: row.waiting }),
      row.waiting ? element('br') : null,
      row.waiting ? t('ui.supervisor.oldest_wait', { minutes: Math.floor(row.oldest_wait_s / 60) }) : null),
    element('td', {}, `${formatNumber(row.staff_available)} / ${formatNumber(row.staff_online)}`))));
  $('queues-updated').textContent = t('ui.supervisor.updated', { when: frame.at });
}

function drawFigures(report) {
  lastFigures = report;
  const totals = { tickets: 0, sessions: 0, abandoned: 0 };
  let wait = null;
  let rating = null;
  for (const row of report.rows ?? []) {
    for (const key of Object.keys(totals)) totals[key] += row[key] ?? 0;
    wait = row.wait_median_s ?? wait;
    rating = row.rating_avg ?? rating;
  }
  const item = (label, value) => [element('dt', {}, t(label)), element('dd', {}, value)];
  $('figures').replaceChildren(
    ...item('ui.supervisor.tickets', formatNumber(totals.tickets)),
    ...item('ui.supervisor.sessions', formatNumber(totals.sessions)),
    ...item('ui.supervisor.abandoned', formatNumber(totals.abandoned)),
    ...item('ui.supervisor.wait_median', wait === null ? t('ui.supervisor.no_data') : t('ui.minutes', { n: Math.round(wait / 60) })),
    ...item('ui.supervisor.rating_avg', rating === null ? t('ui.supervisor.no_data') : formatNumber(Math.round(rating * 10) / 10)));
}

async function refreshQueues() {
  if (link.state !== 'online') return;
  try {
    drawQueues(await link.request({ type: 'queues' }));
  } catch (error) {
    if (error.code !== 'unavailable') showError(error);
  }
}

async function refreshFigures() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: officeTimeZone() }).format(new Date());
  const response = await fetch(`/api/stats?from=${today}&to=${today}&format=json`, { headers: { Authorization: `Bearer ${link.token}` } });
  if (response.ok) drawFigures(await response.json());
  else showError(await response.json());
}

link.addEventListener('welcome', () => { refreshQueues(); refreshFigures(); });
setInterval(refreshQueues, 3000);
setInterval(() => refreshFigures().catch(() => {}), 60000);
