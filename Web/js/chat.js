// One conversation on screen: participants, the message log in seq order (each message once,
// however often it arrives: live, in history, after a resume), unsent messages from the
// outbox, the typing indicator and the composer. Every bubble is dir="auto" with the
// message's lang, so Arabic lays out right to left inside an English page and vice versa.

import { t, formatTime, languageName } from './i18n.js';

export function element(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined) el.append(child);
  return el;
}

/** A person's name isolated for bidi, with its Latin transliteration when it has one. */
export function personName(person) {
  const name = element('bdi', {}, person?.name ?? '');
  if (!person?.name_latn) return name;
  return element('span', { class: 'person' }, name, ' ', element('span', { class: 'latin', lang: 'en' }, `(${person.name_latn})`));
}

export class SessionView {
  constructor({ link, session, me, mode, onActivity }) {
    this.link = link;
    this.session = session;
    this.me = me;
    this.mode = mode;
    this.onActivity = onActivity ?? (() => {});
    this.bySeq = new Map();
    this.newestSeq = 0;
    this.pendingEls = new Map();
    this.typingTimers = new Map();
    this.translating = null;
    this.build();
    this.setParticipants(session.participants ?? []);
    for (const entry of link.unsent(session.id)) this.showPending(entry);
    if (session.state === 'closed') this.setClosed();
  }

  get id() {
    return this.session.id;
  }

  build() {
    const id = this.session.id;
    this.participantsEl = element('ul', { class: 'participants', 'aria-label': t('ui.session.participants') });
    this.log = element('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t('ui.message.messages'), tabindex: '0' });
    this.typingEl = element('p', { class: 'typing', 'aria-live': 'polite' });
    this.input = element('textarea', {
      id: `compose-${id}`, rows: '2', placeholder: t('ui.message.placeholder'), 'aria-label': t('ui.message.placeholder'),
      oninput: () => this.typed(), onkeydown: (e) => this.key(e),
    });
    this.translatingEl = element('p', { class: 'translating', hidden: true });
    this.targetLang = this.mode === 'interpreter' ? this.languageSelect() : null;
    // Staff may write a private note instead: stored in the transcript, never shown to applicants.
    this.noteBox = this.mode === 'staff' ? element('input', { type: 'checkbox', class: 'as-note', id: `note-${id}` }) : null;
    const noteLabel = this.noteBox
      ? element('label', { for: `note-${id}`, class: 'note-toggle' }, this.noteBox, ' ', t('ui.staff.notes'))
      : null;
    this.form = element('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.submit(); } },
      this.translatingEl, this.input, this.targetLang, noteLabel,
      element('button', { type: 'submit', class: 'primary' }, t('ui.message.send')));
    this.el = element('section', { class: 'session', 'data-session': id, 'aria-label': this.title() },
      this.participantsEl, this.log, this.typingEl, this.form);
  }

  title() {
    const applicant = (this.session.participants ?? []).find((p) => p.role === 'applicant');
    const service = t(`service.${this.session.service}`);
    return applicant && this.mode !== 'applicant' ? `${applicant.name} · ${service}` : service;
  }

  languageSelect() {
    const langs = [...new Set([this.session.language, ...(this.me.langs ?? [])])];
    const select = element('select', { 'aria-label': t('ui.interpreter.target'), class: 'target-lang' });
    for (const lang of langs) select.append(element('option', { value: lang }, languageName(lang)));
    return select;
  }

  setParticipants(list) {
    this.session.participants = list;
    this.participantsEl.replaceChildren(...list.map((p) =>
      element('li', { 'data-participant': p.id, 'data-role': p.role }, personName(p), ' ', element('span', { class: 'role' }, t(`role.${p.role}`)))));
  }

  joined(participant) {
    const others = (this.session.participants ?? []).filter((p) => p.id !== participant.id);
    this.setParticipants([...others, participant]);
  }

  left(participant) {
    this.setParticipants((this.session.participants ?? []).filter((p) => p.id !== participant.id));
  }

  /** A `message` frame (live, resumed or from history). Returns true when it was new. */
  add(message) {
    if (this.bySeq.has(message.seq)) return false;
    const pending = message.client_msg_id && this.pendingEls.get(message.client_msg_id);
    if (pending && message.from?.id === this.me.id) {
      pending.remove();
      this.pendingEls.delete(message.client_msg_id);
    }
    const li = this.bubble(message);
    // Usually the newest: straight before the unsent ones. Only an older one (history
    // arriving after live messages) needs the log searched for its place.
    const newest = message.seq > this.newestSeq;
    const after = newest ? null : [...this.bySeq.entries()].filter(([seq]) => seq > message.seq).sort((a, b) => a[0] - b[0])[0];
    this.bySeq.set(message.seq, li);
    this.newestSeq = Math.max(this.newestSeq, message.seq);
    this.log.insertBefore(li, after ? after[1] : this.pendingEls.values().next().value ?? null);
    if (message.from?.id && message.from.id !== this.me.id) this.stopTyping(message.from.id);
    this.scrollDown();
    if (message.from?.id !== this.me.id) this.onActivity(this, message);
    return true;
  }

  bubble(message) {
    const role = message.from?.role ?? 'system';
    const own = message.from?.id === this.me.id;
    const kind = role === 'system' ? 'system' : own ? 'own' : 'other';
    const classes = ['msg', kind, message.visibility === 'staff' ? 'note' : '', message.translation_of ? 'translation' : ''];
    const li = element('li', { class: classes.filter(Boolean).join(' '), 'data-seq': message.seq, id: `m-${this.id}-${message.seq}` });
    if (role !== 'system') {
      const who = own ? element('span', {}, t('ui.message.you')) : personName(message.from);
      li.append(element('p', { class: 'meta' }, who, ' · ', element('span', { class: 'role' }, t(`role.${role}`)), ' · ',
        element('time', { datetime: message.ts }, formatTime(message.ts))));
    }
    if (message.translation_of) {
      li.append(element('p', { class: 'ref' }, element('a', { href: `#m-${this.id}-${message.translation_of}` },
        t('ui.message.translation_of', { seq: message.translation_of }))));
    }
    li.append(element('p', { class: 'text', dir: 'auto', lang: message.lang || this.session.language }, message.text ?? ''));
    if (this.mode === 'interpreter' && role !== 'system' && !own && !message.translation_of) {
      li.append(element('button', { type: 'button', class: 'translate', onclick: () => this.translate(message) }, t('ui.interpreter.translate')));
    }
    return li;
  }

  showPending(entry) {
    const li = element('li', { class: `msg own pending${entry.type === 'note' ? ' note' : ''}`, 'data-client-msg-id': entry.client_msg_id },
      element('p', { class: 'meta' }, t('ui.message.pending')),
      element('p', { class: 'text', dir: 'auto', lang: entry.lang || this.session.language }, entry.text ?? entry.preview ?? ''));
    this.pendingEls.set(entry.client_msg_id, li);
    this.log.append(li);
    this.scrollDown();
  }

  failed(entry) {
    const li = this.pendingEls.get(entry.client_msg_id);
    if (!li) return;
    li.classList.add('failed');
    li.querySelector('.meta').textContent = t('ui.message.not_sent');
  }

  translate(message) {
    this.translating = message.seq;
    this.translatingEl.hidden = false;
    this.translatingEl.replaceChildren(t('ui.interpreter.translating', { seq: message.seq }), ' ',
      element('button', { type: 'button', class: 'link', onclick: () => this.cancelTranslate() }, t('ui.interpreter.cancel')));
    const other = [...this.targetLang.options].find((o) => o.value !== message.lang);
    if (other) this.targetLang.value = other.value;
    this.input.focus();
  }

  cancelTranslate() {
    this.translating = null;
    this.translatingEl.hidden = true;
    this.input.focus();
  }

  key(event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    }
  }

  submit() {
    const text = this.input.value.trim();
    if (!text || this.closed) return;
    const fields = { text };
    if (this.translating) {
      fields.translation_of = this.translating;
      fields.lang = this.targetLang.value;
    }
    this.showPending(this.link.sendMessage(this.id, fields, this.noteBox?.checked ? 'note' : 'send'));
    this.input.value = '';
    this.cancelTyping();
    if (this.translating) this.cancelTranslate();
  }

  typed() {
    const now = Date.now();
    if (!this.typingSince || now - this.typingSince > 3000) {
      this.typingSince = now;
      this.link.send({ type: 'typing', session: this.id, on: true });
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.cancelTyping(), 4000);
  }

  cancelTyping() {
    clearTimeout(this.typingIdle);
    if (this.typingSince) this.link.send({ type: 'typing', session: this.id, on: false });
    this.typingSince = 0;
  }

  /** Someone else's `typing` frame. */
  typing(frame) {
    if (frame.from?.id === this.me.id) return;
    if (!frame.on) return this.stopTyping(frame.from.id);
    clearTimeout(this.typingTimers.get(frame.from.id)?.timer);
    this.typingTimers.set(frame.from.id, { name: frame.from.name, timer: setTimeout(() => this.stopTyping(frame.from.id), 6000) });
    this.renderTyping();
  }

  stopTyping(id) {
    const entry = this.typingTimers.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.typingTimers.delete(id);
    this.renderTyping();
  }

  renderTyping() {
    this.typingEl.textContent = [...this.typingTimers.values()].map((e) => t('ui.typing', { name: e.name })).join(' ');
  }

  /** Everything after the last seq shown, page by page (after a resume, only the rest). */
  async loadHistory() {
    try {
      for (;;) {
        const reply = await this.link.request({ type: 'history', session: this.id, after_seq: this.lastSeq(), limit: 200 });
        for (const message of reply.messages ?? []) this.add({ ...message, session: this.id });
        if (!reply.more) break;
      }
    } catch {
      // Offline: the resume after reconnecting brings the rest.
    }
  }

  lastSeq() {
    return this.newestSeq;
  }

  setClosed() {
    this.closed = true;
    this.session.state = 'closed';
    this.form.hidden = true;
    this.typingEl.textContent = '';
  }

  scrollDown() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
