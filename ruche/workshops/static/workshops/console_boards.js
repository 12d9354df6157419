// The console's boards: the ideation's notes (text, hide, edit) and the grouping's clusters
// (create, rename, merge, split, delete, move notes). Drawn by console_view.js; the
// `data-action` names are handled in console.js.

import { gettext, interpolate } from "./client.js";
import { clustersOf, notesOf, promptsOf } from "./state.js";
import { h, srOnly } from "./render.js";
import { ngettext } from "./labels.js";

export function revealButton(activity) {
  return h(
    "button",
    {
      type: "button",
      class: `fr-btn fr-btn--sm ${activity.revealed ? "fr-btn--tertiary" : ""}`,
      "data-action": "activity-reveal",
      "data-activity": activity.id,
      "data-revealed": String(!activity.revealed),
      "data-testid": "reveal",
    },
    activity.revealed ? gettext("Hide results") : gettext("Reveal results"),
    srOnly(activity.title),
  );
}

// --- Ideation -----------------------------------------------------------------------------

export function ideationControls(state, activity, ui) {
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

export function noteText(note) {
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
        h(
          "textarea",
          {
            class: "fr-input",
            id: `note-text-${note.id}`,
            name: "text",
            maxlength: "500",
            rows: "3",
            required: true,
          },
          note.text || "",
        ),
        h(
          "div",
          { class: "ruche-console-row fr-mt-1v" },
          h("button", { type: "submit", class: "fr-btn fr-btn--sm" }, gettext("Save")),
          h(
            "button",
            {
              type: "button",
              class: "fr-btn fr-btn--sm fr-btn--tertiary",
              "data-action": "note-edit-cancel",
            },
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
      "data-sig": `${note.hidden}|${note.masked}|${note.author_name}|${note.text}`,
    },
    h("p", { class: "fr-mb-1v" }, noteText(note)),
    note.author_name ? h("p", { class: "fr-text--xs fr-mb-1v" }, note.author_name) : null,
    note.hidden
      ? h(
          "p",
          { class: "fr-badge fr-badge--sm fr-badge--warning" },
          gettext("Hidden from the room"),
        )
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

export function groupingControls(state, activity, ui) {
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
      gettext("Tick notes, then make a cluster of them or move them (or drag them)."),
    ),
    tickedNotesForms(activity, clusters, selected),
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
        groupedNotes(activity, ungrouped, ui),
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

function groupedNotes(activity, notes, ui) {
  if (!notes.length) {
    return h("p", { class: "fr-text--sm ruche-console-muted" }, gettext("No notes."));
  }
  return h(
    "ul",
    { class: "ruche-console-notes" },
    notes.map((note) => {
      const ticked = ui.selected.has(note.id);
      return h(
        "li",
        {
          key: note.id,
          class: "ruche-console-note",
          draggable: "true",
          "data-drag-note": note.id,
          "data-testid": "grouping-note",
          "data-sig": `${ticked}|${note.masked}|${note.text}`,
        },
        h(
          "div",
          { class: "fr-checkbox-group fr-checkbox-group--sm" },
          h("input", {
            type: "checkbox",
            id: `select-${note.id}`,
            "data-action": "note-select",
            "data-note": note.id,
            checked: ticked,
          }),
          h("label", { class: "fr-label", for: `select-${note.id}` }, noteText(note)),
        ),
      );
    }),
  );
}

// What to do with the ticked notes: a new cluster of them, or a move to a cluster. (Notes
// can also be dragged onto a cluster; these forms are the keyboard's way, and the way for
// many notes at once.)
function tickedNotesForms(activity, clusters, selected) {
  const count = selected.length;
  return h(
    "div",
    { class: "ruche-console-ticked fr-mb-2w" },
    h(
      "form",
      {
        class: "ruche-console-inline-form",
        "data-action": "cluster-add",
        "data-activity": activity.id,
        "data-testid": "cluster-add",
      },
      h(
        "label",
        { class: "fr-label", for: "new-cluster-name" },
        gettext("Name of the new cluster"),
      ),
      h("input", { class: "fr-input", id: "new-cluster-name", name: "name", maxlength: "200" }),
      h(
        "button",
        { type: "submit", class: "fr-btn fr-btn--sm" },
        count
          ? interpolate(
              ngettext(
                "Create a cluster with %(count)s ticked note",
                "Create a cluster with %(count)s ticked notes",
                count,
              ),
              { count },
            )
          : gettext("Create an empty cluster"),
      ),
    ),
    h(
      "form",
      {
        class: "ruche-console-inline-form",
        "data-action": "notes-move",
        "data-activity": activity.id,
        "data-testid": "notes-move",
      },
      h("label", { class: "fr-label", for: "move-to" }, gettext("Move the ticked notes to")),
      h(
        "select",
        { class: "fr-select", id: "move-to", name: "cluster" },
        clusters.map((cluster) => h("option", { value: cluster.id }, clusterName(cluster))),
        h("option", { value: "" }, gettext("Not grouped")),
      ),
      h(
        "button",
        { type: "submit", class: "fr-btn fr-btn--sm fr-btn--secondary", disabled: !count },
        count
          ? interpolate(ngettext("Move %(count)s note", "Move %(count)s notes", count), { count })
          : gettext("Move"),
      ),
    ),
  );
}

export function clusterName(cluster) {
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
      h(
        "label",
        { class: "fr-label fr-sr-only", for: `cluster-name-${cluster.id}` },
        gettext("Cluster name"),
      ),
      h("input", {
        class: "fr-input",
        id: `cluster-name-${cluster.id}`,
        name: "name",
        maxlength: "200",
        value: cluster.name,
        placeholder: gettext("Unnamed cluster"),
      }),
      h(
        "button",
        { type: "submit", class: "fr-btn fr-btn--sm fr-btn--secondary" },
        gettext("Rename"),
      ),
    ),
    groupedNotes(activity, notes, ui),
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
          h(
            "button",
            { type: "submit", class: "fr-btn fr-btn--sm fr-btn--tertiary" },
            gettext("Merge"),
          ),
        )
      : null,
  );
}
