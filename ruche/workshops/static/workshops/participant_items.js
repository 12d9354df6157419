// The activities on items (a grouping's clusters or an ideation's notes) in the
// participant's view: dot voting, the impact / ease matrix, and the action plan's chantiers
// with the role each person takes on them.

import { gettext, interpolate } from "./client.js";
import {
  errorSlot,
  h,
  nextId,
  ngettext,
  reconcile,
  setDisabled,
  setText,
  show,
  showError,
  syncValue,
} from "./participant_dom.js";
import { chantiersOf, commitmentsOf, itemsOf, keyed } from "./state.js";

const ROLES = () => [
  ["", gettext("No role")],
  ["pilot", gettext("Pilot")],
  ["contributor", gettext("Contributor")],
  ["expert", gettext("Expert")],
  ["informed", gettext("To keep informed")],
];

// --- Dot voting ----------------------------------------------------------------------------

export function dotvoteView(app, activity) {
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
  // The figure for the eyes, a sentence for screen readers (a span cannot carry a label).
  const count = h("span", {
    class: "ruche-ws-dot-count",
    "aria-hidden": "true",
    "data-testid": "my-dots",
  });
  const spoken = h("span", { class: "fr-sr-only" });
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
    h("div", { class: "ruche-ws-dot-controls" }, minus, count, spoken, plus, pips),
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
    setText(
      spoken,
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

export function matrixView(app, activity) {
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

export function actionplanView(app, activity) {
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
