// The console's results: dot voting (live counts, ranking), the matrix's averages and the
// action plan (chantiers and "who can do what"). Drawn by console_view.js; the
// `data-action` names are handled in console.js.

import { gettext, interpolate } from "./client.js";
import {
  QUADRANTS,
  ROLES,
  activities,
  chantiersOf,
  dotRanking,
  itemsOf,
  matrixRows,
  peopleByRole,
} from "./state.js";
import { h, srOnly, truncate } from "./render.js";
import { formatDate, ngettext, personName, quadrantLabel, roleLabel } from "./labels.js";
import { revealButton } from "./console_boards.js";

// --- Dot voting ---------------------------------------------------------------------------

export function dotvoteControls(state, activity) {
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

export function matrixControls(state, activity) {
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

export function actionplanControls(state, activity, ui) {
  const chantiers = chantiersOf(state, activity.id);
  const items = rankedItems(state, activity);
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
                item.dots === null
                  ? null
                  : h(
                      "span",
                      { class: "fr-badge fr-badge--sm fr-badge--info fr-ml-1v" },
                      interpolate(ngettext("%(count)s dot", "%(count)s dots", item.dots), {
                        count: item.dots,
                      }),
                    ),
                withChantier.has(item.id)
                  ? h(
                      "span",
                      { class: "fr-badge fr-badge--sm fr-ml-1v" },
                      gettext("Has a chantier"),
                    )
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
                  },
                  gettext("Create a chantier from this"),
                  srOnly(truncate(item.label, 60)),
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

// The items a chantier can come from, most voted first when a dot vote ranked them.
function rankedItems(state, activity) {
  const vote = activities(state).find(
    (other) => other.kind === "dotvote" && other.source && other.source === activity.source,
  );
  if (!vote) return itemsOf(state, activity).map((item) => ({ ...item, dots: null }));
  return dotRanking(state, vote);
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
        item
          ? h("span", { class: "fr-hint-text" }, interpolate(gettext("From: %(item)s"), { item }))
          : null,
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
          {
            class: "fr-input",
            id: "chantier-first_steps",
            name: "first_steps",
            maxlength: "2000",
            rows: "3",
          },
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
          {
            type: "button",
            class: "fr-btn fr-btn--sm fr-btn--tertiary",
            "data-action": "chantier-cancel",
          },
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
        },
        gettext("Edit"),
        srOnly(chantier.title),
      ),
      h(
        "button",
        {
          type: "button",
          class: "fr-btn fr-btn--sm fr-btn--tertiary",
          "data-action": "chantier-delete",
          "data-chantier": chantier.id,
          "data-activity": activity.id,
        },
        gettext("Delete"),
        srOnly(chantier.title),
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
        h(
          "caption",
          { class: "fr-sr-only" },
          gettext("People who signed up, by chantier and role"),
        ),
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
