// Live connection to a Ruche group (see docs/realtime.md).
//
// Keeps one WebSocket open, reconnects with a growing delay, and after each reconnection
// asks the server for the events it missed (resync from the last sequence number seen), so
// a page never shows stale state. When too much was missed the server answers
// "snapshot_required" and `onSnapshotRequired` decides (by default: reload the page).

const MAX_DELAY_MS = 10000;

export class LiveConnection {
  constructor(path, { onEvent, onStatus, onSnapshotRequired, onError, onMessage, seq } = {}) {
    this.url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
    this.onEvent = onEvent || (() => {});
    this.onStatus = onStatus || (() => {});
    this.onSnapshotRequired = onSnapshotRequired || (() => location.reload());
    this.onError = onError || ((error) => console.warn("ruche live:", error.message));
    // A page rendered with a state at sequence `seq` passes it, so the first hello already
    // triggers a resync of what happened between the render and the connection.
    this.seq = seq ?? null;
    this.resyncFrom = null; // the seq a resync was asked from, until an event is applied
    this.onMessage = onMessage || (() => {});
    this.attempt = 0;
    this.closed = false;
    this.connect();
  }

  connect() {
    this.onStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("message", (message) => {
      // A busy server sends the events that queued up for this socket as one array.
      const data = JSON.parse(message.data);
      for (const item of Array.isArray(data) ? data : [data]) this.receive(item);
    });
    socket.addEventListener("close", (event) => {
      if (this.closed) return;
      if (event.code === 4403) {
        this.onStatus("forbidden");
        return;
      }
      this.onStatus("offline");
      const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** this.attempt);
      this.attempt += 1;
      setTimeout(() => this.connect(), delay);
    });
  }

  receive(message) {
    switch (message.type) {
      case "hello":
        this.attempt = 0;
        this.onStatus("online");
        this.resyncFrom = null; // a new socket: nothing is pending on it
        if (this.seq !== null && message.seq > this.seq) {
          this.resyncFrom = this.seq;
          this.send({ type: "resync", since: this.seq });
          this.retryResync();
        } else if (this.seq === null) {
          this.seq = message.seq;
        }
        this.onMessage(message);
        break;
      case "event":
        if (message.seq <= this.seq) return; // already applied (replayed after a resync)
        if (message.seq > this.seq + 1) {
          // A gap: events sent from another process may overtake each other. Ask once for
          // everything after what we have (the replay arrives in order); the events that
          // keep arriving meanwhile are in that replay, so they ask for nothing more.
          if (this.resyncFrom !== this.seq) {
            this.resyncFrom = this.seq;
            this.send({ type: "resync", since: this.seq });
            this.retryResync();
          }
          return;
        }
        this.seq = message.seq;
        this.resyncFrom = null;
        this.onEvent(message);
        break;
      case "snapshot_required":
        this.onSnapshotRequired(message);
        break;
      case "error":
        this.onError(message);
        break;
      default:
        this.onMessage(message);
    }
  }

  // A replay lost with its socket, or refused (rate limit), is asked again until an event
  // is applied.
  retryResync() {
    clearTimeout(this.resyncTimer);
    this.resyncTimer = setTimeout(() => {
      if (this.resyncFrom !== null && this.resyncFrom === this.seq) {
        this.send({ type: "resync", since: this.seq });
        this.retryResync();
      }
    }, 3000);
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  close() {
    this.closed = true;
    if (this.socket) this.socket.close();
  }
}

// Binds the {% live_status %} component to a connection's state.
export function bindStatus(element) {
  const labels = JSON.parse(element.dataset.labels || "{}");
  return (state) => {
    element.dataset.state = state;
    element.textContent = labels[state] || state;
    element.classList.toggle("fr-badge--success", state === "online");
    element.classList.toggle("fr-badge--info", state === "connecting" || state === "reconnecting");
    element.classList.toggle("fr-badge--warning", state === "offline");
    element.classList.toggle("fr-badge--error", state === "forbidden");
  };
}
