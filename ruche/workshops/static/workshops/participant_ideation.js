// Ideation in the participant's view: one column per prompt (tabs on a phone), the note
// being written kept as a draft, my notes (waiting to be sent, editable, deletable), the
// room's notes counted until the reveal and shown after it.

import { gettext, interpolate } from "./client.js";
import {
  badge,
  errorSlot,
  h,
  nextId,
  ngettext,
  NOTE_MAX,
  reconcile,
  setDisabled,
  setText,
  show,
  showError,
} from "./participant_dom.js";
import { notesOf, promptsOf } from "./state.js";

// --- Ideation ------------------------------------------------------------------------------

// The column a person was looking at, per ideation, while the facilitator goes elsewhere.
const selectedPrompts = new Map();

export function ideationView(app, activity) {
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

export function noteMeta(note) {
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
