// The participant's live view (mobile-first): the current activity, always.
//
// The page gives #workshop-app (data-view="participant", data-ws, optional
// data-attendee-name, data-synthesis-url and data-join-url), the embedded state and the live
// status element; this module draws everything inside #workshop-app and keeps it up to date.
// Each activity kind has its view in participant_ideation.js, participant_grouping.js or
// participant_items.js (dots, matrix, action plan): `build(app, activity)`
// returns {element, update(activity, open)}; `app` is the ParticipantView (send, client…).
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
  addStylesheet,
  h,
  nextId,
  ngettext,
  setText,
  show,
  showError,
} from "./participant_dom.js";
import { groupingView } from "./participant_grouping.js";
import { ideationView } from "./participant_ideation.js";
import { actionplanView, dotvoteView, matrixView } from "./participant_items.js";
import { currentActivity, workshopOf } from "./state.js";

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
