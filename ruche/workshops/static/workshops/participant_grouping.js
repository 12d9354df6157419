// Grouping in the participant's view: the clusters with their notes; when everyone groups,
// create, rename, merge, split and delete clusters, and move a note with its select (the
// accessible way to do what the console does by dragging).

import { gettext, interpolate } from "./client.js";
import {
  errorSlot,
  h,
  NAME_MAX,
  nextId,
  ngettext,
  reconcile,
  setDisabled,
  setText,
  show,
  showError,
  syncValue,
} from "./participant_dom.js";
import { noteMeta } from "./participant_ideation.js";
import { clustersOf, notesOf } from "./state.js";

// --- Grouping ------------------------------------------------------------------------------

export function groupingView(app, activity) {
  const client = app.client;
  const everyone = activity.config.who === "everyone";
  const pool = new Map(); // note id → its element, wherever it is shown
  const clusterViews = new Map();
  // Where the focus goes when a cluster this person merged or deleted goes away: the cluster
  // it was merged into, else the ungrouped notes (which have its notes now).
  const leaving = new Map(); // cluster id → cluster id | null
  const hooks = { leaving: (id, into) => leaving.set(id, into) };
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
  const looseTitle = h("h3", {
    class: "fr-h6",
    tabindex: "-1",
    text: gettext("Not grouped yet"),
  });
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
      list.map((cluster) => [cluster.id, clusterName(cluster)]),
    );
    const noteOptions = { pool, options, editable, placeOf, everyone, activity: current };
    const focused = document.activeElement;
    let lost = null; // the cluster that had the focus, when it is gone
    for (const [id, view] of clusterViews) {
      if (!ids.has(id) && view.element.contains(focused)) lost = id;
    }
    reconcile(clusters, list, {
      key: (cluster) => cluster.id,
      create: (cluster) => {
        const view = clusterView(app, current, cluster, hooks);
        clusterViews.set(cluster.id, view);
        return view.element;
      },
      update: (_el, cluster) =>
        clusterViews
          .get(cluster.id)
          .update(cluster, byCluster.get(cluster.id), noteOptions, { clusters: list, editable }),
    });
    for (const id of [...clusterViews.keys()]) if (!ids.has(id)) clusterViews.delete(id);
    fillNotes(app, loose, ungrouped, noteOptions);
    show(looseTitle, ungrouped.length > 0);
    if (lost !== null) {
      const into = clusterViews.get(leaving.get(lost));
      if (into) into.heading.focus();
      else if (ungrouped.length) looseTitle.focus();
      else if (everyone) nameField.focus();
    }
    for (const id of [...leaving.keys()]) if (!ids.has(id)) leaving.delete(id);
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

// --- One cluster ---------------------------------------------------------------------------

// When everyone groups, a cluster has a row of tools, each opening its panel below the row
// (one at a time, a disclosure button with aria-expanded): rename, merge into another
// cluster, split some of its notes off into a new cluster, delete it (asked once more, in
// place). A panel closes with its button, its Cancel button or Escape, and gives the focus
// back to its button. The merge's options and the split's ticks are drawn only while their
// panel is open: a room can have many clusters.
function clusterView(app, activity, initial, hooks) {
  const id = nextId("cluster");
  const clusterId = initial.id;
  const everyone = activity.config.who === "everyone";
  const heading = h("h3", {
    class: "fr-h6 ruche-ws-cluster__name",
    id: `${id}-title`,
    tabindex: "-1",
  });
  const count = h("span", { class: "ruche-ws-cluster__count" });
  const status = h("span", { class: "ruche-ws-cluster__status", "data-testid": "cluster-status" });
  const summary = h("p", { class: "fr-text--xs ruche-ws-cluster__summary" }, count, " ", status);
  const list = h("ul", { class: "ruche-ws-notes" });
  const error = errorSlot();
  error.dataset.testid = "cluster-error";
  const element = h(
    "section",
    {
      class: "ruche-ws-cluster",
      "aria-labelledby": heading.id,
      "data-testid": "cluster",
      "data-cluster": clusterId,
    },
    heading,
    summary,
  );
  const controls = []; // disabled while input is closed or the cluster is going away
  const send = (type, fields) =>
    app.send(type, { activity: activity.id, cluster: clusterId, ...fields }, error);

  // Tools and panels.
  const tools = h("div", { class: "ruche-ws-cluster__tools" });
  const panels = [];
  function panel(name, label, testid, ...content) {
    const box = h(
      "div",
      { class: "ruche-ws-cluster__panel", id: `${id}-${name}`, hidden: true },
      ...content,
    );
    const toggle = h("button", {
      type: "button",
      class: "fr-btn fr-btn--sm fr-btn--tertiary",
      "aria-expanded": "false",
      "aria-controls": box.id,
      "aria-describedby": heading.id,
      "data-testid": testid,
      text: label,
    });
    const entry = { box, toggle };
    toggle.addEventListener("click", () => (box.hidden ? open(entry) : close(entry, true)));
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      close(entry, true);
    });
    tools.append(toggle);
    panels.push(entry);
    controls.push(toggle);
    return entry;
  }
  function open(entry) {
    for (const other of panels) if (other !== entry) close(other, false);
    entry.box.hidden = false;
    entry.toggle.setAttribute("aria-expanded", "true");
    if (last) update(...last); // draws the merge's options, the split's ticks
    const first = entry.box.querySelector("input, select, button:not([disabled])");
    if (first) first.focus();
  }
  function close(entry, focus) {
    if (entry.box.hidden) return;
    entry.box.hidden = true;
    entry.toggle.setAttribute("aria-expanded", "false");
    if (focus) entry.toggle.focus();
  }
  const cancelButton = (entry) =>
    h("button", {
      type: "button",
      class: "fr-btn fr-btn--sm fr-btn--secondary",
      text: gettext("Cancel"),
      on: { click: () => close(entry(), true) },
    });

  // Rename.
  const nameField = h("input", {
    class: "fr-input",
    id: `${id}-name`,
    maxlength: NAME_MAX,
    autocomplete: "off",
    "data-testid": "cluster-rename-name",
  });
  const renameButton = h("button", {
    type: "submit",
    class: "fr-btn fr-btn--sm",
    text: gettext("Rename"),
  });
  const renameForm = h(
    "form",
    { novalidate: true },
    h(
      "div",
      { class: "fr-input-group" },
      h("label", { class: "fr-label", for: nameField.id, text: gettext("Name of the cluster") }),
      nameField,
    ),
    h("div", { class: "ruche-ws-inline-buttons" }, renameButton, cancelButton(() => rename)),
  );
  // Merge.
  const mergeSelect = h("select", {
    class: "fr-select",
    id: `${id}-into`,
    "data-testid": "cluster-merge-into",
  });
  const mergeButton = h("button", { type: "submit", class: "fr-btn fr-btn--sm" }, gettext("Merge"));
  const mergeForm = h(
    "form",
    { novalidate: true },
    h(
      "div",
      { class: "fr-select-group" },
      h("label", { class: "fr-label", for: mergeSelect.id, text: gettext("Merge into") }),
      mergeSelect,
    ),
    h("div", { class: "ruche-ws-inline-buttons" }, mergeButton, cancelButton(() => merge)),
  );
  // Split.
  const ticks = h("div", { class: "ruche-ws-cluster__ticks" });
  ticks.addEventListener("change", () => showError(error, "")); // "tick some first" is done
  const splitName = h("input", {
    class: "fr-input",
    id: `${id}-split-name`,
    maxlength: NAME_MAX,
    autocomplete: "off",
    "data-testid": "cluster-split-name",
  });
  const splitButton = h("button", {
    type: "submit",
    class: "fr-btn fr-btn--sm",
    text: gettext("Make a new cluster of the ticked notes"),
  });
  const splitForm = h(
    "form",
    { novalidate: true },
    h(
      "fieldset",
      { class: "fr-fieldset ruche-ws-cluster__fieldset" },
      h("legend", {
        class: "fr-fieldset__legend fr-text--regular",
        text: gettext("Notes to put in the new cluster"),
      }),
      ticks,
    ),
    h(
      "div",
      { class: "fr-input-group" },
      h("label", {
        class: "fr-label",
        for: splitName.id,
        text: gettext("Name of the new cluster"),
      }),
      splitName,
    ),
    h("div", { class: "ruche-ws-inline-buttons" }, splitButton, cancelButton(() => split)),
  );
  // Delete, asked once more.
  const confirmDelete = h("button", {
    type: "button",
    class: "fr-btn fr-btn--sm",
    "data-testid": "cluster-delete-confirm",
    text: gettext("Yes, delete"),
  });
  const keep = h("button", {
    type: "button",
    class: "fr-btn fr-btn--sm fr-btn--secondary",
    text: gettext("Keep it"),
  });

  let rename = null;
  let merge = null;
  let split = null;
  let remove = null;
  if (everyone) {
    rename = panel("rename", gettext("Rename"), "cluster-rename", renameForm);
    merge = panel("merge", gettext("Merge into…"), "cluster-merge", mergeForm);
    split = panel("split", gettext("Split"), "cluster-split", splitForm);
    remove = panel(
      "delete",
      gettext("Delete the cluster"),
      "cluster-delete",
      h("p", {
        class: "fr-text--sm fr-mb-1w",
        text: gettext("Delete this cluster? Its notes become ungrouped."),
      }),
      // "Keep it" first, where the focus goes when this opens: Enter does no harm.
      h("div", { class: "ruche-ws-inline-buttons" }, keep, confirmDelete),
    );
    controls.push(nameField, renameButton, mergeSelect, mergeButton, splitName, splitButton);
    controls.push(confirmDelete);
    element.append(tools, ...panels.map((entry) => entry.box));

    renameForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = nameField.value.trim();
      nameField.dataset.synced = nameField.value; // the sent name is the one expected back
      send("cluster.rename", { name });
      close(rename, true);
    });
    mergeForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const into = mergeSelect.value;
      if (!into) {
        showError(error, gettext("Choose the cluster to merge into."));
        return;
      }
      send("cluster.merge", { into });
      hooks.leaving(clusterId, into);
      close(merge, false);
      heading.focus(); // it says the merge waits; then the focus goes to the other cluster
    });
    splitForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const notes = [...ticks.querySelectorAll("input:checked")].map((box) => box.value);
      if (!notes.length) {
        showError(error, gettext("Tick the notes to put in the new cluster."));
        ticks.querySelector("input")?.focus();
        return;
      }
      send("cluster.split", { notes, name: splitName.value.trim() });
      splitName.value = "";
      for (const box of ticks.querySelectorAll("input")) box.checked = false;
      close(split, true);
    });
    keep.addEventListener("click", () => close(remove, true));
    confirmDelete.addEventListener("click", () => {
      send("cluster.delete", {});
      hooks.leaving(clusterId, null);
      close(remove, false);
      heading.focus();
    });
  }
  element.append(error, list);

  let last = null;
  function update(cluster, notes, noteOptions, { clusters, editable }) {
    last = [cluster, notes, noteOptions, { clusters, editable }];
    setText(heading, clusterName(cluster));
    setText(
      count,
      interpolate(ngettext("%(count)s note", "%(count)s notes", notes.length), {
        count: notes.length,
      }),
    );
    fillNotes(app, list, notes, noteOptions);
    if (!everyone) return;
    // A merge or a deletion on its way: the cluster stays until the server says it is gone.
    const pending = (type) => app.lastPending(type, (m) => m.cluster === clusterId);
    let label = "";
    if (pending("cluster.delete")) label = gettext("Deletion waiting to be sent");
    else if (pending("cluster.merge")) label = gettext("Merge waiting to be sent");
    else if (pending("cluster.split")) label = gettext("Split waiting to be sent");
    setText(status, label);
    status.className = label
      ? "fr-badge fr-badge--sm fr-badge--no-icon fr-badge--warning ruche-ws-cluster__status"
      : "ruche-ws-cluster__status";
    const leaving = Boolean(pending("cluster.delete") || pending("cluster.merge"));
    for (const control of controls) setDisabled(control, !editable || leaving);

    syncValue(nameField, cluster.name);
    const others = clusters.filter((other) => other.id !== clusterId);
    show(merge.toggle, others.length > 0);
    if (!others.length) close(merge, false);
    if (!merge.box.hidden) {
      const chosen = mergeSelect.value;
      reconcile(mergeSelect, others, {
        key: (other) => other.id,
        create: (other) => h("option", { value: other.id }),
        update: (option, other) => setText(option, clusterName(other)),
      });
      if (chosen && others.some((other) => other.id === chosen)) mergeSelect.value = chosen;
    } else if (mergeSelect.options.length) mergeSelect.replaceChildren();
    show(split.toggle, notes.length > 0);
    if (!notes.length) close(split, false);
    if (!split.box.hidden) {
      reconcile(ticks, notes, {
        key: (note) => note.id,
        create: (note) => tickRow(id, note),
        update: (row, note) => {
          setText(row.label, noteLabel(note));
          setDisabled(row.box, !editable || leaving);
        },
      });
    } else if (ticks.children.length) ticks.replaceChildren();
  }
  return { element, heading, update };
}

function tickRow(prefix, note) {
  const box = h("input", {
    type: "checkbox",
    id: nextId(`${prefix}-tick`),
    value: note.id,
    "data-testid": "cluster-split-note",
  });
  const label = h("label", { class: "fr-label", for: box.id });
  const row = h("div", { class: "fr-checkbox-group fr-checkbox-group--sm" }, box, label);
  row.box = box;
  row.label = label;
  return row;
}

const clusterName = (cluster) => cluster.name || gettext("Unnamed cluster");
const noteLabel = (note) => (note.masked ? gettext("(note not revealed yet)") : note.text);
