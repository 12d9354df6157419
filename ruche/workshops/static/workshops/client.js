// The workshop client: the live connection, the state, and writes that are never lost.
//
// - The page embeds the state it was rendered with (json_script "workshop-state") and its
//   sequence number; the connection resyncs from there, and asks for a fresh snapshot when
//   the server says too much was missed (instead of reloading: typed text stays).
// - Every write gets an id and waits in a queue kept in localStorage until the server
//   acknowledges it; after a reconnection (or a reload) the queue is sent again. Creations
//   carry `key` = their id, so the server applies a resent creation once.
// - Text being typed is saved as a draft in localStorage (`bindDraft`).
// - At most a few messages per second leave the page (the server refuses more).
//
// Protocol: docs/realtime.md.

import { LiveConnection, bindStatus } from "../ruche/live.js";
import { applyPatch, workshopOf } from "./state.js";

const SEND_INTERVAL_MS = 250; // 4 messages per second, under the server's 5
// Relative commands: resending one whose ack was lost would apply it twice.
const VOLATILE = new Set(["timer.start", "timer.pause", "timer.resume", "timer.add", "timer.reset"]);
const CREATIONS = new Set(["note.add", "cluster.add", "cluster.split", "chantier.add"]);

export const gettext = (text) => (window.gettext ? window.gettext(text) : text);
export const interpolate = (format, values) =>
  window.interpolate ? window.interpolate(format, values, true) : format;

function newId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

export class WorkshopClient {
  constructor(root, { onChange, onError, onPresence, onPending, onSettle } = {}) {
    this.root = root;
    this.state = JSON.parse(document.getElementById("workshop-state").textContent);
    this.workshopId = workshopOf(this.state).id;
    // One queue per view: a facilitator's console and a participant tab in the same browser
    // must not resend each other's writes under their own identity.
    this.storageKey = `ruche.workshop.${this.workshopId}.${root.dataset.view || "live"}`;
    this.onChange = onChange || (() => {});
    this.onError = onError || ((error) => console.warn("ruche workshop:", error));
    this.onPresence = onPresence || (() => {});
    this.onPending = onPending || (() => {});
    // (message, ack, error) for every write settled, including writes queued before a
    // reload (they have no promise any more): a view can restore a refused note's text.
    this.onSettle = onSettle || (() => {});
    this.clockOffset = 0; // server time − device time, in ms
    this.presence = null;
    this.waiters = new Map(); // message id → {resolve, reject}
    this.pending = this.loadPending(); // [{id, type, …}] not yet acknowledged
    this.unsent = [...this.pending]; // what still has to be (re)sent on this socket
    const status = document.getElementById("workshop-live-status");
    const showStatus = status ? bindStatus(status) : () => {};
    this.connection = new LiveConnection(root.dataset.ws, {
      seq: this.state.seq,
      onEvent: (event) => this.applyEvent(event),
      onStatus: (state) => {
        this.status = state;
        showStatus(state);
        root.dataset.connection = state;
      },
      onSnapshotRequired: () => this.connection.send({ type: "snapshot", id: newId() }),
      onError: (error) => this.receiveError(error),
      onMessage: (message) => this.receive(message),
    });
    this.pump = setInterval(() => this.sendNext(), SEND_INTERVAL_MS);
  }

  // --- Receiving ----------------------------------------------------------------------

  applyEvent(event) {
    applyPatch(this.state, event.payload);
    this.state.seq = event.seq;
    this.onChange(this.state, event);
  }

  receive(message) {
    switch (message.type) {
      case "hello":
        // A new socket: everything not yet acknowledged goes again, in order, except
        // relative commands (the timer's), which could apply twice: those are reported
        // as not sent, for the facilitator to redo if needed.
        for (const lost of this.pending.filter((m) => VOLATILE.has(m.type))) {
          const error = {
            type: "error",
            id: lost.id,
            code: "offline",
            message: gettext("Not sent: the connection was lost. Try again."),
          };
          this.settle(lost.id, null, error);
          this.onError(error);
        }
        this.unsent = [...this.pending];
        break;
      case "clock":
        this.clockOffset = Date.parse(message.now) - Date.now();
        this.onChange(this.state, null);
        break;
      case "presence":
        this.presence = message.count;
        this.onPresence(message.count);
        break;
      case "snapshot": {
        const previous = this.state;
        this.state = message.state;
        this.connection.seq = message.state.seq;
        this.connection.resyncFrom = null;
        this.onChange(this.state, null, previous);
        break;
      }
      case "ack":
        this.settle(message.id, message, null);
        break;
    }
  }

  receiveError(error) {
    if (error.id === undefined) {
      this.onError(error);
      return;
    }
    if (error.code === "rate_limited") {
      // Not refused for what it says: send it again a little later.
      // Back at the head of the queue, so absolute writes (dots…) keep their order.
      const message = this.pending.find((m) => m.id === error.id);
      if (message) {
        setTimeout(() => {
          if (!this.pending.includes(message)) return; // settled meanwhile
          this.unsent = [message, ...this.unsent.filter((m) => m !== message)];
        }, 1000);
      }
      return;
    }
    const message = this.pending.find((m) => m.id === error.id);
    if (message && message.type.endsWith(".delete") && error.code === "not_found") {
      this.settle(error.id, { type: "ack", id: error.id }, null); // already gone: done
      return;
    }
    this.settle(error.id, null, error);
    this.onError(error);
  }

  settle(id, ack, error) {
    const message = this.pending.find((m) => m.id === id);
    this.pending = this.pending.filter((m) => m.id !== id);
    this.unsent = this.unsent.filter((m) => m.id !== id);
    this.savePending();
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    if (waiter) (error ? waiter.reject(error) : waiter.resolve(ack));
    this.onSettle(message, ack, error);
  }

  // --- Sending ------------------------------------------------------------------------

  /** Queue a write; resolves with its ack, rejects with its error event. The promise's
   * `id` is the message's (as in `pending` and in `onSettle`). */
  send(type, fields = {}) {
    const id = newId();
    const message = { type, id, ...fields };
    if (CREATIONS.has(type) && !message.key) message.key = id;
    this.pending.push(message);
    this.unsent.push(message);
    this.savePending();
    const promise = new Promise((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    promise.id = id;
    return promise;
  }

  sendNext() {
    if (!this.unsent.length || this.status !== "online") return;
    if (this.connection.send(this.unsent[0])) this.unsent.shift();
    this.onPending(this.pending.length);
  }

  loadPending() {
    try {
      return JSON.parse(localStorage.getItem(`${this.storageKey}.pending`) || "[]");
    } catch {
      return [];
    }
  }

  savePending() {
    try {
      localStorage.setItem(`${this.storageKey}.pending`, JSON.stringify(this.pending));
    } catch {
      // Private browsing without storage: the queue still lives in memory.
    }
    this.onPending(this.pending.length);
  }

  // --- Drafts and timer ---------------------------------------------------------------

  /** Keep what is typed in `field` across reconnections and reloads, under `name`. */
  bindDraft(field, name) {
    const key = `${this.storageKey}.draft.${name}`;
    const saved = localStorage.getItem(key);
    if (saved && !field.value) field.value = saved;
    field.addEventListener("input", () => {
      try {
        localStorage.setItem(key, field.value);
      } catch {
        // no storage: nothing to keep
      }
    });
    return () => localStorage.removeItem(key);
  }

  /** Seconds left on the shared timer now (null when no timer is set). */
  timerRemaining() {
    const timer = workshopOf(this.state).timer;
    if (timer.ends_at) {
      const now = Date.now() + this.clockOffset;
      return Math.max(0, Math.round((Date.parse(timer.ends_at) - now) / 1000));
    }
    return timer.remaining ?? null;
  }
}

export function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}
