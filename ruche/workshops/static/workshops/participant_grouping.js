// Grouping in the participant's view: the clusters with their notes; when everyone groups,
// create and rename clusters and move a note with its select (the accessible way).

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
