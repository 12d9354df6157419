// The facilitator console: runs the workshop (activities, reveal, lock, timer) and the
// current activity (notes, clusters, votes, matrix, chantiers), live.
//
// The whole console is drawn from the client state by `view()` and morphed into the page
// (render.js), so a live update never steals focus or erases what is being typed. Controls
// are plain buttons, forms and selects with `data-action`: one delegated listener per event
// type sends the matching message (protocol: docs/realtime.md). Every control works with
// the keyboard; dragging a note onto a cluster is a shortcut for its "Move to" menu.

import { WorkshopClient, formatSeconds, gettext } from "./client.js";
import { view } from "./console_view.js";
import { currentActivity } from "./state.js";
import { addStylesheet, forget, h, render } from "./render.js";

const MAX_ERRORS = 3;


function startConsole(root) {
  addStylesheet("console.css", import.meta.url); // the view's styles come with its script
  ensureStatus(root);
  const app = h("div", { class: "ruche-console" });
  root.append(app);
  const ui = {
    errors: [],
    errorCount: 0,
    pending: 0,
    presence: null,
    remaining: null, // the timer's seconds left when last drawn
    editingNote: null,
    selected: new Set(), // notes ticked in the grouping
    chantierForm: null, // {id?, item?, title…} while the chantier form is open
    focus: null, // id of the field the next drawing focuses (one just drawn, say)
  };
  let scheduled = null;
  let drawTime = 0;
  const redraw = () => {
    // Events can arrive by the hundred per second in a big room: draw at most every 30 ms,
    // and leave the page at least twice the time a drawing takes (a board of 1,000 notes).
    if (scheduled === null) scheduled = setTimeout(draw, Math.max(30, drawTime * 2));
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
    const started = performance.now();
    for (const id of ui.selected) if (!client.state.notes[id]) ui.selected.delete(id); // deleted
    ui.remaining = client.timerRemaining();
    render(app, view(client.state, ui, root, links));
    if (ui.focus) {
      // In the drawing's own task: a later timer could move the focus out of a field the
      // person (or a test) has gone on to type in.
      document.getElementById(ui.focus)?.focus();
      ui.focus = null;
    }
    tick();
    drawTime = performance.now() - started;
    app.dataset.drawMs = Math.round(drawTime); // measured by the benchmarks and tests
  }

  function tick() {
    const remaining = client.timerRemaining();
    for (const element of app.querySelectorAll("[data-role=timer]")) {
      element.textContent = remaining === null ? "--:--" : formatSeconds(remaining);
      element.dataset.finished = String(remaining === 0);
    }
    // The time ran out since the last drawing: Pause no longer applies, the state changes.
    if (remaining === 0 && ui.remaining !== 0) redraw();
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
    "activity-open": async (button) => {
      if (!button.dataset.activity) return;
      // The button pressed may disappear (it was "Open" on a now current activity): the
      // keyboard continues from the activity's heading.
      if (await send("activity.open", { activity: button.dataset.activity })) {
        ui.focus = "console-current-title";
        redraw();
      }
    },
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
    "notes-move": async (form) => {
      const notes = [...ui.selected];
      const cluster = formValue(form, "cluster");
      const moved = await Promise.all(
        notes.map((note) => moveNote(form.dataset.activity, note, cluster)),
      );
      notes.forEach((note, index) => moved[index] && ui.selected.delete(note));
      redraw();
    },
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
      send("cluster.delete", {
        activity: button.dataset.activity,
        cluster: button.dataset.cluster,
      });
    },
    "drop-note": (target, noteId) => {
      const activity = current();
      if (activity) moveNote(activity.id, noteId, target.dataset.dropCluster);
    },

    // Action plan
    "chantier-new": (button) => {
      const item = button.dataset.item || null;
      ui.chantierForm = { item, title: button.dataset.title || "" };
      ui.focus = "chantier-title";
      redraw();
    },
    "chantier-edit": (button) => {
      const chantier = state().chantiers[button.dataset.chantier];
      if (!chantier) return;
      ui.chantierForm = { ...chantier };
      ui.focus = "chantier-title";
      redraw();
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

// Last, once every module-level constant above is initialised.
const root = document.getElementById("workshop-app");
if (root && root.dataset.view === "console") startConsole(root);
