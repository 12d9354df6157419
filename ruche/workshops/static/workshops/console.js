// The facilitator console: runs the workshop (activities, reveal, lock, timer) and the
// current activity (notes, clusters, votes, matrix, chantiers), live.
//
// The whole console is drawn from the client state by `view()` and morphed into the page
// (render.js), so a live update never steals focus or erases what is being typed. Controls
// are plain buttons, forms and selects with `data-action`: one delegated listener per event
// type sends the matching message (protocol: docs/realtime.md). Every control works with
// the keyboard; dragging a note onto a cluster is a shortcut for its "Move to" menu.

import { WorkshopClient, formatSeconds, gettext, interpolate } from "./client.js";
import {
  QUADRANTS,
  ROLES,
  activities,
  chantiersOf,
  clustersOf,
  currentActivity,
  dotRanking,
  itemsOf,
  matrixRows,
  notesOf,
  peopleByRole,
  promptsOf,
  workshopOf,
} from "./state.js";
import { h, render, forget } from "./render.js";
import {
  kindLabel,
  ngettext,
  formatDate,
  personName,
  quadrantLabel,
  roleLabel,
  stateLabel,
} from "./labels.js";

const PRESETS = [2, 5, 10];
const MAX_ERRORS = 3;

const root = document.getElementById("workshop-app");
if (root && root.dataset.view === "console") startConsole(root);

function startConsole(root) {
  addStylesheet("console.css");
  ensureStatus(root);
  const app = h("div", { class: "ruche-console" });
  root.append(app);
  const ui = {
    errors: [],
    errorCount: 0,
    pending: 0,
    presence: null,
    editingNote: null,
    selected: new Set(), // notes ticked in the grouping
    chantierForm: null, // {id?, item?, title…} while the chantier form is open
  };
  let scheduled = null;
  const redraw = () => {
    // Events can arrive by the hundred per second in a big room: draw at most ~30 times.
    if (scheduled === null) scheduled = setTimeout(draw, 30);
  };
  const client = new WorkshopClient(root, {
    onChange: redraw,
    onPresence: (count) => {
      ui.presence = count;
      redraw();
    },
    onPending: (count) => {
      if (count !== ui.pending) {
        ui.pending = count;
        redraw();
      }
    },
    onError: (error) => {
      ui.errorCount += 1;
      ui.errors = [...ui.errors, { key: ui.errorCount, message: error.message || error.code }];
      ui.errors = ui.errors.slice(-MAX_ERRORS);
      redraw();
    },
  });
  const links = {
    projection: root.dataset.projectionUrl || `/ateliers/${client.workshopId}/projection/`,
    synthesis: root.dataset.synthesisUrl || `/ateliers/${client.workshopId}/synthese/`,
  };

  function draw() {
    scheduled = null;
    render(app, view(client.state, ui, root, links));
    tick();
  }

  function tick() {
    const remaining = client.timerRemaining();
    for (const element of app.querySelectorAll("[data-role=timer]")) {
      element.textContent = remaining === null ? "--:--" : formatSeconds(remaining);
      element.dataset.finished = String(remaining === 0);
    }
  }

  // Sends a message; a refusal is shown by onError, so the promise only tells success.
  const send = (type, fields) =>
    client.send(type, fields).then(
      () => true,
      () => false,
    );

  const actions = buildActions(client, ui, send, redraw);
  app.addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (!control || !app.contains(control)) return;
    if (control.matches("form, select, input[type=checkbox]")) return;
    const action = actions[control.dataset.action];
    if (action) action(control, event);
  });
  app.addEventListener("change", (event) => {
    const control = event.target;
    if (!control.matches("select[data-action], input[type=checkbox][data-action]")) return;
    const action = actions[control.dataset.action];
    if (action) action(control, event);
  });
  app.addEventListener("submit", (event) => {
    const form = event.target;
    const action = actions[form.dataset.action];
    if (!action) return;
    event.preventDefault();
    action(form, event);
  });
  bindDragAndDrop(app, actions);
  draw();
  setInterval(tick, 1000);
}

// The view's styles travel with its script (the templates load only the pages' styles).
function addStylesheet(name) {
  const href = new URL(name, import.meta.url).href;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(h("link", { rel: "stylesheet", href }));
}

// A page without the template's status element still shows the connection's state.
function ensureStatus(root) {
  if (document.getElementById("workshop-live-status")) return;
  const labels = {
    connecting: gettext("Connecting…"),
    reconnecting: gettext("Reconnecting…"),
    online: gettext("Live"),
    offline: gettext("Connection lost, retrying…"),
    forbidden: gettext("Live updates not allowed"),
  };
  root.prepend(
    h(
      "p",
      {
        id: "workshop-live-status",
        class: "fr-badge fr-badge--sm fr-badge--info ruche-live-status",
        role: "status",
        "aria-live": "polite",
        "data-labels": JSON.stringify(labels),
      },
      labels.connecting,
    ),
  );
}

// --- Actions ----------------------------------------------------------------------------

function buildActions(client, ui, send, redraw) {
  const state = () => client.state;
  const current = () => currentActivity(state());
  const formValue = (form, name) => (form.elements[name] ? form.elements[name].value : "");

  return {
    "dismiss-error": (button) => {
      ui.errors = ui.errors.filter((error) => String(error.key) !== button.dataset.key);
      redraw();
    },
    "activity-open": (button) => send("activity.open", { activity: button.dataset.activity }),
    "activity-reveal": (button) =>
      send("activity.reveal", {
        activity: button.dataset.activity,
        revealed: button.dataset.revealed === "true",
      }),
    lock: (button) => send("workshop.lock", { locked: button.dataset.locked === "true" }),

    "timer-start": (button) => send("timer.start", { seconds: Number(button.dataset.seconds) }),
    "timer-form": (form) => {
      const minutes = Number(formValue(form, "minutes").replace(",", "."));
      if (!(minutes > 0)) return;
      send("timer.start", { seconds: Math.round(minutes * 60) });
    },
    "timer-pause": () => send("timer.pause"),
    "timer-resume": () => send("timer.resume"),
    "timer-add": (button) => send("timer.add", { seconds: Number(button.dataset.seconds) }),
    "timer-reset": () => send("timer.reset"),

    // Ideation
    "note-edit": (button) => {
      ui.editingNote = button.dataset.note;
      redraw();
      setTimeout(() => {
        const field = document.getElementById(`note-text-${button.dataset.note}`);
        if (field) field.focus();
      }, 60);
    },
    "note-edit-cancel": () => {
      ui.editingNote = null;
      redraw();
    },
    "note-save": async (form) => {
      const ok = await send("note.edit", {
        activity: form.dataset.activity,
        note: form.dataset.note,
        text: formValue(form, "text"),
      });
      if (ok) {
        ui.editingNote = null;
        redraw();
      }
    },
    "note-hide": (button) =>
      send("note.hide", {
        activity: button.dataset.activity,
        note: button.dataset.note,
        hidden: button.dataset.hidden === "true",
      }),

    // Grouping
    "note-select": (box) => {
      if (box.checked) ui.selected.add(box.dataset.note);
      else ui.selected.delete(box.dataset.note);
      redraw();
    },
    "note-move": (select) => moveNote(select.dataset.activity, select.dataset.note, select.value),
    "cluster-add": async (form) => {
      const notes = [...ui.selected];
      const ok = await send("cluster.add", {
        activity: form.dataset.activity,
        name: formValue(form, "name"),
        notes,
      });
      if (ok) {
        notes.forEach((id) => ui.selected.delete(id));
        form.reset();
        forget(form.elements.name);
        redraw();
      }
    },
    "cluster-rename": async (form) => {
      const ok = await send("cluster.rename", {
        activity: form.dataset.activity,
        cluster: form.dataset.cluster,
        name: formValue(form, "name"),
      });
      if (ok) forget(form.elements.name);
    },
    "cluster-merge": (form) => {
      const into = formValue(form, "into");
      if (!into) return;
      send("cluster.merge", {
        activity: form.dataset.activity,
        cluster: form.dataset.cluster,
        into,
      });
    },
    "cluster-split": async (button) => {
      const cluster = button.dataset.cluster;
      const notes = [...ui.selected].filter((id) => {
        const note = state().notes[id];
        return note && note.cluster === cluster;
      });
      if (!notes.length) return;
      const ok = await send("cluster.split", {
        activity: button.dataset.activity,
        cluster,
        notes,
        name: "",
      });
      if (ok) {
        notes.forEach((id) => ui.selected.delete(id));
        redraw();
      }
    },
    "cluster-delete": (button) => {
      if (!window.confirm(gettext("Delete this cluster? Its notes become ungrouped."))) return;
      send("cluster.delete", { activity: button.dataset.activity, cluster: button.dataset.cluster });
    },
    "drop-note": (target, noteId) => {
      const activity = current();
      if (activity) moveNote(activity.id, noteId, target.dataset.dropCluster);
    },

    // Action plan
    "chantier-new": (button) => {
      const item = button.dataset.item || null;
      ui.chantierForm = { item, title: button.dataset.title || "" };
      redraw();
      focusSoon("chantier-title");
    },
    "chantier-edit": (button) => {
      const chantier = state().chantiers[button.dataset.chantier];
      if (!chantier) return;
      ui.chantierForm = { ...chantier };
      redraw();
      focusSoon("chantier-title");
    },
    "chantier-cancel": () => {
      ui.chantierForm = null;
      redraw();
    },
    "chantier-save": async (form) => {
      const editing = ui.chantierForm && ui.chantierForm.id;
      const fields = {
        activity: form.dataset.activity,
        title: formValue(form, "title"),
        pilot: formValue(form, "pilot"),
        contributors: formValue(form, "contributors"),
        first_steps: formValue(form, "first_steps"),
        due_on: formValue(form, "due_on") || null,
      };
      let ok;
      if (editing) ok = await send("chantier.edit", { chantier: ui.chantierForm.id, ...fields });
      else {
        if (ui.chantierForm && ui.chantierForm.item) fields.item = ui.chantierForm.item;
        ok = await send("chantier.add", fields);
      }
      if (ok) {
        ui.chantierForm = null;
        redraw();
      }
    },
    "chantier-delete": (button) => {
      if (!window.confirm(gettext("Delete this chantier and its sign-ups?"))) return;
      send("chantier.delete", {
        activity: button.dataset.activity,
        chantier: button.dataset.chantier,
      });
    },
  };

  function moveNote(activity, note, cluster) {
    return send("note.move", { activity, note, cluster: cluster || null });
  }
}

function focusSoon(id) {
  setTimeout(() => {
    const field = document.getElementById(id);
    if (field) field.focus();
  }, 60);
}

// Dragging a note onto a cluster (or "Not grouped") moves it; the note's menu does the same
// from the keyboard.
function bindDragAndDrop(app, actions) {
  app.addEventListener("dragstart", (event) => {
    const note = event.target.closest && event.target.closest("[data-drag-note]");
    if (!note) return;
    event.dataTransfer.setData("text/x-ruche-note", note.dataset.dragNote);
    event.dataTransfer.effectAllowed = "move";
  });
  app.addEventListener("dragover", (event) => {
    const target = event.target.closest && event.target.closest("[data-drop-cluster]");
    if (!target || !event.dataTransfer.types.includes("text/x-ruche-note")) return;
    event.preventDefault();
    target.classList.add("ruche-drop-target");
  });
  app.addEventListener("dragleave", (event) => {
    const target = event.target.closest && event.target.closest("[data-drop-cluster]");
    if (target && !target.contains(event.relatedTarget)) {
      target.classList.remove("ruche-drop-target");
    }
  });
  app.addEventListener("drop", (event) => {
    const target = event.target.closest && event.target.closest("[data-drop-cluster]");
    if (!target) return;
    event.preventDefault();
    target.classList.remove("ruche-drop-target");
    const noteId = event.dataTransfer.getData("text/x-ruche-note");
    if (noteId) actions["drop-note"](target, noteId);
  });
}

// --- View -------------------------------------------------------------------------------

function view(state, ui, root, links) {
  const workshop = workshopOf(state);
  const current = currentActivity(state);
  return [
    errorsView(ui),
    h(
      "div",
      { class: "fr-grid-row fr-grid-row--gutters" },
      h(
        "div",
        { class: "fr-col-12 fr-col-lg-4" },
        overview(workshop, ui, root, links),
        activityList(state, workshop, current),
      ),
      h(
        "div",
        { class: "fr-col-12 fr-col-lg-8" },
        timerPanel(workshop),
        current ? currentPanel(state, current, ui) : noActivity(),
      ),
    ),
  ];
}

function errorsView(ui) {
  return h(
    "div",
    { class: "ruche-console-errors", role: "alert", "data-testid": "console-errors" },
    ui.errors.map((error) =>
      h(
        "div",
        { key: error.key, class: "fr-alert fr-alert--error fr-alert--sm fr-mb-1w" },
        h("p", {}, error.message),
        h(
          "button",
          {
            type: "button",
            class: "fr-link--close fr-link",
            "data-action": "dismiss-error",
            "data-key": error.key,
            title: gettext("Close this message"),
          },
          gettext("Close this message"),
        ),
      ),
    ),
  );
}

function overview(workshop, ui, root, links) {
  // The page's template may already show the join panel (code, QR code) and the projection
  // link; what it does not show is drawn here.
  const joinUrl = root.dataset.joinUrl;
  const templateJoin = document.querySelector("[data-testid=join-panel]");
  const templateProjection = document.querySelector("[data-testid=projection-link]");
  const locked = workshop.input_locked;
  return h(
    "section",
    { class: "ruche-console-panel", "aria-labelledby": "console-room-title" },
    h("h2", { id: "console-room-title", class: "fr-h5" }, gettext("The room")),
    h(
      "p",
      { class: "fr-mb-1w" },
      h(
        "span",
        {
          class: `fr-badge fr-badge--sm ${workshop.state === "live" ? "fr-badge--success" : ""}`,
          "data-testid": "console-state",
        },
        stateLabel(workshop.state),
      ),
      " ",
      locked
        ? h(
            "span",
            { class: "fr-badge fr-badge--sm fr-badge--warning", "data-testid": "input-locked" },
            gettext("Input locked"),
          )
        : null,
    ),
    h(
      "p",
      { "data-testid": "presence" },
      ui.presence === null
        ? gettext("Counting the people connected…")
        : interpolate(
            ngettext(
              "%(count)s participant connected",
              "%(count)s participants connected",
              ui.presence,
            ),
            { count: ui.presence },
          ),
    ),
    ui.pending
      ? h(
          "p",
          { class: "fr-text--sm ruche-console-pending" },
          interpolate(
            ngettext(
              "%(count)s change waiting to be sent",
              "%(count)s changes waiting to be sent",
              ui.pending,
            ),
            { count: ui.pending },
          ),
        )
      : null,
    workshop.state === "draft"
      ? h(
          "p",
          { class: "fr-text--sm" },
          gettext("The workshop is in preparation: participants cannot join yet."),
        )
      : null,
    templateJoin
      ? null
      : h(
          "dl",
          { class: "ruche-console-join-code" },
          h("dt", {}, gettext("Join code")),
          h("dd", { class: "ruche-console-code", "data-testid": "join-code" }, workshop.code),
          joinUrl ? h("dt", {}, gettext("Join link")) : null,
          joinUrl ? h("dd", {}, h("a", { href: joinUrl }, absolute(joinUrl))) : null,
        ),
    h(
      "div",
      { class: "fr-btns-group fr-btns-group--sm" },
      h(
        "button",
        {
          type: "button",
          class: `fr-btn ${locked ? "" : "fr-btn--secondary"}`,
          "data-action": "lock",
          "data-locked": String(!locked),
          "aria-pressed": String(locked),
          "data-testid": "lock",
        },
        locked ? gettext("Unlock input") : gettext("Lock input"),
      ),
      templateProjection
        ? null
        : h(
            "a",
            {
              class: "fr-btn fr-btn--tertiary",
              href: links.projection,
              target: "_blank",
              rel: "noopener",
              "data-testid": "projection-link",
            },
            gettext("Open the projection"),
            h("span", { class: "fr-sr-only" }, ` (${gettext("new window")})`),
          ),
      h(
        "a",
        { class: "fr-btn fr-btn--tertiary", href: links.synthesis, "data-testid": "synthesis-link" },
        gettext("Synthesis"),
      ),
    ),
  );
}

function absolute(url) {
  try {
    return new URL(url, location.href).href;
  } catch {
    return url;
  }
}

function activityList(state, workshop, current) {
  const list = activities(state);
  return h(
    "section",
    { class: "ruche-console-panel", "aria-labelledby": "console-activities-title" },
    h("h2", { id: "console-activities-title", class: "fr-h5" }, gettext("Activities")),
    h(
      "ol",
      { class: "ruche-console-activities", "data-testid": "activity-list" },
      list.map((activity) => {
        const isCurrent = current && current.id === activity.id;
        const revealable = activity.kind === "ideation" || activity.kind === "dotvote";
        return h(
          "li",
          {
            key: activity.id,
            class: `ruche-console-activity${isCurrent ? " is-current" : ""}`,
            "aria-current": isCurrent ? "step" : null,
            "data-testid": "activity",
          },
          h(
            "p",
            { class: "fr-mb-0" },
            h("strong", {}, activity.title),
            h("br"),
            h("span", { class: "fr-text--xs" }, kindLabel(activity.kind)),
          ),
          h(
            "p",
            { class: "fr-mb-1v" },
            isCurrent
              ? h("span", { class: "fr-badge fr-badge--sm fr-badge--info" }, gettext("Current"))
              : null,
            revealable && activity.revealed
              ? h(
                  "span",
                  { class: "fr-badge fr-badge--sm fr-badge--success fr-ml-1v" },
                  gettext("Results shown"),
                )
              : null,
          ),
          h(
            "div",
            { class: "ruche-console-row" },
            isCurrent
              ? null
              : h(
                  "button",
                  {
                    type: "button",
                    class: "fr-btn fr-btn--sm fr-btn--secondary",
                    "data-action": "activity-open",
                    "data-activity": activity.id,
                    "aria-label": interpolate(gettext("Open the activity “%(title)s”"), {
                      title: activity.title,
                    }),
                  },
                  gettext("Open"),
                ),
            revealable ? revealButton(activity) : null,
          ),
        );
      }),
    ),
    navigation(list, current),
  );
}

function revealButton(activity) {
  return h(
    "button",
    {
      type: "button",
      class: `fr-btn fr-btn--sm ${activity.revealed ? "fr-btn--tertiary" : ""}`,
      "data-action": "activity-reveal",
      "data-activity": activity.id,
      "data-revealed": String(!activity.revealed),
      "aria-label": interpolate(
        activity.revealed
          ? gettext("Hide the results of “%(title)s”")
          : gettext("Reveal the results of “%(title)s”"),
        { title: activity.title },
      ),
      "data-testid": "reveal",
    },
    activity.revealed ? gettext("Hide results") : gettext("Reveal results"),
  );
}

function navigation(list, current) {
  const index = current ? list.findIndex((activity) => activity.id === current.id) : -1;
  const previous = index > 0 ? list[index - 1] : null;
  const next = index + 1 < list.length ? list[index + 1] : null;
  return h(
    "div",
    { class: "fr-btns-group fr-btns-group--inline fr-btns-group--sm" },
    h(
      "button",
      {
        type: "button",
        class: "fr-btn fr-btn--secondary",
        "data-action": "activity-open",
        "data-activity": previous ? previous.id : "",
        disabled: !previous,
      },
      gettext("Previous activity"),
    ),
    h(
      "button",
      {
        type: "button",
        class: "fr-btn",
        "data-action": "activity-open",
        "data-activity": next ? next.id : "",
        disabled: !next,
        "data-testid": "next-activity",
      },
      gettext("Next activity"),
    ),
  );
}

function timerPanel(workshop) {
  const timer = workshop.timer;
  const running = Boolean(timer.ends_at) && timer.remaining !== 0;
  const paused = !timer.ends_at && Boolean(timer.remaining);
  const set = timer.total !== null || timer.remaining !== null;
  const button = (label, action, props = {}) =>
    h("button", { type: "button", class: "fr-btn fr-btn--sm fr-btn--secondary", "data-action": action, ...props }, label);
  return h(
    "section",
    { class: "ruche-console-panel", "aria-labelledby": "console-timer-title" },
    h("h2", { id: "console-timer-title", class: "fr-h5" }, gettext("Timer")),
    h(
      "div",
      { class: "ruche-console-timer-row" },
      h(
        "p",
        {
          class: "ruche-console-timer",
          role: "timer",
          "aria-label": gettext("Time left"),
          "data-role": "timer",
          "data-own-text": true,
          "data-testid": "console-timer",
        },
        "--:--",
      ),
      h(
        "p",
        { class: "fr-text--sm fr-mb-0", "data-testid": "timer-state" },
        running ? gettext("Running") : paused ? gettext("Paused") : set ? gettext("Stopped") : "",
      ),
    ),
    h(
      "div",
      { class: "ruche-console-row" },
      PRESETS.map((minutes) =>
        button(interpolate(gettext("%(minutes)s min"), { minutes }), "timer-start", {
          "data-seconds": minutes * 60,
          "aria-label": interpolate(gettext("Start the timer for %(minutes)s minutes"), {
            minutes,
          }),
        }),
      ),
      h(
        "form",
        { class: "ruche-console-inline-form", "data-action": "timer-form" },
        h("label", { class: "fr-label", for: "timer-minutes" }, gettext("Minutes")),
        h("input", {
          class: "fr-input",
          id: "timer-minutes",
          name: "minutes",
          type: "number",
          min: "1",
          max: "240",
          step: "1",
          inputmode: "numeric",
          required: true,
        }),
        h(
          "button",
          { type: "submit", class: "fr-btn fr-btn--sm", "data-testid": "timer-start" },
          gettext("Start"),
        ),
      ),
    ),
    h(
      "div",
      { class: "ruche-console-row" },
      button(gettext("Pause"), "timer-pause", { disabled: !running }),
      button(gettext("Resume"), "timer-resume", { disabled: !paused }),
      button(gettext("+1 min"), "timer-add", {
        "data-seconds": 60,
        disabled: !set,
        "aria-label": gettext("Add one minute"),
      }),
      button(gettext("−1 min"), "timer-add", {
        "data-seconds": -60,
        disabled: !set,
        "aria-label": gettext("Remove one minute"),
      }),
      button(gettext("Reset"), "timer-reset", { disabled: !set }),
    ),
  );
}

function noActivity() {
  return h(
    "section",
    { class: "ruche-console-panel" },
    h("p", {}, gettext("No activity is open. Open one from the list.")),
  );
}

function currentPanel(state, activity, ui) {
  const body = {
    ideation: ideationControls,
    grouping: groupingControls,
    dotvote: dotvoteControls,
    matrix: matrixControls,
    actionplan: actionplanControls,
  }[activity.kind];
  return h(
    "section",
    {
      key: activity.id,
      class: "ruche-console-panel",
      "aria-labelledby": "console-current-title",
      "data-testid": "current-activity",
      "data-kind": activity.kind,
    },
    h(
      "h2",
      { id: "console-current-title", class: "fr-h4" },
      activity.title,
      " ",
      h("span", { class: "fr-text--sm ruche-console-kind" }, kindLabel(activity.kind)),
    ),
    activity.instructions ? h("p", { class: "fr-text--sm" }, activity.instructions) : null,
    body ? body(state, activity, ui) : null,
  );
}

// --- Ideation -----------------------------------------------------------------------------

function ideationControls(state, activity, ui) {
  return [
    h(
      "p",
      { class: "fr-text--sm" },
      activity.revealed
        ? gettext("The notes are shown to the room.")
        : gettext("The room sees only how many notes there are; you see their texts."),
      " ",
      revealButton(activity),
    ),
    h(
      "div",
      { class: "ruche-console-columns" },
      promptsOf(state, activity.id).map((prompt) => {
        const notes = notesOf(state, activity.id, { promptId: prompt.id, visibleOnly: false });
        const hidden = notes.filter((note) => note.hidden).length;
        return h(
          "section",
          { key: prompt.id, class: "ruche-console-column", "data-testid": "prompt" },
          h(
            "h3",
            { class: "fr-h6" },
            prompt.text,
            " ",
            h(
              "span",
              { class: "fr-badge fr-badge--sm", "data-testid": "prompt-count" },
              interpolate(ngettext("%(count)s note", "%(count)s notes", notes.length), {
                count: notes.length,
              }),
            ),
            hidden
              ? h(
                  "span",
                  { class: "fr-badge fr-badge--sm fr-badge--warning fr-ml-1v" },
                  interpolate(ngettext("%(count)s hidden", "%(count)s hidden", hidden), {
                    count: hidden,
                  }),
                )
              : null,
          ),
          notes.length
            ? h(
                "ul",
                { class: "ruche-console-notes" },
                notes.map((note) => noteControls(activity, note, ui)),
              )
            : h("p", { class: "fr-text--sm ruche-console-muted" }, gettext("No notes yet.")),
        );
      }),
    ),
  ];
}

function noteText(note) {
  return note.masked ? gettext("(text not available)") : note.text;
}

function noteControls(activity, note, ui) {
  if (ui.editingNote === note.id) {
    return h(
      "li",
      { key: `${note.id}-edit`, class: "ruche-console-note" },
      h(
        "form",
        { "data-action": "note-save", "data-note": note.id, "data-activity": activity.id },
        h("label", { class: "fr-label", for: `note-text-${note.id}` }, gettext("Text of the note")),
        h("textarea", { class: "fr-input", id: `note-text-${note.id}`, name: "text", maxlength: "500", rows: "3", required: true }, note.text || ""),
        h(
          "div",
          { class: "ruche-console-row fr-mt-1v" },
          h("button", { type: "submit", class: "fr-btn fr-btn--sm" }, gettext("Save")),
          h(
            "button",
            { type: "button", class: "fr-btn fr-btn--sm fr-btn--tertiary", "data-action": "note-edit-cancel" },
            gettext("Cancel"),
          ),
        ),
      ),
    );
  }
  return h(
    "li",
    {
      key: note.id,
      class: `ruche-console-note${note.hidden ? " is-hidden" : ""}`,
      "data-testid": "console-note",
    },
    h("p", { class: "fr-mb-1v" }, noteText(note)),
    note.author_name ? h("p", { class: "fr-text--xs fr-mb-1v" }, note.author_name) : null,
    note.hidden
      ? h("p", { class: "fr-badge fr-badge--sm fr-badge--warning" }, gettext("Hidden from the room"))
      : null,
    h(
      "div",
      { class: "ruche-console-row" },
      h(
        "button",
        {
          type: "button",
          class: "fr-btn fr-btn--sm fr-btn--tertiary",
          "data-action": "note-edit",
          "data-note": note.id,
          disabled: note.masked,
        },
        gettext("Edit"),
      ),
      h(
        "button",
        {
          type: "button",
          class: "fr-btn fr-btn--sm fr-btn--tertiary",
          "data-action": "note-hide",
          "data-note": note.id,
          "data-activity": activity.id,
          "data-hidden": String(!note.hidden),
        },
        note.hidden ? gettext("Show") : gettext("Hide"),
      ),
    ),
  );
}

// --- Grouping -----------------------------------------------------------------------------

function groupingControls(state, activity, ui) {
  const source = activity.source ? state.activities[activity.source] : null;
  if (!source) return h("p", {}, gettext("This activity has no notes to group."));
  const notes = notesOf(state, source.id, { visibleOnly: false }).filter((note) => !note.hidden);
  const clusters = clustersOf(state, activity.id);
  const selected = notes.filter((note) => ui.selected.has(note.id));
  const ungrouped = notes.filter((note) => !note.cluster || !state.clusters[note.cluster]);
  const everyone = activity.config && activity.config.who === "everyone";
  return [
    h(
      "p",
      { class: "fr-text--sm" },
      everyone
        ? gettext("Everyone can group the notes.")
        : gettext("Only you group the notes; the room watches."),
      " ",
      gettext(
        "Tick notes then create a cluster with them, or move each note with its menu (or drag it).",
      ),
    ),
    h(
      "form",
      {
        class: "ruche-console-inline-form fr-mb-2w",
        "data-action": "cluster-add",
        "data-activity": activity.id,
        "data-testid": "cluster-add",
      },
      h("label", { class: "fr-label", for: "new-cluster-name" }, gettext("Name of the new cluster")),
      h("input", { class: "fr-input", id: "new-cluster-name", name: "name", maxlength: "200" }),
      h(
        "button",
        { type: "submit", class: "fr-btn fr-btn--sm" },
        selected.length
          ? interpolate(
              ngettext(
                "Create a cluster with %(count)s ticked note",
                "Create a cluster with %(count)s ticked notes",
                selected.length,
              ),
              { count: selected.length },
            )
          : gettext("Create an empty cluster"),
      ),
    ),
    h(
      "div",
      { class: "ruche-console-board" },
      h(
        "section",
        {
          key: "ungrouped",
          class: "ruche-console-column",
          "data-drop-cluster": "",
          "data-testid": "ungrouped",
        },
        h(
          "h3",
          { class: "fr-h6" },
          gettext("Not grouped"),
          " ",
          h("span", { class: "fr-badge fr-badge--sm" }, String(ungrouped.length)),
        ),
        groupedNotes(activity, ungrouped, clusters, ui),
      ),
      clusters.map((cluster) =>
        clusterControls(
          activity,
          cluster,
          notes.filter((note) => note.cluster === cluster.id),
          clusters,
          ui,
        ),
      ),
    ),
  ];
}

function groupedNotes(activity, notes, clusters, ui) {
  if (!notes.length) return h("p", { class: "fr-text--sm ruche-console-muted" }, gettext("No notes."));
  return h(
    "ul",
    { class: "ruche-console-notes" },
    notes.map((note) =>
      h(
        "li",
        {
          key: note.id,
          class: "ruche-console-note",
          draggable: "true",
          "data-drag-note": note.id,
          "data-testid": "grouping-note",
        },
        h(
          "div",
          { class: "fr-checkbox-group fr-checkbox-group--sm" },
          h("input", {
            type: "checkbox",
            id: `select-${note.id}`,
            "data-action": "note-select",
            "data-note": note.id,
            checked: ui.selected.has(note.id),
          }),
          h("label", { class: "fr-label", for: `select-${note.id}` }, noteText(note)),
        ),
        h(
          "select",
          {
            class: "fr-select fr-select--sm ruche-console-move",
            "data-action": "note-move",
            "data-note": note.id,
            "data-activity": activity.id,
            "aria-label": interpolate(gettext("Move “%(note)s” to"), {
              note: truncateText(noteText(note), 40),
            }),
          },
          h("option", { value: "", selected: !note.cluster }, gettext("Not grouped")),
          clusters.map((cluster) =>
            h(
              "option",
              { value: cluster.id, selected: note.cluster === cluster.id },
              clusterName(cluster),
            ),
          ),
        ),
      ),
    ),
  );
}

function truncateText(text, length) {
  const value = text || "";
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}

function clusterName(cluster) {
  return cluster.name || gettext("Unnamed cluster");
}

function clusterControls(activity, cluster, notes, clusters, ui) {
  const ticked = notes.filter((note) => ui.selected.has(note.id)).length;
  const others = clusters.filter((other) => other.id !== cluster.id);
  return h(
    "section",
    {
      key: cluster.id,
      class: "ruche-console-column ruche-console-cluster",
      "data-drop-cluster": cluster.id,
      "data-testid": "cluster",
    },
    h(
      "h3",
      { class: "fr-h6" },
      clusterName(cluster),
      " ",
      h("span", { class: "fr-badge fr-badge--sm" }, String(notes.length)),
    ),
    h(
      "form",
      {
        class: "ruche-console-inline-form",
        "data-action": "cluster-rename",
        "data-cluster": cluster.id,
        "data-activity": activity.id,
      },
      h("label", { class: "fr-label fr-sr-only", for: `cluster-name-${cluster.id}` }, gettext("Cluster name")),
      h("input", {
        class: "fr-input",
        id: `cluster-name-${cluster.id}`,
        name: "name",
        maxlength: "200",
        value: cluster.name,
        placeholder: gettext("Unnamed cluster"),
      }),
      h("button", { type: "submit", class: "fr-btn fr-btn--sm fr-btn--secondary" }, gettext("Rename")),
    ),
    groupedNotes(activity, notes, clusters, ui),
    h(
      "div",
      { class: "ruche-console-row" },
      h(
        "button",
        {
          type: "button",
          class: "fr-btn fr-btn--sm fr-btn--tertiary",
          "data-action": "cluster-split",
          "data-cluster": cluster.id,
          "data-activity": activity.id,
          disabled: !ticked,
        },
        gettext("Split off the ticked notes"),
      ),
      h(
        "button",
        {
          type: "button",
          class: "fr-btn fr-btn--sm fr-btn--tertiary",
          "data-action": "cluster-delete",
          "data-cluster": cluster.id,
          "data-activity": activity.id,
        },
        gettext("Delete"),
      ),
    ),
    others.length
      ? h(
          "form",
          {
            class: "ruche-console-inline-form",
            "data-action": "cluster-merge",
            "data-cluster": cluster.id,
            "data-activity": activity.id,
          },
          h("label", { class: "fr-label", for: `merge-${cluster.id}` }, gettext("Merge into")),
          h(
            "select",
            { class: "fr-select fr-select--sm", id: `merge-${cluster.id}`, name: "into" },
            others.map((other) => h("option", { value: other.id }, clusterName(other))),
          ),
          h("button", { type: "submit", class: "fr-btn fr-btn--sm fr-btn--tertiary" }, gettext("Merge")),
        )
      : null,
  );
}

// --- Dot voting ---------------------------------------------------------------------------

function dotvoteControls(state, activity) {
  const totals = state.dot_totals[activity.id] || { dots: 0, voters: 0 };
  const ranking = dotRanking(state, activity);
  const top = Math.max(1, ...ranking.map((row) => row.dots));
  const config = activity.config || {};
  return [
    h(
      "p",
      { "data-testid": "dot-totals" },
      interpolate(ngettext("%(count)s voter", "%(count)s voters", totals.voters), {
        count: totals.voters,
      }),
      " · ",
      interpolate(ngettext("%(count)s dot placed", "%(count)s dots placed", totals.dots), {
        count: totals.dots,
      }),
      config.dots
        ? ` · ${interpolate(gettext("%(dots)s dots each, at most %(cap)s on one item"), config)}`
        : "",
    ),
    h(
      "p",
      { class: "fr-text--sm" },
      activity.revealed
        ? gettext("The ranking is shown to the room.")
        : gettext("The room does not see the results yet; you see them live."),
      " ",
      revealButton(activity),
    ),
    ranking.length
      ? h(
          "div",
          { class: "fr-table fr-table--sm" },
          h(
            "table",
            { "data-testid": "ranking" },
            h("caption", {}, gettext("Ranking")),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", { scope: "col" }, gettext("Rank")),
                h("th", { scope: "col" }, gettext("Item")),
                h("th", { scope: "col" }, gettext("Dots")),
              ),
            ),
            h(
              "tbody",
              {},
              ranking.map((row, index) =>
                h(
                  "tr",
                  { key: row.id },
                  h("td", {}, String(index + 1)),
                  h("td", {}, row.label),
                  h(
                    "td",
                    {},
                    h(
                      "span",
                      { class: "ruche-console-bar", style: { "--share": row.dots / top } },
                      String(row.dots),
                    ),
                  ),
                ),
              ),
            ),
          ),
        )
      : h("p", {}, gettext("No items to vote on.")),
  ];
}

// --- Matrix -------------------------------------------------------------------------------

function matrixControls(state, activity) {
  const { quadrants, unrated } = matrixRows(state, activity);
  const number = (value) => value.toLocaleString(undefined, { maximumFractionDigits: 1 });
  return [
    h(
      "div",
      { class: "fr-table fr-table--sm" },
      h(
        "table",
        { "data-testid": "matrix-averages" },
        h("caption", {}, gettext("Average ratings (0 to 10)")),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, gettext("Item")),
            h("th", { scope: "col" }, gettext("Impact")),
            h("th", { scope: "col" }, gettext("Ease")),
            h("th", { scope: "col" }, gettext("Ratings")),
            h("th", { scope: "col" }, gettext("Quadrant")),
          ),
        ),
        h(
          "tbody",
          {},
          QUADRANTS.flatMap((key) =>
            quadrants[key].map((row) =>
              h(
                "tr",
                { key: row.id },
                h("td", {}, row.label),
                h("td", {}, number(row.impact)),
                h("td", {}, number(row.ease)),
                h("td", {}, String(row.n)),
                h("td", {}, quadrantLabel(key)),
              ),
            ),
          ),
          unrated.map((item) =>
            h(
              "tr",
              { key: item.id },
              h("td", {}, item.label),
              h("td", {}, "—"),
              h("td", {}, "—"),
              h("td", {}, "0"),
              h("td", {}, gettext("Not rated yet")),
            ),
          ),
        ),
      ),
    ),
  ];
}

// --- Action plan --------------------------------------------------------------------------

function actionplanControls(state, activity, ui) {
  const chantiers = chantiersOf(state, activity.id);
  const items = itemsOf(state, activity);
  const withChantier = new Set(chantiers.map((chantier) => chantier.item));
  return [
    h(
      "section",
      { class: "fr-mb-2w", "aria-labelledby": "chantier-sources-title" },
      h("h3", { id: "chantier-sources-title", class: "fr-h6" }, gettext("Create a chantier")),
      items.length
        ? h(
            "ul",
            { class: "ruche-console-items" },
            items.map((item) =>
              h(
                "li",
                { key: item.id },
                h("span", {}, item.label),
                withChantier.has(item.id)
                  ? h("span", { class: "fr-badge fr-badge--sm fr-ml-1v" }, gettext("Has a chantier"))
                  : null,
                " ",
                h(
                  "button",
                  {
                    type: "button",
                    class: "fr-btn fr-btn--sm fr-btn--tertiary",
                    "data-action": "chantier-new",
                    "data-item": item.id,
                    "data-title": item.label,
                    "aria-label": interpolate(gettext("Create a chantier from “%(item)s”"), {
                      item: truncateText(item.label, 60),
                    }),
                  },
                  gettext("Create a chantier from this"),
                ),
              ),
            ),
          )
        : null,
      h(
        "button",
        {
          type: "button",
          class: "fr-btn fr-btn--sm fr-btn--secondary",
          "data-action": "chantier-new",
          "data-testid": "chantier-new",
        },
        gettext("New blank chantier"),
      ),
    ),
    ui.chantierForm ? chantierForm(activity, ui.chantierForm, state) : null,
    h(
      "section",
      { class: "fr-mb-2w", "aria-labelledby": "chantiers-title" },
      h("h3", { id: "chantiers-title", class: "fr-h6" }, gettext("Chantiers")),
      chantiers.length
        ? h(
            "ul",
            { class: "ruche-console-chantiers" },
            chantiers.map((chantier) => chantierCard(state, activity, chantier)),
          )
        : h("p", { class: "fr-text--sm ruche-console-muted" }, gettext("No chantiers yet.")),
    ),
    whoDoesWhat(state, chantiers),
  ];
}

function chantierForm(activity, values, state) {
  const field = (name, label, props = {}) =>
    h(
      "div",
      { class: "fr-input-group" },
      h("label", { class: "fr-label", for: `chantier-${name}` }, label),
      h("input", {
        class: "fr-input",
        id: `chantier-${name}`,
        name,
        value: values[name] || "",
        ...props,
      }),
    );
  const item = values.item ? itemLabel(state, activity, values.item) : "";
  return h(
    "form",
    {
      key: `chantier-form-${values.id || "new"}-${values.item || ""}`,
      class: "ruche-console-chantier-form fr-mb-2w",
      "data-action": "chantier-save",
      "data-activity": activity.id,
      "data-testid": "chantier-form",
    },
    h(
      "fieldset",
      { class: "fr-fieldset" },
      h(
        "legend",
        { class: "fr-fieldset__legend" },
        values.id ? gettext("Edit the chantier") : gettext("New chantier"),
        item ? h("span", { class: "fr-hint-text" }, interpolate(gettext("From: %(item)s"), { item })) : null,
      ),
      field("title", gettext("Title"), { required: true, maxlength: "200" }),
      field("pilot", gettext("Pilot"), { maxlength: "200" }),
      field("contributors", gettext("Contributors"), { maxlength: "500" }),
      h(
        "div",
        { class: "fr-input-group" },
        h("label", { class: "fr-label", for: "chantier-first_steps" }, gettext("First steps")),
        h(
          "textarea",
          { class: "fr-input", id: "chantier-first_steps", name: "first_steps", maxlength: "2000", rows: "3" },
          values.first_steps || "",
        ),
      ),
      field("due_on", gettext("Due date"), { type: "date" }),
      h(
        "div",
        { class: "ruche-console-row" },
        h("button", { type: "submit", class: "fr-btn fr-btn--sm" }, gettext("Save the chantier")),
        h(
          "button",
          { type: "button", class: "fr-btn fr-btn--sm fr-btn--tertiary", "data-action": "chantier-cancel" },
          gettext("Cancel"),
        ),
      ),
    ),
  );
}

function itemLabel(state, activity, itemId) {
  const item = itemsOf(state, activity).find((candidate) => candidate.id === itemId);
  return item ? item.label : "";
}

function chantierCard(state, activity, chantier) {
  const item = chantier.item ? itemLabel(state, activity, chantier.item) : "";
  const detail = (label, value) =>
    value ? [h("dt", {}, label), h("dd", {}, value)] : null;
  return h(
    "li",
    { key: chantier.id, class: "ruche-console-chantier", "data-testid": "chantier" },
    h("h4", { class: "fr-h6 fr-mb-1v" }, chantier.title),
    h(
      "dl",
      { class: "ruche-console-details" },
      detail(gettext("From"), item),
      detail(gettext("Pilot"), chantier.pilot),
      detail(gettext("Contributors"), chantier.contributors),
      detail(gettext("First steps"), chantier.first_steps),
      detail(gettext("Due date"), chantier.due_on ? formatDate(chantier.due_on) : ""),
    ),
    h(
      "div",
      { class: "ruche-console-row" },
      h(
        "button",
        {
          type: "button",
          class: "fr-btn fr-btn--sm fr-btn--tertiary",
          "data-action": "chantier-edit",
          "data-chantier": chantier.id,
          "aria-label": interpolate(gettext("Edit “%(title)s”"), { title: chantier.title }),
        },
        gettext("Edit"),
      ),
      h(
        "button",
        {
          type: "button",
          class: "fr-btn fr-btn--sm fr-btn--tertiary",
          "data-action": "chantier-delete",
          "data-chantier": chantier.id,
          "data-activity": activity.id,
          "aria-label": interpolate(gettext("Delete “%(title)s”"), { title: chantier.title }),
        },
        gettext("Delete"),
      ),
    ),
  );
}

function whoDoesWhat(state, chantiers) {
  if (!chantiers.length) return null;
  return h(
    "section",
    { "aria-labelledby": "who-title" },
    h("h3", { id: "who-title", class: "fr-h6" }, gettext("Who can do what")),
    h(
      "div",
      { class: "fr-table fr-table--sm" },
      h(
        "table",
        { "data-testid": "who-does-what" },
        h("caption", { class: "fr-sr-only" }, gettext("People who signed up, by chantier and role")),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, gettext("Chantier")),
            ROLES.map((role) => h("th", { scope: "col" }, roleLabel(role))),
          ),
        ),
        h(
          "tbody",
          {},
          chantiers.map((chantier) => {
            const people = peopleByRole(state, chantier.id);
            return h(
              "tr",
              { key: chantier.id },
              h("th", { scope: "row" }, chantier.title),
              ROLES.map((role) => h("td", {}, people[role].map(personName).join(", ") || "—")),
            );
          }),
        ),
      ),
    ),
  );
}
