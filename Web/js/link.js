// The page's connection to the broker: hello, reconnection with resume, and an outbox so that
// nothing typed on a flaky line is lost or stored twice — unsent messages survive a reload
// (localStorage) and every retry carries the same client_msg_id, which the broker answers
// with the original ack.

const retryable = new Set(['rate_limited', 'unavailable', 'internal']);

export class BrokerLink extends EventTarget {
  constructor({ token, locale, owner }) {
    super();
    this.token = token;
    this.locale = locale;
    this.outboxKey = `jembatan.outbox.${owner}`;
    this.outbox = readJSON(this.outboxKey, []);
    this.lastSeq = new Map();
    this.pending = new Map();
    this.nextId = 1;
    this.attempt = 0;
    this.holdUntil = 0;
    this.state = 'offline';
    this.ws = null;
    this.stopped = false;
    addEventListener('online', () => { if (!this.ws) this.reconnectSoon(0); });
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.setState(this.attempt ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, 'jembatan.v1');
    this.ws = ws;
    ws.onopen = () => {
      const resume = [...this.lastSeq].map(([session, seq]) => ({ session, after_seq: seq }));
      const hello = { type: 'hello', id: 'hello', token: this.token, locale: this.locale };
      if (resume.length) hello.resume = resume;
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (event) => {
      if (ws === this.ws) this.receive(JSON.parse(event.data));
    };
    ws.onclose = (event) => this.closed(ws, event.code);
  }

  /** Drops the socket as a dead mobile link would, and waits `holdMs` before reconnecting. */
  kill(holdMs = 0) {
    this.holdUntil = Date.now() + holdMs;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.close();
      this.closed(ws, 1006, true);
    }
  }

  /** Reconnects in another locale (the broker's texts follow it). */
  setLocale(locale) {
    this.locale = locale;
    this.attempt = 0;
    this.kill(0);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close();
  }

  /** A fire-and-forget frame (typing, read, status); dropped while offline. */
  send(frame) {
    if (this.state === 'online') this.ws.send(JSON.stringify(frame));
  }

  /** A request answered by a frame with the same `re`; rejects with the error frame. */
  request(frame) {
    if (this.state !== 'online') return Promise.reject({ code: 'unavailable' });
    const id = `r${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  /** Queues a message (`send` or `note` fields) and sends it now if possible. */
  sendMessage(session, fields, type = 'send') {
    const entry = { type, session, client_msg_id: randomID(), ...fields };
    this.outbox.push(entry);
    this.saveOutbox();
    this.transmit(entry);
    return entry;
  }

  unsent(session) {
    return this.outbox.filter((entry) => entry.session === session);
  }

  transmit(entry) {
    if (this.state !== 'online') return;
    const { preview, ...frame } = entry; // the preview is for this page only
    this.ws.send(JSON.stringify({ ...frame, id: `out:${entry.client_msg_id}` }));
  }

  receive(frame) {
    if (frame.type === 'welcome') {
      this.attempt = 0;
      this.setState('online');
      this.emit('welcome', frame);
      for (const entry of this.outbox) this.transmit(entry);
      return;
    }
    if (frame.type === 'message') this.noteSeq(frame.session, frame.seq);
    if (frame.type === 'history') for (const message of frame.messages ?? []) this.noteSeq(message.session ?? frame.session, message.seq);
    if (frame.type === 'ack') this.settle(frame.client_msg_id);
    if (frame.type === 'error' && frame.re?.startsWith('out:')) this.outboxError(frame);
    const waiter = frame.re && this.pending.get(frame.re);
    if (waiter) {
      this.pending.delete(frame.re);
      if (frame.type === 'error') waiter.reject(frame);
      else waiter.resolve(frame);
    }
    this.emit('frame', frame);
  }

  noteSeq(session, seq) {
    if (session && seq > (this.lastSeq.get(session) ?? 0)) this.lastSeq.set(session, seq);
  }

  settle(clientMsgID) {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((entry) => entry.client_msg_id !== clientMsgID);
    if (this.outbox.length !== before) this.saveOutbox();
  }

  outboxError(frame) {
    const id = frame.re.slice(4);
    const entry = this.outbox.find((e) => e.client_msg_id === id);
    if (!entry) return;
    if (retryable.has(frame.code)) {
      setTimeout(() => this.transmit(entry), 2000);
      return;
    }
    this.settle(id);
    this.emit('send-failed', { entry, error: frame });
  }

  closed(ws, code, killed = false) {
    if (!killed && ws !== this.ws) return;
    if (!killed) this.ws = null;
    for (const waiter of this.pending.values()) waiter.reject({ code: 'unavailable' });
    this.pending.clear();
    if (code === 4401) {
      this.setState('unauthorized');
      return;
    }
    if (this.stopped) return;
    this.setState('offline');
    const backoff = Math.min(10000, 500 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt++;
    this.reconnectSoon(Math.max(backoff, this.holdUntil - Date.now()));
  }

  reconnectSoon(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  setState(state) {
    this.state = state;
    this.emit('state', { state });
  }

  saveOutbox() {
    try {
      localStorage.setItem(this.outboxKey, JSON.stringify(this.outbox));
    } catch {
      // Storage full or disabled: the outbox still lives for this page's lifetime.
    }
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function readJSON(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key)) ?? fallback;
  } catch {
    return fallback;
  }
}

/** A random client_msg_id (crypto.randomUUID needs a secure context; this does not). */
function randomID() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
