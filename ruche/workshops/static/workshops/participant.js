// The participant's live view (mobile-first): the current activity, always.
//
// The page gives #workshop-app (data-view="participant", data-ws, optional
// data-attendee-name and data-synthesis-url), the embedded state and the live status
// element; this module draws everything inside #workshop-app and keeps it up to date.
//
// Re-rendering never costs the person what they are doing:
// - each activity's form elements are built once, when the activity becomes the current one,
//   and only updated afterwards; lists are reconciled by key (`reconcile`), so the focused
//   element and a field being typed in stay in place;
// - what is typed in a note is a draft in localStorage (`client.bindDraft`): it survives a
//   re-render, a reconnection and a reload; a note sent goes into the client's queue (also in
//   localStorage) and shows as "waiting to be sent" until the server acknowledges it; a note
//   the server refuses comes back into the draft.

import { WorkshopClient, formatSeconds, gettext, interpolate } from "./client.js";
import {
  chantiersOf,
  clustersOf,
  commitmentsOf,
  currentActivity,
  itemsOf,
  keyed,
  notesOf,
  promptsOf,
  workshopOf,
} from "./state.js";

const NOTE_MAX = 500;
const NAME_MAX = 120;
const ngettext = (singular, plural, count) =>
  window.ngettext ? window.ngettext(singular, plural, count) : count === 1 ? singular : plural;
const ROLES = () => [
  ["", gettext("No role")],
  ["pilot", gettext("Pilot")],
  ["contributor", gettext("Contributor")],
  ["expert", gettext("Expert")],
  ["informed", gettext("To keep informed")],
];

// --- Building and updating the DOM ---------------------------------------------------------

/** h("p", {class: "x", text: "…", on: {click}}, child…); attributes are set as given. */
function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") element.textContent = value;
    else if (name === "on") {
      for (const [type, listener] of Object.entries(value)) element.addEventListener(type, listener);
    } else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function setText(element, text) {
  const value = text ?? "";
  if (element.textContent !== value) element.textContent = value;
}

function show(element, visible) {
  if (element.hidden === visible) element.hidden = !visible;
}

function setDisabled(element, disabled) {
  if (element.disabled !== disabled) element.disabled = disabled;
}

/** Set a field's value from the server unless the person is using or has changed it. */
function syncValue(field, value) {
  const text = value === null || value === undefined ? "" : String(value);
  const touched = field === document.activeElement || field.value !== (field.dataset.synced ?? "");
  field.dataset.synced = text;
  if (!touched && field.value !== text) field.value = text;
}

/**
 * Make `container`'s children the elements for `items`, in order, reusing the element of
 * each key (from `pool` when given, so an element can move between containers). Elements
 * already in place are not touched: the focused one stays focused.
 */
function reconcile(container, items, { key, create, update, pool }) {
  const known = pool || new Map();
  if (!pool) for (const child of container.children) known.set(child.dataset.key, child);
  const wanted = items.map((item) => {
    const id = key(item);
    let element = known.get(id);
    if (!element) {
      element = create(item);
      element.dataset.key = id;
      known.set(id, element);
    }
    update(element, item);
    return element;
  });
  const keep = new Set(wanted);
  for (const child of [...container.children]) if (!keep.has(child)) child.remove();
  let cursor = container.firstElementChild;
  for (const element of wanted) {
    if (element === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(element, cursor);
  }
}

function addStylesheet(name) {
  const href = new URL(name, import.meta.url).href;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(h("link", { rel: "stylesheet", href }));
}

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

/** An error line near an action (role=alert: read out as soon as it is filled). */
function errorSlot() {
  return h("p", { class: "fr-message fr-message--error ruche-ws-error", role: "alert" });
}

function showError(slot, text) {
  if (!slot) return;
  setText(slot, text || "");
}

function badge(text, tone) {
  return h("span", { class: `fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${tone}`, text });
}

// --- Error messages ------------------------------------------------------------------------

function errorText(error) {
  switch (error.code) {
    case "locked":
      return gettext("The facilitator has paused contributions: try again in a moment.");
    case "not_live":
      return gettext("The workshop is not open for contributions.");
    case "ended":
      return gettext("The workshop has ended: contributions are closed.");
    case "wrong_activity":
      return gettext("This activity is not the current one any more: nothing was recorded.");
    case "not_joined":
      return gettext("Join the workshop to take part.");
    case "forbidden":
    case "not_yours":
      return gettext("You cannot do this.");
    case "not_found":
      return gettext("This item does not exist any more.");
    default:
      // too_long, empty, invalid, no_dots_left…: the server's message has the figures.
      return error.message || gettext("Your contribution could not be recorded.");
  }
}

// --- The application -----------------------------------------------------------------------

class ParticipantView {
  constructor(root) {
    this.root = root;
    // The name the attendee signs with: the page's data attribute, else the sentence the page
    // shows ("You take part as <strong>name</strong>").
    const shownName = document.querySelector("[data-testid=attendee-name] strong");
    this.attendeeName = root.dataset.attendeeName ?? (shownName ? shownName.textContent : "");
    this.synthesisUrl = root.dataset.synthesisUrl || "";
    this.slots = new Map(); // message id → the error line of the action that sent it
    this.awaiting = new Map(); // acknowledged creation's note id → {message, until}
    this.bodyKey = null;
    this.view = null;
    this.scheduled = false;
    this.last = {}; // what was announced last (activity, lock, reveal, timer)
    this.buildShell();
    this.client = new WorkshopClient(root, {
      onChange: () => this.schedule(),
      onError: (error) => this.globalError(error),
      onPresence: (count) => this.showPresence(count),
      onPending: () => this.schedule(),
      onSettle: (message, ack, error) => this.settled(message, ack, error),
    });
    this.render();
    setInterval(() => this.tick(), 500);
  }

  // The shell: header (titles, timer, presence, connection, queue), announcer, activity.
  buildShell() {
    const root = this.root;
    root.replaceChildren();
    root.classList.add("ruche-ws");
    addStylesheet("participant.css");
    // The page's own title when it has one (kept up to date), else ours.
    this.titleElement =
      document.querySelector("[data-role=workshop-title]") ||
      document.querySelector("h1") ||
      h("h1", { class: "fr-h4 fr-mb-1w ruche-ws-title", "data-role": "workshop-title" });
    let status = document.getElementById("workshop-live-status");
    const statusFrame = status ? status.parentElement : null;
    if (!status) {
      const labels = {
        connecting: gettext("Connecting…"),
        reconnecting: gettext("Reconnecting…"),
        online: gettext("Live"),
        offline: gettext("Connection lost, retrying…"),
        forbidden: gettext("Live updates not allowed"),
      };
      status = h("p", {
        id: "workshop-live-status",
        class: "fr-badge fr-badge--sm fr-badge--info ruche-live-status",
        role: "status",
        "aria-live": "polite",
        "data-state": "connecting",
        "data-labels": JSON.stringify(labels),
        text: labels.connecting,
      });
    }
    // role=timer is not read out on every tick; its text says what it is.
    this.timerValue = h("span", { "data-testid": "timer-value" });
    this.timer = h(
      "p",
      { class: "ruche-ws-timer", role: "timer", "data-testid": "timer", hidden: true },
      h("span", { class: "fr-sr-only", text: gettext("Time left:") }),
      " ",
      this.timerValue,
    );
    this.presence = h("p", { class: "ruche-ws-presence", "data-testid": "presence", hidden: true });
    this.queue = h("p", {
      class: "fr-badge fr-badge--sm fr-badge--warning ruche-ws-queue",
      "data-testid": "pending-count",
      role: "status",
      hidden: true,
    });
    const bar = h("div", { class: "ruche-ws-bar" }, this.timer, this.presence, status, this.queue);
    const header = h(
      "header",
      { class: "ruche-ws-header" },
      this.titleElement.isConnected ? null : this.titleElement,
      bar,
    );
    this.announcer = h("p", { class: "fr-sr-only", "aria-live": "polite", "data-role": "announce" });
    this.error = h("div", { class: "ruche-ws-global-error", role: "alert" });
    this.activityTitle = h("h2", {
      class: "fr-h5 fr-mb-1w",
      tabindex: "-1",
      "data-testid": "activity-title",
    });
    this.instructions = h("p", { class: "ruche-ws-instructions", "data-testid": "instructions" });
    this.notice = h("div", {
      class: "fr-alert fr-alert--info fr-alert--sm ruche-ws-notice",
      "data-testid": "input-notice",
      hidden: true,
    });
    this.body = h("div", { class: "ruche-ws-body" });
    this.section = h(
      "section",
      { class: "ruche-ws-activity", "aria-labelledby": nextId("activity") },
      this.activityTitle,
      this.instructions,
      this.notice,
      this.body,
    );
    this.activityTitle.id = this.section.getAttribute("aria-labelledby");
    root.append(header, this.announcer, this.error, this.section);
    // The status moved into our sticky bar: its old frame would only leave a gap.
    if (statusFrame && statusFrame !== bar && !statusFrame.children.length) statusFrame.hidden = true;
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.render();
    };
    // Bursts of events (a room writing at once) draw once per frame; hidden tabs still
    // follow, more slowly.
    if (document.hidden) setTimeout(run, 200);
    else requestAnimationFrame(run);
  }

  announce(text) {
    // Cleared then set, so the same sentence twice is read twice.
    this.announcer.textContent = "";
    setTimeout(() => {
      this.announcer.textContent = text;
    }, 50);
  }

  globalError(error) {
    if (error.id !== undefined) return; // shown near its action by `settled`
    this.showGlobalError(errorText(error));
  }

  showGlobalError(text) {
    this.error.replaceChildren(h("p", { class: "fr-alert fr-alert--error fr-alert--sm", text }));
    clearTimeout(this.errorTimer);
    this.errorTimer = setTimeout(() => this.error.replaceChildren(), 15000);
  }

  settled(message, ack, error) {
    if (!message) return;
    const slot = this.slots.get(message.id);
    this.slots.delete(message.id);
    if (error) {
      if (slot && slot.isConnected) showError(slot, errorText(error));
      else this.showGlobalError(errorText(error));
      if (message.type === "note.add") this.restoreNote(message);
      if (message.type === "note.edit") this.restoreDraft(`edit.${message.note}`, message.text);
    } else if (ack && message.type === "note.add" && ack.note) {
      // The event with the note may come just after its ack: keep showing it meanwhile.
      this.awaiting.set(ack.note, { message, until: Date.now() + 10000 });
    }
    this.schedule();
  }

  /** A refused note goes back where it was written, so its text is never lost. */
  restoreNote(message) {
    const field = this.view && this.view.noteField ? this.view.noteField(message.prompt) : null;
    if (field) {
      field.value = field.value ? `${field.value}\n${message.text}` : message.text;
      field.dispatchEvent(new Event("input")); // saves the draft, updates the counter
    } else {
      this.restoreDraft(`note.${message.prompt}`, message.text);
    }
  }

  restoreDraft(name, text) {
    const key = `${this.client.storageKey}.draft.${name}`;
    try {
      const saved = localStorage.getItem(key);
      localStorage.setItem(key, saved ? `${saved}\n${text}` : text);
    } catch {
      // no storage
    }
  }

  /** Queue a write; its error shows in `slot`. */
  send(type, fields, slot) {
    const promise = this.client.send(type, fields);
    if (slot) {
      showError(slot, "");
      this.slots.set(promise.id, slot);
    }
    promise.catch(() => {}); // errors are shown by `settled`
    this.schedule();
    return promise;
  }

  pendingOf(predicate) {
    return this.client.pending.filter(predicate);
  }

  /** The latest queued value of a setting (dots, rating, role), or undefined. */
  lastPending(type, match) {
    const found = this.client.pending.filter((m) => m.type === type && match(m));
    return found.length ? found[found.length - 1] : undefined;
  }

  showPresence(count) {
    show(this.presence, count !== null && count !== undefined);
    setText(
      this.presence,
      interpolate(ngettext("%(count)s person connected", "%(count)s people connected", count), {
        count,
      }),
    );
  }

  /** The queue's size, once it is worth saying: offline, or writes slow to leave. */
  showQueue() {
    const pending = this.client.pending.length;
    if (!pending) this.pendingSince = null;
    else if (!this.pendingSince) this.pendingSince = Date.now();
    const online = this.client.status === "online";
    show(this.queue, pending > 0 && (!online || Date.now() - this.pendingSince > 1500));
    setText(
      this.queue,
      interpolate(
        ngettext(
          "%(count)s contribution waiting to be sent",
          "%(count)s contributions waiting to be sent",
          pending,
        ),
        { count: pending },
      ),
    );
  }

  /** Refused by the socket (4403): not (or no longer) a participant of this room. */
  showConnection() {
    const connection = this.root.dataset.connection;
    if (connection === this.last.connection) return;
    this.last.connection = connection;
    this.schedule(); // pending notes say "sending" or "waiting" depending on the connection
    if (connection !== "forbidden") return;
    const joinUrl = this.root.dataset.joinUrl;
    this.error.replaceChildren(
      h(
        "div",
        { class: "fr-alert fr-alert--warning fr-alert--sm", "data-testid": "forbidden" },
        h("p", {
          text: gettext("This page cannot follow the workshop: join it again to take part."),
        }),
        joinUrl ? h("p", {}, h("a", { href: joinUrl, text: gettext("Join the workshop") })) : null,
      ),
    );
  }

  tick() {
    this.showQueue();
    this.showConnection();
    const workshop = workshopOf(this.client.state);
    if (!workshop) return;
    const timer = workshop.timer || {};
    const remaining = workshop.state === "ended" ? null : this.client.timerRemaining();
    show(this.timer, remaining !== null);
    if (remaining === null) {
      this.last.timeUp = false;
      return;
    }
    const paused = !timer.ends_at;
    this.timer.dataset.state = remaining === 0 ? "ended" : paused ? "paused" : "running";
    let text = formatSeconds(remaining);
    if (remaining === 0) text = gettext("Time is up");
    else if (paused) text = interpolate(gettext("%(time)s (paused)"), { time: text });
    setText(this.timerValue, text);
    const timeUp = remaining === 0 && Boolean(timer.total);
    if (timeUp && !this.last.timeUp) this.announce(gettext("Time is up."));
    this.last.timeUp = timeUp;
  }

  // --- Drawing -----------------------------------------------------------------------------

  render() {
    const focused = document.activeElement;
    const state = this.client.state;
    const workshop = workshopOf(state);
    if (!workshop) return;
    const activity = currentActivity(state);
    const ended = workshop.state === "ended";
    const open = workshop.state === "live" && !workshop.input_locked && Boolean(activity);
    for (const [noteId, entry] of this.awaiting) {
      if (state.notes[noteId] || entry.until < Date.now()) this.awaiting.delete(noteId);
    }

    setText(this.titleElement, workshop.title);
    this.tick();

    // What the room is doing.
    if (ended) {
      setText(this.activityTitle, gettext("The workshop has ended"));
      setText(this.instructions, "");
    } else if (activity) {
      setText(this.activityTitle, activity.title);
      setText(this.instructions, activity.instructions);
    } else {
      setText(this.activityTitle, gettext("Waiting for the next activity"));
      setText(this.instructions, gettext("The facilitator will open the next activity shortly."));
    }
    show(this.instructions, Boolean(this.instructions.textContent));
    let notice = "";
    if (!ended && workshop.state !== "live") notice = gettext("The workshop has not started yet.");
    else if (!ended && workshop.input_locked && activity)
      notice = gettext("The facilitator has paused contributions for now.");
    setText(this.notice, notice);
    show(this.notice, Boolean(notice));

    const key = ended ? "ended" : activity ? `${activity.id}:${activity.kind}` : "none";
    if (key !== this.bodyKey) {
      const wasInside = this.body.contains(focused);
      this.bodyKey = key;
      this.view = ended ? endedView(this) : activity ? makeView(this, activity) : null;
      this.body.replaceChildren(...(this.view ? [this.view.element] : []));
      if (this.last.activity !== undefined && this.last.activity !== key && !ended && activity) {
        this.announce(interpolate(gettext("New activity: %(title)s"), { title: activity.title }));
      }
      if (wasInside) this.activityTitle.focus();
    }
    this.last.activity = key;
    if (this.view && activity && !ended) this.view.update(activity, open);
    else if (this.view) this.view.update(null, false);

    // Say out loud what changed for everyone.
    const locked = workshop.input_locked;
    if (this.last.locked !== undefined && this.last.locked !== locked) {
      this.announce(
        locked
          ? gettext("The facilitator has paused contributions for now.")
          : gettext("Contributions are open again."),
      );
    }
    this.last.locked = locked;
    const revealed = activity ? `${activity.id}:${activity.revealed}` : null;
    // Only a reveal of the activity on screen (not arriving on an already revealed one).
    if (activity && activity.revealed && this.last.revealed === `${activity.id}:false`) {
      this.announce(gettext("The results are revealed."));
    }
    this.last.revealed = revealed;

    if (focused && focused !== document.activeElement && focused.isConnected) {
      focused.focus({ preventScroll: true });
    }
  }
}

function makeView(app, activity) {
  const build = VIEWS[activity.kind];
  if (!build) return { element: h("div"), update() {} };
  return build(app, activity);
}

// --- Ended ---------------------------------------------------------------------------------

function endedView(app) {
  const element = h(
    "div",
    { class: "fr-alert fr-alert--success", "data-testid": "workshop-ended" },
    h("h3", { class: "fr-alert__title", text: gettext("Thank you for taking part!") }),
    h("p", { text: gettext("Everything the room wrote has been kept.") }),
    app.synthesisUrl
      ? h(
          "p",
          {},
          h("a", {
            class: "fr-link",
            href: app.synthesisUrl,
            "data-testid": "synthesis-link",
            text: gettext("Read the workshop's synthesis"),
          }),
        )
      : null,
  );
  return { element, update() {} };
}

// --- Ideation ------------------------------------------------------------------------------

// The column a person was looking at, per ideation, while the facilitator goes elsewhere.
const selectedPrompts = new Map();

function ideationView(app, activity) {
  const tabs = h("div", {
    class: "ruche-ws-tabs",
    role: "tablist",
    "aria-label": gettext("Columns"),
  });
  const columns = h("div", { class: "ruche-ws-columns" });
  const element = h("div", { class: "ruche-ws-ideation" }, tabs, columns);
  const byPrompt = new Map(); // prompt id → column
  let selected = selectedPrompts.get(activity.id) || null;

  function select(promptId, focus) {
    selected = promptId;
    selectedPrompts.set(activity.id, promptId);
    for (const [id, column] of byPrompt) {
      const active = id === promptId;
      column.tab.setAttribute("aria-selected", String(active));
      column.tab.tabIndex = active ? 0 : -1;
      column.element.classList.toggle("is-active", active);
    }
    if (focus) byPrompt.get(promptId).tab.focus();
  }

  tabs.addEventListener("keydown", (event) => {
    const ids = [...byPrompt.keys()];
    const index = ids.indexOf(selected);
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: ids.length - 1 - index };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select(ids[(index + moves[event.key] + ids.length) % ids.length], true);
  });

  function update(current, open) {
    const state = app.client.state;
    const prompts = promptsOf(state, current.id);
    reconcile(columns, prompts, {
      key: (prompt) => prompt.id,
      create: (prompt) => {
        const column = ideationColumn(app, current, prompt);
        column.tab.addEventListener("click", () => select(prompt.id, false));
        byPrompt.set(prompt.id, column);
        return column.element;
      },
      update: (_el, prompt) => byPrompt.get(prompt.id).update(current, prompt, open),
    });
    for (const id of [...byPrompt.keys()]) {
      if (!prompts.some((prompt) => prompt.id === id)) byPrompt.delete(id);
    }
    reconcile(tabs, prompts, {
      key: (prompt) => prompt.id,
      create: (prompt) => byPrompt.get(prompt.id).tab,
      update: (tab, prompt) => setText(tab, prompt.text),
    });
    const hasTabs = prompts.length > 1;
    show(tabs, hasTabs);
    element.classList.toggle("has-tabs", hasTabs);
    for (const column of byPrompt.values()) {
      // One prompt: a plain section (a region named by its heading), not a lone tab panel.
      if (hasTabs) column.element.setAttribute("role", "tabpanel");
      else column.element.removeAttribute("role");
    }
    if (prompts.length) select(byPrompt.has(selected) ? selected : prompts[0].id, false);
  }

  return {
    element,
    update,
    noteField: (promptId) => (byPrompt.has(promptId) ? byPrompt.get(promptId).field : null),
  };
}

function ideationColumn(app, activity, prompt) {
  const id = nextId("prompt");
  const client = app.client;
  const signing = activity.config.signing || "choice";
  const heading = h("h3", { class: "fr-h6 ruche-ws-prompt", id: `${id}-title` });
  const field = h("textarea", {
    class: "fr-input",
    id: `${id}-text`,
    name: "text",
    rows: 3,
    maxlength: NOTE_MAX,
    "aria-describedby": `${id}-count`,
    "data-testid": "note-input",
  });
  const counter = h("p", { class: "fr-hint-text ruche-ws-counter", id: `${id}-count` });
  const clearDraft = client.bindDraft(field, `note.${prompt.id}`);
  const countText = () =>
    interpolate(gettext("%(count)s / %(max)s characters"), {
      count: field.value.length,
      max: NOTE_MAX,
    });
  field.addEventListener("input", () => setText(counter, countText()));
  setText(counter, countText());
  const sign = h("input", { type: "checkbox", id: `${id}-sign`, name: "signed" });
  // The choice to sign is kept like a draft: it is the person's habit for this workshop.
  const signKey = `${client.storageKey}.sign`;
  try {
    sign.checked = localStorage.getItem(signKey) === "1";
  } catch {
    // no storage
  }
  sign.addEventListener("change", () => {
    try {
      localStorage.setItem(signKey, sign.checked ? "1" : "0");
    } catch {
      // no storage
    }
  });
  const canSign = signing === "choice" && Boolean(app.attendeeName);
  const signGroup = canSign
    ? h(
        "div",
        { class: "fr-checkbox-group fr-checkbox-group--sm fr-mb-2w" },
        sign,
        h("label", {
          class: "fr-label",
          for: sign.id,
          text: interpolate(gettext("Sign with my name (%(name)s)"), { name: app.attendeeName }),
        }),
      )
    : null;
  let signingHint = "";
  if (signing === "signed" && app.attendeeName)
    signingHint = interpolate(gettext("Your notes show your name (%(name)s)."), {
      name: app.attendeeName,
    });
  else if (signing === "anonymous" || !app.attendeeName)
    signingHint = gettext("Your notes are anonymous.");
  const submit = h("button", {
    type: "submit",
    class: "fr-btn fr-btn--icon-left fr-icon-add-line",
    "data-testid": "note-submit",
    text: gettext("Add my note"),
  });
  const error = errorSlot();
  error.dataset.testid = "note-error";
  const form = h(
    "form",
    { class: "ruche-ws-note-form", novalidate: true },
    h(
      "div",
      { class: "fr-input-group" },
      h("label", {
        class: "fr-label",
        for: field.id,
        text: gettext("Your note"),
      }),
      field,
      counter,
    ),
    signGroup,
    signingHint ? h("p", { class: "fr-hint-text", text: signingHint }) : null,
    submit,
    error,
  );
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = field.value.trim();
    if (!text) {
      showError(error, gettext("Write your note first."));
      field.focus();
      return;
    }
    if (text.length > NOTE_MAX) {
      showError(
        error,
        interpolate(gettext("Too long: %(count)s characters, at most %(max)s."), {
          count: text.length,
          max: NOTE_MAX,
        }),
      );
      return;
    }
    app.send(
      "note.add",
      { activity: activity.id, prompt: prompt.id, text, signed: canSign && sign.checked },
      error,
    );
    // The text now lives in the queue (kept in localStorage until acknowledged).
    field.value = "";
    clearDraft();
    setText(counter, countText());
    field.focus();
  });

  const mineTitle = h("h4", { class: "fr-text--md fr-mb-1w", text: gettext("My notes") });
  const mine = h("ul", { class: "ruche-ws-notes", "data-testid": "my-notes" });
  const count = h("p", { class: "ruche-ws-count", "data-testid": "notes-count" });
  const othersTitle = h("h4", { class: "fr-text--md fr-mb-1w", text: gettext("The room's notes") });
  const others = h("ul", { class: "ruche-ws-notes", "data-testid": "other-notes" });
  const element = h(
    "section",
    {
      class: "ruche-ws-column",
      role: "tabpanel",
      id: `${id}-panel`,
      "aria-labelledby": heading.id,
      "data-prompt": prompt.id,
      "data-testid": "prompt-column",
    },
    heading,
    form,
    mineTitle,
    mine,
    count,
    othersTitle,
    others,
  );
  const tab = h("button", {
    type: "button",
    role: "tab",
    class: "ruche-ws-tab",
    "aria-controls": element.id,
    "aria-selected": "false",
    tabindex: "-1",
  });

  function update(current, currentPrompt, open) {
    const state = client.state;
    setText(heading, currentPrompt.text);
    for (const control of [field, submit, sign]) setDisabled(control, !open);
    const online = client.status === "online";
    const all = notesOf(state, current.id, { promptId: currentPrompt.id });
    const myNotes = all.filter((note) => state.my_notes[note.id]);
    const waiting = client.pending
      .filter((m) => m.type === "note.add" && m.prompt === currentPrompt.id)
      .map((message) => ({ message, sent: false, online }));
    for (const [noteId, entry] of app.awaiting) {
      if (entry.message.prompt === currentPrompt.id && !state.notes[noteId]) {
        waiting.push({ message: entry.message, sent: true, online });
      }
    }
    reconcile(mine, [...myNotes.map((note) => ({ note })), ...waiting], {
      key: (row) => (row.note ? `n:${row.note.id}` : `p:${row.message.id}`),
      create: (row) => (row.note ? myNote(app, current, row.note) : pendingNote()),
      update: (li, row) => (row.note ? li.refresh(row.note, open) : li.refresh(row)),
    });
    show(mineTitle, mine.children.length > 0);
    const total = all.length;
    setText(
      count,
      interpolate(ngettext("%(count)s note written", "%(count)s notes written", total), {
        count: total,
      }),
    );
    const visible = current.revealed
      ? all.filter((note) => !note.masked && !note.hidden && !state.my_notes[note.id])
      : [];
    reconcile(others, visible, {
      key: (note) => note.id,
      create: () => otherNote(),
      update: (li, note) => li.refresh(note),
    });
    show(othersTitle, current.revealed);
    show(others, current.revealed);
  }

  return { element, tab, field, update };
}

function noteMeta(note) {
  return note.signed && note.author_name
    ? interpolate(gettext("Signed %(name)s"), { name: note.author_name })
    : gettext("Anonymous");
}

function pendingNote() {
  const text = h("p", { class: "ruche-ws-note__text" });
  const state = badge(gettext("Waiting to be sent"), "warning");
  const li = h(
    "li",
    { class: "ruche-ws-note is-pending", "data-testid": "note-pending" },
    text,
    h("p", { class: "ruche-ws-note__meta" }, state),
  );
  li.refresh = ({ message, sent, online }) => {
    setText(text, message.text);
    let label = gettext("Waiting to be sent");
    if (sent) label = gettext("Sent");
    else if (online) label = gettext("Sending…");
    setText(state, label);
    const tone = sent || online ? "info" : "warning";
    state.className = `fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${tone}`;
  };
  return li;
}

function otherNote() {
  const text = h("p", { class: "ruche-ws-note__text" });
  const meta = h("p", { class: "ruche-ws-note__meta" });
  const li = h("li", { class: "ruche-ws-note", "data-testid": "other-note" }, text, meta);
  li.refresh = (note) => {
    setText(text, note.text);
    setText(meta, noteMeta(note));
  };
  return li;
}

function myNote(app, activity, initial) {
  const client = app.client;
  const noteId = initial.id;
  const id = nextId("note");
  const text = h("p", { class: "ruche-ws-note__text", "data-testid": "note-text" });
  const meta = h("p", { class: "ruche-ws-note__meta" });
  const status = h("span", { class: "ruche-ws-note__status" });
  const editButton = h("button", {
    type: "button",
    class: "fr-btn fr-btn--tertiary fr-btn--sm fr-icon-edit-line fr-btn--icon-left",
    text: gettext("Edit"),
  });
  const deleteButton = h("button", {
    type: "button",
    class: "fr-btn fr-btn--tertiary fr-btn--sm fr-icon-delete-line fr-btn--icon-left",
    text: gettext("Delete"),
  });
  const actions = h("div", { class: "ruche-ws-note__actions" }, editButton, deleteButton);
  const error = errorSlot();

  // Editing: its text is a draft too, and reopens after a reload.
  const editField = h("textarea", {
    class: "fr-input",
    id: `${id}-edit`,
    rows: 3,
    maxlength: NOTE_MAX,
  });
  const save = h("button", { type: "submit", class: "fr-btn fr-btn--sm", text: gettext("Save") });
  const cancel = h("button", {
    type: "button",
    class: "fr-btn fr-btn--sm fr-btn--secondary",
    text: gettext("Cancel"),
  });
  const editForm = h(
    "form",
    { class: "ruche-ws-note__edit", hidden: true, novalidate: true },
    h("label", { class: "fr-label", for: editField.id, text: gettext("Edit my note") }),
    editField,
    h("div", { class: "ruche-ws-inline-buttons" }, save, cancel),
  );
  let clearEdit = null;
  const openEdit = (focus) => {
    editField.value = "";
    clearEdit = client.bindDraft(editField, `edit.${noteId}`);
    if (!editField.value) editField.value = (client.state.notes[noteId] || initial).text || "";
    editForm.hidden = false;
    actions.hidden = true;
    if (focus) editField.focus();
  };
  const closeEdit = () => {
    if (clearEdit) clearEdit();
    clearEdit = null;
    editForm.hidden = true;
    actions.hidden = false;
    editButton.focus();
  };
  editButton.addEventListener("click", () => openEdit(true));
  cancel.addEventListener("click", closeEdit);
  editForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = editField.value.trim();
    if (!value) {
      showError(error, gettext("Write your note first, or delete it."));
      return;
    }
    app.send("note.edit", { activity: activity.id, note: noteId, text: value }, error);
    closeEdit();
  });

  // Deleting asks once more, in place.
  const confirm = h("button", {
    type: "button",
    class: "fr-btn fr-btn--sm",
    text: gettext("Yes, delete"),
  });
  const keep = h("button", {
    type: "button",
    class: "fr-btn fr-btn--sm fr-btn--secondary",
    text: gettext("Keep it"),
  });
  const confirmBox = h(
    "div",
    { class: "ruche-ws-note__confirm", hidden: true },
    h("p", { class: "fr-text--sm fr-mb-1w", text: gettext("Delete this note?") }),
    h("div", { class: "ruche-ws-inline-buttons" }, confirm, keep),
  );
  deleteButton.addEventListener("click", () => {
    confirmBox.hidden = false;
    actions.hidden = true;
    keep.focus();
  });
  keep.addEventListener("click", () => {
    confirmBox.hidden = true;
    actions.hidden = false;
    deleteButton.focus();
  });
  confirm.addEventListener("click", () => {
    confirmBox.hidden = true;
    actions.hidden = false;
    app.send("note.delete", { activity: activity.id, note: noteId }, error);
  });

  const li = h(
    "li",
    { class: "ruche-ws-note is-mine", "data-testid": "my-note", "data-note": noteId },
    text,
    h("p", { class: "ruche-ws-note__meta" }, meta, " ", status),
    actions,
    editForm,
    confirmBox,
    error,
  );
  try {
    if (localStorage.getItem(`${client.storageKey}.draft.edit.${noteId}`)) openEdit(false);
  } catch {
    // no storage
  }

  li.refresh = (note, open) => {
    const edit = app.lastPending("note.edit", (m) => m.note === noteId);
    const removing = app.lastPending("note.delete", (m) => m.note === noteId);
    setText(text, edit ? edit.text : note.text);
    setText(meta, noteMeta(note));
    let label = "";
    if (removing) label = gettext("Deletion waiting to be sent");
    else if (edit) label = gettext("Change waiting to be sent");
    else if (note.hidden) label = gettext("Hidden by the facilitator");
    setText(status, label);
    status.className = label
      ? "fr-badge fr-badge--sm fr-badge--no-icon fr-badge--warning ruche-ws-note__status"
      : "ruche-ws-note__status";
    li.classList.toggle("is-pending", Boolean(edit || removing));
    for (const control of [editButton, deleteButton, save, editField, confirm]) {
      setDisabled(control, !open || Boolean(removing));
    }
  };
  return li;
}

// --- Grouping ------------------------------------------------------------------------------

function groupingView(app, activity) {
  const client = app.client;
  const everyone = activity.config.who === "everyone";
  const pool = new Map(); // note id → its element, wherever it is shown
  const clusterViews = new Map();
  const error = errorSlot();
  const nameField = h("input", {
    class: "fr-input",
    id: nextId("cluster-name"),
    maxlength: NAME_MAX,
    autocomplete: "off",
    "data-testid": "cluster-name",
  });
  const clearName = client.bindDraft(nameField, `cluster.${activity.id}`);
  const create = h("button", {
    type: "submit",
    class: "fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-add-line",
    text: gettext("Create the cluster"),
  });
  const form = everyone
    ? h(
        "form",
        { class: "ruche-ws-cluster-form", novalidate: true },
        h(
          "div",
          { class: "fr-input-group" },
          h("label", { class: "fr-label", for: nameField.id, text: gettext("New cluster") }),
          nameField,
        ),
        create,
        error,
      )
    : h("p", {
        class: "fr-text--sm",
        text: gettext("The facilitator groups the notes; you see the clusters as they form."),
      });
  if (everyone) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = nameField.value.trim();
      app.send("cluster.add", { activity: activity.id, name, notes: [] }, error);
      nameField.value = "";
      clearName();
    });
  }
  const clusters = h("div", { class: "ruche-ws-clusters", "data-testid": "clusters" });
  const looseTitle = h("h3", { class: "fr-h6", text: gettext("Not grouped yet") });
  const loose = h("ul", { class: "ruche-ws-notes", "data-testid": "ungrouped-notes" });
  const element = h(
    "div",
    { class: "ruche-ws-grouping" },
    form,
    clusters,
    h("section", { class: "ruche-ws-loose" }, looseTitle, loose),
  );

  function update(current, open) {
    const state = client.state;
    const source = current.source ? state.activities[current.source] : null;
    const notes = source ? notesOf(state, source.id).filter((note) => !note.hidden) : [];
    const list = clustersOf(state, current.id);
    const ids = new Set(list.map((cluster) => cluster.id));
    const editable = everyone && open;
    if (everyone) for (const control of [nameField, create]) setDisabled(control, !open);
    // A move waiting to be sent shows where the person put the note.
    const moves = new Map();
    for (const message of client.pending) {
      if (message.type === "note.move") moves.set(message.note, message.cluster);
    }
    const places = new Map();
    const byCluster = new Map(list.map((cluster) => [cluster.id, []]));
    const ungrouped = [];
    for (const note of notes) {
      const target = moves.has(note.id) ? moves.get(note.id) : note.cluster;
      const place = target && ids.has(target) ? target : null;
      places.set(note.id, place);
      (place ? byCluster.get(place) : ungrouped).push(note);
    }
    const placeOf = (note) => places.get(note.id) ?? null;
    const options = [["", gettext("Not grouped")]].concat(
      list.map((cluster) => [cluster.id, cluster.name || gettext("Unnamed cluster")]),
    );
    const noteOptions = { pool, options, editable, placeOf, everyone, activity: current };
    reconcile(clusters, list, {
      key: (cluster) => cluster.id,
      create: (cluster) => {
        const view = clusterView(app, current, cluster);
        clusterViews.set(cluster.id, view);
        return view.element;
      },
      update: (_el, cluster) =>
        clusterViews
          .get(cluster.id)
          .update(cluster, byCluster.get(cluster.id), noteOptions, editable),
    });
    for (const id of [...clusterViews.keys()]) if (!ids.has(id)) clusterViews.delete(id);
    fillNotes(app, loose, ungrouped, noteOptions);
    show(looseTitle, ungrouped.length > 0);
    for (const id of [...pool.keys()]) {
      if (!notes.some((note) => note.id === id)) pool.delete(id);
    }
  }

  return { element, update };
}

function fillNotes(app, list, notes, { pool, options, editable, placeOf, everyone, activity }) {
  reconcile(list, notes, {
    key: (note) => note.id,
    pool,
    create: (note) => groupedNote(app, activity, note, everyone),
    update: (li, note) => li.refresh(note, options, placeOf(note), editable),
  });
}

function groupedNote(app, activity, initial, everyone) {
  const id = nextId("move");
  const text = h("p", { class: "ruche-ws-note__text" });
  const meta = h("p", { class: "ruche-ws-note__meta" });
  const select = h("select", { class: "fr-select", id, "data-testid": "note-cluster" });
  const error = errorSlot();
  const li = h(
    "li",
    { class: "ruche-ws-note", "data-testid": "grouped-note", "data-note": initial.id },
    text,
    meta,
    everyone
      ? h(
          "div",
          { class: "fr-select-group ruche-ws-move" },
          h("label", { class: "fr-label", for: id, text: gettext("Cluster") }),
          select,
        )
      : null,
    error,
  );
  select.addEventListener("change", () => {
    app.send(
      "note.move",
      { activity: activity.id, note: initial.id, cluster: select.value || null },
      error,
    );
  });
  let signature = "";
  li.refresh = (note, options, place, editable) => {
    setText(text, note.masked ? gettext("(note not revealed yet)") : note.text);
    setText(meta, note.masked ? "" : noteMeta(note));
    if (!everyone) return;
    const next = JSON.stringify(options);
    if (next !== signature) {
      signature = next;
      select.replaceChildren(
        ...options.map(([value, label]) => h("option", { value, text: label })),
      );
    }
    // `place` already counts a move waiting to be sent: the person's choice stays shown.
    const value = place || "";
    if (select.value !== value) select.value = value;
    setDisabled(select, !editable);
  };
  return li;
}

function clusterView(app, activity, initial) {
  const id = nextId("cluster");
  const heading = h("h3", { class: "fr-h6 ruche-ws-cluster__name", id: `${id}-title` });
  const count = h("p", { class: "fr-text--xs ruche-ws-cluster__count" });
  const list = h("ul", { class: "ruche-ws-notes" });
  const everyone = activity.config.who === "everyone";
  const nameField = h("input", {
    class: "fr-input",
    id: `${id}-name`,
    maxlength: NAME_MAX,
    autocomplete: "off",
  });
  const rename = h("button", {
    type: "submit",
    class: "fr-btn fr-btn--sm fr-btn--tertiary",
    text: gettext("Rename"),
  });
  const error = errorSlot();
  const form = everyone
    ? h(
        "form",
        { class: "ruche-ws-rename", novalidate: true },
        h("label", { class: "fr-label", for: nameField.id, text: gettext("Name of the cluster") }),
        h("div", { class: "ruche-ws-inline-field" }, nameField, rename),
      )
    : null;
  const disclosure = form
    ? h(
        "details",
        { class: "ruche-ws-rename-box" },
        h("summary", { class: "fr-text--sm", text: gettext("Rename") }),
        form,
      )
    : null;
  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = nameField.value.trim();
      nameField.dataset.synced = nameField.value; // the sent name is the one expected back
      app.send("cluster.rename", { activity: activity.id, cluster: initial.id, name }, error);
      disclosure.open = false;
      disclosure.querySelector("summary").focus();
    });
  }
  const element = h(
    "section",
    {
      class: "ruche-ws-cluster",
      "aria-labelledby": heading.id,
      "data-testid": "cluster",
      "data-cluster": initial.id,
    },
    heading,
    count,
    disclosure,
    error,
    list,
  );
  function update(cluster, notes, noteOptions, editable) {
    setText(heading, cluster.name || gettext("Unnamed cluster"));
    setText(
      count,
      interpolate(ngettext("%(count)s note", "%(count)s notes", notes.length), {
        count: notes.length,
      }),
    );
    if (form) {
      syncValue(nameField, cluster.name);
      setDisabled(nameField, !editable);
      setDisabled(rename, !editable);
    }
    fillNotes(app, list, notes, noteOptions);
  }
  return { element, update };
}

// --- Dot voting ----------------------------------------------------------------------------

function dotvoteView(app, activity) {
  const client = app.client;
  const left = h("p", { class: "ruche-ws-dots-left", "aria-live": "polite", "data-testid": "dots-left" });
  const items = h("ul", { class: "ruche-ws-items", "data-testid": "dot-items" });
  const resultsTitle = h("h3", { class: "fr-h6", text: gettext("Results") });
  const voters = h("p", { class: "fr-text--sm" });
  const ranking = h("ol", { class: "ruche-ws-ranking", "data-testid": "ranking" });
  const results = h("section", { class: "ruche-ws-results", hidden: true }, resultsTitle, voters, ranking);
  const element = h("div", { class: "ruche-ws-dotvote" }, left, items, results);

  function update(current, open) {
    const state = client.state;
    const { dots = 5, cap = 3 } = current.config;
    const list = itemsOf(state, current);
    const counts = new Map();
    for (const dot of Object.values(state.my_dots)) {
      if (dot.activity === current.id) counts.set(dot.item, dot.count);
    }
    for (const message of client.pending) {
      if (message.type === "dot.set" && message.activity === current.id) {
        counts.set(message.item, message.count);
      }
    }
    let used = 0;
    for (const count of counts.values()) used += count;
    const remaining = Math.max(0, dots - used);
    setText(
      left,
      interpolate(
        ngettext(
          "%(left)s dot left out of %(dots)s (at most %(cap)s per item)",
          "%(left)s dots left out of %(dots)s (at most %(cap)s per item)",
          remaining,
        ),
        { left: remaining, dots, cap },
      ),
    );
    reconcile(items, list, {
      key: (item) => item.id,
      create: (item) => dotItem(app, current, item),
      update: (li, item) => li.refresh(item, counts.get(item.id) || 0, { cap, remaining, open }),
    });
    show(results, current.revealed);
    if (current.revealed) {
      const total = state.dot_totals[current.id];
      setText(
        voters,
        total
          ? interpolate(ngettext("%(count)s person voted", "%(count)s people voted", total.voters), {
              count: total.voters,
            })
          : "",
      );
      const ranked = list
        .map((item) => ({ item, dots: (keyed(state.dot_counts, current.id, item.id) || {}).count || 0 }))
        .sort((a, b) => b.dots - a.dots);
      reconcile(ranking, ranked, {
        key: (row) => row.item.id,
        create: () => h("li", { class: "ruche-ws-rank" }),
        update: (li, row) =>
          setText(
            li,
            interpolate(ngettext("%(label)s: %(count)s dot", "%(label)s: %(count)s dots", row.dots), {
              label: row.item.label,
              count: row.dots,
            }),
          ),
      });
    }
  }
  return { element, update };
}

function dotItem(app, activity, initial) {
  const label = h("p", { class: "ruche-ws-item__label" });
  const count = h("span", { class: "ruche-ws-dot-count", "data-testid": "my-dots" });
  const pips = h("span", { class: "ruche-ws-pips", "aria-hidden": "true" });
  const minus = h("button", {
    type: "button",
    class: "fr-btn fr-btn--secondary fr-btn--sm ruche-ws-dot-button",
    "data-testid": "dot-remove",
    text: "−",
  });
  const plus = h("button", {
    type: "button",
    class: "fr-btn fr-btn--sm ruche-ws-dot-button",
    "data-testid": "dot-add",
    text: "+",
  });
  const error = errorSlot();
  const li = h(
    "li",
    { class: "ruche-ws-item", "data-testid": "dot-item", "data-item": initial.id },
    label,
    h("div", { class: "ruche-ws-dot-controls" }, minus, count, plus, pips),
    error,
  );
  let mine = 0;
  const set = (value) =>
    app.send("dot.set", { activity: activity.id, item: initial.id, count: value }, error);
  minus.addEventListener("click", () => mine > 0 && set(mine - 1));
  plus.addEventListener("click", () => set(mine + 1));
  li.refresh = (item, value, { cap, remaining, open }) => {
    mine = value;
    setText(label, item.label);
    setText(count, String(value));
    count.setAttribute(
      "aria-label",
      interpolate(ngettext("%(count)s dot from me", "%(count)s dots from me", value), {
        count: value,
      }),
    );
    setText(pips, "●".repeat(value) + "○".repeat(Math.max(0, cap - value)));
    minus.setAttribute(
      "aria-label",
      interpolate(gettext("Remove a dot from: %(label)s"), { label: item.label }),
    );
    plus.setAttribute(
      "aria-label",
      interpolate(gettext("Add a dot to: %(label)s"), { label: item.label }),
    );
    setDisabled(minus, !open || value <= 0);
    setDisabled(plus, !open || value >= cap || remaining <= 0);
  };
  return li;
}

// --- Impact / ease matrix ------------------------------------------------------------------

function matrixView(app, activity) {
  const client = app.client;
  const items = h("ul", { class: "ruche-ws-items", "data-testid": "matrix-items" });
  const element = h(
    "div",
    { class: "ruche-ws-matrix" },
    h("p", {
      class: "fr-text--sm",
      text: gettext("Rate each item from 0 to 10: how much it would change, how easy it is."),
    }),
    items,
  );
  function update(current, open) {
    const state = client.state;
    reconcile(items, itemsOf(state, current), {
      key: (item) => item.id,
      create: (item) => matrixItem(app, current, item),
      update: (li, item) => li.refresh(item, open),
    });
  }
  return { element, update };
}

// The same thresholds as activities/matrix.py: above 5 is "high".
function quadrantLabel(impact, ease) {
  const high = impact > 5;
  const easy = ease > 5;
  if (high && easy) return gettext("Quick win");
  if (high) return gettext("Major project");
  if (easy) return gettext("Fill-in");
  return gettext("Thankless task");
}

function matrixItem(app, activity, initial) {
  const client = app.client;
  const id = nextId("rate");
  const label = h("p", { class: "ruche-ws-item__label", id: `${id}-label` });
  const field = (name, text) => {
    const input = h("input", {
      class: "fr-input",
      type: "number",
      inputmode: "numeric",
      min: 0,
      max: 10,
      step: 1,
      id: `${id}-${name}`,
      "data-testid": `rating-${name}`,
      "aria-describedby": `${id}-label`,
    });
    const group = h(
      "div",
      { class: "fr-input-group ruche-ws-rating" },
      h("label", { class: "fr-label", for: input.id, text }),
      input,
    );
    return { input, group };
  };
  const impact = field("impact", gettext("Impact (0 to 10)"));
  const ease = field("ease", gettext("Ease (0 to 10)"));
  const average = h("p", { class: "fr-text--sm ruche-ws-average", "data-testid": "rating-average" });
  const status = h("p", { class: "fr-hint-text ruche-ws-rating-status" });
  const error = errorSlot();
  let incomplete = false; // one mark given, the other not yet
  const li = h(
    "li",
    { class: "ruche-ws-item", "data-testid": "matrix-item", "data-item": initial.id },
    label,
    h("div", { class: "ruche-ws-ratings" }, impact.group, ease.group),
    status,
    average,
    error,
  );
  const mark = (input) => {
    if (input.value === "") return null;
    const value = Number(input.value);
    return Number.isInteger(value) && value >= 0 && value <= 10 ? value : undefined;
  };
  const submit = () => {
    const a = mark(impact.input);
    const b = mark(ease.input);
    if (a === undefined || b === undefined) {
      showError(error, gettext("Give a whole number from 0 to 10."));
      return;
    }
    showError(error, "");
    incomplete = a === null || b === null;
    if (incomplete) {
      setText(status, gettext("Give both marks to save your rating."));
      return;
    }
    impact.input.dataset.synced = String(a);
    ease.input.dataset.synced = String(b);
    app.send("rating.set", { activity: activity.id, item: initial.id, impact: a, ease: b }, error);
  };
  impact.input.addEventListener("change", submit);
  ease.input.addEventListener("change", submit);
  li.refresh = (item, open) => {
    const state = client.state;
    setText(label, item.label);
    const pending = app.lastPending("rating.set", (m) => m.item === item.id);
    const mine = pending || keyed(state.my_ratings, activity.id, item.id);
    if (mine) {
      syncValue(impact.input, mine.impact);
      syncValue(ease.input, mine.ease);
    }
    let hint = "";
    if (pending) hint = gettext("Waiting to be sent");
    else if (incomplete) hint = gettext("Give both marks to save your rating.");
    else if (mine) hint = gettext("Your rating is saved.");
    setText(status, hint);
    const avg = keyed(state.rating_avgs, activity.id, item.id);
    setText(
      average,
      avg
        ? interpolate(
            ngettext(
              "Room average: impact %(impact)s, ease %(ease)s (%(count)s rating): %(quadrant)s",
              "Room average: impact %(impact)s, ease %(ease)s (%(count)s ratings): %(quadrant)s",
              avg.n,
            ),
            {
              impact: avg.impact.toLocaleString(document.documentElement.lang || "fr"),
              ease: avg.ease.toLocaleString(document.documentElement.lang || "fr"),
              count: avg.n,
              quadrant: quadrantLabel(avg.impact, avg.ease).toLowerCase(),
            },
          )
        : "",
    );
    setDisabled(impact.input, !open);
    setDisabled(ease.input, !open);
  };
  return li;
}

// --- Action plan ---------------------------------------------------------------------------

function actionplanView(app, activity) {
  const client = app.client;
  const list = h("div", { class: "ruche-ws-chantiers", "data-testid": "chantiers" });
  const empty = h("p", {
    class: "ruche-empty-state",
    text: gettext("The facilitator is preparing the chantiers."),
  });
  const element = h("div", { class: "ruche-ws-actionplan" }, empty, list);
  function update(current, open) {
    const chantiers = chantiersOf(client.state, current.id);
    show(empty, chantiers.length === 0);
    reconcile(list, chantiers, {
      key: (chantier) => chantier.id,
      create: (chantier) => chantierCard(app, current, chantier),
      update: (card, chantier) => card.refresh(chantier, open),
    });
  }
  return { element, update };
}

function formatDate(value) {
  if (!value) return "";
  const date = new Date(`${value}T00:00:00`);
  return date.toLocaleDateString(document.documentElement.lang || "fr", {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}

function chantierCard(app, activity, initial) {
  const client = app.client;
  const id = nextId("chantier");
  const title = h("h3", { class: "fr-h6", id: `${id}-title` });
  const details = h("dl", { class: "ruche-ws-details" });
  const select = h(
    "select",
    { class: "fr-select", id: `${id}-role`, "data-testid": "commitment-role" },
    ROLES().map(([value, label]) => h("option", { value, text: label })),
  );
  const people = h("p", { class: "fr-text--sm ruche-ws-people", "data-testid": "commitments" });
  const status = h("p", { class: "fr-hint-text" });
  const error = errorSlot();
  select.addEventListener("change", () => {
    select.dataset.synced = select.value;
    app.send(
      "commitment.set",
      { activity: activity.id, chantier: initial.id, role: select.value },
      error,
    );
  });
  const card = h(
    "article",
    {
      class: "ruche-ws-chantier",
      "aria-labelledby": title.id,
      "data-testid": "chantier",
      "data-chantier": initial.id,
    },
    title,
    details,
    h(
      "div",
      { class: "fr-select-group" },
      h("label", { class: "fr-label", for: select.id, text: gettext("My role on this chantier") }),
      select,
    ),
    status,
    people,
    error,
  );
  const roleLabel = (role) => (ROLES().find(([value]) => value === role) || [role, role])[1];
  card.refresh = (chantier, open) => {
    const state = client.state;
    setText(title, chantier.title);
    const rows = [
      [gettext("Pilot"), chantier.pilot],
      [gettext("Contributors"), chantier.contributors],
      [gettext("First steps"), chantier.first_steps],
      [gettext("Due on"), formatDate(chantier.due_on)],
    ].filter(([, value]) => value);
    reconcile(details, rows, {
      key: ([term]) => term,
      create: ([term]) => h("div", {}, h("dt", { text: term }), h("dd")),
      update: (row, [, value]) => setText(row.lastChild, value),
    });
    const pending = app.lastPending("commitment.set", (m) => m.chantier === chantier.id);
    const mine = pending ? pending.role : (state.my_commitments[chantier.id] || {}).role || "";
    syncValue(select, mine);
    setText(status, pending ? gettext("Waiting to be sent") : "");
    const signed = commitmentsOf(state, chantier.id).map((c) =>
      interpolate(gettext("%(name)s (%(role)s)"), {
        name: c.name || gettext("Anonymous"),
        role: roleLabel(c.role).toLowerCase(),
      }),
    );
    setText(
      people,
      signed.length
        ? interpolate(gettext("Signed up: %(people)s"), { people: signed.join(", ") })
        : gettext("Nobody has signed up yet."),
    );
    setDisabled(select, !open);
  };
  return card;
}

const VIEWS = {
  ideation: ideationView,
  grouping: groupingView,
  dotvote: dotvoteView,
  matrix: matrixView,
  actionplan: actionplanView,
};

// --- Start ---------------------------------------------------------------------------------

const root = document.getElementById("workshop-app");
if (root && root.dataset.view === "participant" && document.getElementById("workshop-state")) {
  window.rucheParticipant = new ParticipantView(root);
}
