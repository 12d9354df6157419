// The workshop's client state and its reducer: the same rules as ruche/workshops/live.py.
//
// The state is a set of collections keyed by id. Every live event carries a patch
// {upsert: {collection: [object…]}, delete: {collection: [id…]},
//  update: {collection: [{id, field…}]}}; deletes run first, upserts replace whole
// objects, updates set fields of objects already held. Applying a patch twice changes
// nothing, so a replay after a snapshot is safe.

export const COLLECTIONS = [
  "workshop",
  "activities",
  "prompts",
  "notes",
  "my_notes",
  "clusters",
  "dot_totals",
  "dot_counts",
  "my_dots",
  "rating_avgs",
  "my_ratings",
  "chantiers",
  "commitments",
  "my_commitments",
];

export function applyPatch(state, payload) {
  for (const [collection, ids] of Object.entries(payload.delete || {})) {
    const objects = (state[collection] ??= {});
    for (const id of ids) delete objects[id];
  }
  for (const [collection, objects] of Object.entries(payload.upsert || {})) {
    const target = (state[collection] ??= {});
    for (const object of objects) target[String(object.id)] = object;
  }
  // Some fields of objects already held (a reveal sends the notes' texts, not whole notes).
  for (const [collection, changes] of Object.entries(payload.update || {})) {
    const target = (state[collection] ??= {});
    for (const fields of changes) {
      const id = String(fields.id);
      if (target[id]) target[id] = { ...target[id], ...fields };
    }
  }
  return state;
}

// Helpers the views share.
const byPosition = (a, b) => (a.position ?? 0) - (b.position ?? 0);
const byCreation = (a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0);

export function workshopOf(state) {
  return Object.values(state.workshop)[0] || null;
}

export function activities(state) {
  return Object.values(state.activities).sort(byPosition);
}

export function currentActivity(state) {
  const workshop = workshopOf(state);
  return workshop && workshop.current_activity ? state.activities[workshop.current_activity] : null;
}

export function promptsOf(state, activityId) {
  return Object.values(state.prompts)
    .filter((prompt) => prompt.activity === activityId)
    .sort(byPosition);
}

export function notesOf(state, activityId, { promptId, visibleOnly = true } = {}) {
  return Object.values(state.notes)
    .filter((note) => note.activity === activityId)
    .filter((note) => !promptId || note.prompt === promptId)
    .filter((note) => !visibleOnly || !note.hidden || state.my_notes[note.id])
    .sort(byCreation);
}

export function isMine(state, noteId) {
  return Boolean(state.my_notes[noteId]);
}

export function clustersOf(state, activityId) {
  return Object.values(state.clusters)
    .filter((cluster) => cluster.activity === activityId)
    .sort((a, b) => byPosition(a, b) || byCreation(a, b));
}

// The items a dot vote, a matrix or an action plan works on: its source's clusters
// (a grouping) or visible notes (an ideation). `room`: only what the room may read (the
// projection runs on the facilitator's state, which holds the texts of notes hidden from
// the room again by undoing the ideation's reveal).
export function itemsOf(state, activity, { room = false } = {}) {
  const source = activity && activity.source ? state.activities[activity.source] : null;
  if (!source) return [];
  if (source.kind === "grouping") {
    return clustersOf(state, source.id).map((cluster) => ({
      id: cluster.id,
      label: cluster.name || gettext("Unnamed cluster"),
      cluster,
    }));
  }
  if (room && !source.revealed) return [];
  return notesOf(state, source.id)
    .filter((note) => !note.hidden && !note.masked)
    .map((note) => ({ id: note.id, label: note.text, note }));
}

export function keyed(collection, activityId, itemId) {
  return collection[`${activityId}:${itemId}`];
}

export function myDotsUsed(state, activityId) {
  return Object.values(state.my_dots)
    .filter((dot) => dot.activity === activityId)
    .reduce((sum, dot) => sum + dot.count, 0);
}

export function commitmentsOf(state, chantierId) {
  return Object.values(state.commitments).filter((c) => c.chantier === chantierId);
}

export function chantiersOf(state, activityId) {
  return Object.values(state.chantiers)
    .filter((chantier) => chantier.activity === activityId)
    .sort(byPosition);
}

const gettext = (text) => (window.gettext ? window.gettext(text) : text);

// --- Selectors of the facilitator console and the projection --------------------------------

/** The items of a dot vote with their dots, most dots first (ties keep the items' order). */
export function dotRanking(state, activity, options) {
  return itemsOf(state, activity, options)
    .map((item, index) => {
      const row = keyed(state.dot_counts, activity.id, item.id);
      return { ...item, index, dots: row ? row.count : 0 };
    })
    .sort((a, b) => b.dots - a.dots || a.index - b.index);
}

// The same thresholds as ruche/workshops/activities/matrix.py: above 5 is "high".
export const MATRIX_MIDDLE = 5;
export const QUADRANTS = ["quick_wins", "major_projects", "fill_ins", "thankless"];

export function quadrantOf(impact, ease) {
  const high = impact > MATRIX_MIDDLE;
  const easy = ease > MATRIX_MIDDLE;
  if (high && easy) return "quick_wins";
  if (high) return "major_projects";
  if (easy) return "fill_ins";
  return "thankless";
}

/** A matrix's rated items by quadrant (best first in each, as the synthesis sorts them),
 * and the items nobody rated yet. */
export function matrixRows(state, activity, options) {
  const quadrants = Object.fromEntries(QUADRANTS.map((key) => [key, []]));
  const unrated = [];
  itemsOf(state, activity, options).forEach((item, index) => {
    const average = keyed(state.rating_avgs, activity.id, item.id);
    if (!average || !average.n) {
      unrated.push(item);
      return;
    }
    const row = { ...item, index, impact: average.impact, ease: average.ease, n: average.n };
    quadrants[quadrantOf(row.impact, row.ease)].push(row);
  });
  for (const rows of Object.values(quadrants)) {
    rows.sort((a, b) => b.impact + b.ease - (a.impact + a.ease) || a.label.localeCompare(b.label));
  }
  return { quadrants, unrated };
}

export const ROLES = ["pilot", "contributor", "expert", "informed"];

/** Who signed up on a chantier, by role: {pilot: [name…], contributor: […], …}. */
export function peopleByRole(state, chantierId) {
  const people = Object.fromEntries(ROLES.map((role) => [role, []]));
  for (const commitment of commitmentsOf(state, chantierId)) {
    if (people[commitment.role]) people[commitment.role].push(commitment.name);
  }
  for (const names of Object.values(people)) names.sort((a, b) => a.localeCompare(b));
  return people;
}
