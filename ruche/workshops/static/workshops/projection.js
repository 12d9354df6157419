// The projection view: the room's big screen. No controls; huge type; the current activity
// drawn live from the client state.
//
// The page is usually opened by the facilitator, whose state holds what the room must not
// see yet (note texts before the reveal, dot counts before the results are shown, hidden
// notes): this view shows only what the reveal allows, whatever the state holds.

import { WorkshopClient, formatSeconds, gettext, interpolate } from "./client.js";
import {
  QUADRANTS,
  ROLES,
  chantiersOf,
  clustersOf,
  currentActivity,
  dotRanking,
  matrixRows,
  notesOf,
  peopleByRole,
  promptsOf,
  workshopOf,
} from "./state.js";
import { addStylesheet, countTo, h, render, s, truncate } from "./render.js";
import { formatDate, ngettext, personName, quadrantLabel, roleLabel } from "./labels.js";

const MAX_BARS = 12; // a ranking longer than this shows its top and how many more
const MAX_LABELLED_POINTS = 12; // beyond this the matrix's points carry only their number
// Post-its one screen can show legibly; beyond, each column shows its share and a count.
const MAX_POSTITS = 60;
const MAX_QUADRANT_ITEMS = 6; // per quadrant list; the map shows every point


function startProjection(root) {
  addStylesheet("projection.css", import.meta.url); // the view's styles come with its script
  const app = h("div", { class: "ruche-projection-view", "data-testid": "projection-view" });
  root.append(app);
  // The template's join block (code + QR code), shown only while people can join.
  const join = document.querySelector(".ruche-projection__join, [data-testid=join-panel]");
  let presence = null;
  let scheduled = null;
  let drawTime = 0;
  const redraw = () => {
    // At most every 30 ms, and never more than a third of the time spent drawing.
    if (scheduled === null) scheduled = setTimeout(draw, Math.max(30, drawTime * 2));
  };
  const client = new WorkshopClient(root, {
    onChange: redraw,
    onPresence: (count) => {
      presence = count;
      redraw();
    },
    // Nothing is sent from here: errors (there should be none) go to the console only.
    onError: (error) => console.warn("ruche projection:", error.message || error.code),
  });

  function draw() {
    scheduled = null;
    const started = performance.now();
    const workshop = workshopOf(client.state);
    if (join) join.hidden = workshop.state !== "live";
    render(app, view(client.state, presence, Boolean(join)));
    for (const element of app.querySelectorAll("[data-count]")) {
      countTo(element, Number(element.dataset.count));
    }
    tick();
    drawTime = performance.now() - started;
    app.dataset.drawMs = Math.round(drawTime); // measured by the benchmarks and tests
  }

  function tick() {
    const remaining = client.timerRemaining();
    for (const element of app.querySelectorAll("[data-role=timer]")) {
      element.textContent = remaining === null ? "" : formatSeconds(remaining);
      element.hidden = remaining === null;
      element.dataset.finished = String(remaining === 0);
      element.dataset.low = String(remaining !== null && remaining <= 30);
    }
  }

  draw();
  setInterval(tick, 1000);
  keepScreenOn();
  // No controls on screen; "f" puts the page in full screen (and back), for the projector.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "f" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else document.documentElement.requestFullscreen().catch(() => {});
  });
}

// A projector's laptop must not go to sleep during the workshop. Browsers allow the wake
// lock only on secure pages and visible tabs: ask again whenever the page is shown.
function keepScreenOn() {
  if (!("wakeLock" in navigator)) return;
  const request = () => {
    if (document.visibilityState === "visible") {
      navigator.wakeLock.request("screen").catch(() => {});
    }
  };
  request();
  document.addEventListener("visibilitychange", request);
}

function view(state, presence, templateJoin) {
  const workshop = workshopOf(state);
  const activity = currentActivity(state);
  const body = activity && workshop.state !== "draft" ? activityView(state, activity) : null;
  return [
    h(
      "header",
      { class: "ruche-projection-header" },
      h(
        "div",
        { class: "ruche-projection-titles" },
        document.querySelector(".ruche-projection__title")
          ? null
          : h("p", { class: "ruche-projection-workshop" }, workshop.title),
        h(
          "h2",
          { class: "ruche-projection-activity", "data-testid": "projection-activity" },
          workshop.state === "ended"
            ? gettext("The workshop has ended. Thank you!")
            : workshop.state === "draft"
              ? gettext("The workshop will start soon")
              : activity
                ? activity.title
                : workshop.title,
        ),
        activity && activity.instructions && workshop.state === "live"
          ? h("p", { class: "ruche-projection-instructions" }, activity.instructions)
          : null,
      ),
      h(
        "div",
        { class: "ruche-projection-side" },
        h(
          "p",
          {
            class: "ruche-projection-timer",
            role: "timer",
            "aria-label": gettext("Time left"),
            "data-role": "timer",
            "data-own-text": true,
            "data-testid": "projection-timer",
          },
          "",
        ),
        presence === null
          ? null
          : h(
              "p",
              { class: "ruche-projection-presence", "data-testid": "projection-presence" },
              interpolate(ngettext("%(count)s participant", "%(count)s participants", presence), {
                count: presence,
              }),
            ),
        workshop.state === "live" && !templateJoin
          ? h(
              "p",
              { class: "ruche-projection-code" },
              h("span", {}, gettext("Code")),
              " ",
              h("strong", { "data-testid": "projection-code" }, workshop.code),
            )
          : null,
      ),
    ),
    h(
      "div",
      {
        key: activity ? activity.id : "none",
        class: "ruche-projection-body",
        "data-kind": activity ? activity.kind : "",
        "aria-live": "off",
      },
      body,
    ),
  ];
}

function activityView(state, activity) {
  const draw = {
    ideation: ideationView,
    grouping: groupingView,
    dotvote: dotvoteView,
    matrix: matrixView,
    actionplan: actionplanView,
  }[activity.kind];
  return draw ? draw(state, activity) : null;
}

// How tightly to set post-its (or cards): by how many the screen shows.
function density(count) {
  if (count <= 8) return "roomy";
  if (count <= 20) return "normal";
  if (count <= 40) return "compact";
  return "dense";
}

function postit(note) {
  return h(
    "li",
    {
      key: note.id,
      class: "ruche-postit",
      "data-testid": "projection-note",
      "data-sig": `${note.author_name}|${note.text}`,
    },
    h("span", { class: "ruche-postit-text" }, note.text),
    note.signed && note.author_name
      ? h("span", { class: "ruche-postit-author" }, note.author_name)
      : null,
  );
}

// Notes the room may read: revealed, not hidden, with their text.
function readable(notes) {
  return notes.filter((note) => !note.hidden && !note.masked && note.text);
}

// A column's post-its, at most `room` of them, then how many more there are.
function postits(notes, room) {
  const shown = readable(notes);
  const more = shown.length - room;
  return h(
    "ul",
    { class: "ruche-postits" },
    (more > 0 ? shown.slice(0, room) : shown).map(postit),
    more > 0
      ? h(
          "li",
          { key: "more", class: "ruche-postit-more" },
          interpolate(ngettext("and %(count)s more", "and %(count)s more", more), {
            count: more,
          }),
        )
      : null,
  );
}

// Room for each of `count` columns, and the density their post-its are set at.
function layout(columns) {
  const room = Math.max(1, Math.floor(MAX_POSTITS / Math.max(1, columns.length)));
  const total = columns.reduce((sum, notes) => sum + Math.min(room, notes.length), 0);
  return {
    room,
    density: density(total + columns.length), // a heading takes about a post-it's room
    many: columns.length > 4 ? "true" : null,
  };
}

// --- Ideation -----------------------------------------------------------------------------

function ideationView(state, activity) {
  const prompts = promptsOf(state, activity.id);
  const columns = prompts.map((prompt) => ({
    prompt,
    notes: notesOf(state, activity.id, { promptId: prompt.id, visibleOnly: false }).filter(
      (note) => !note.hidden,
    ),
  }));
  if (!activity.revealed) {
    return h(
      "div",
      { class: "ruche-projection-columns" },
      columns.map(({ prompt, notes }) =>
        h(
          "section",
          { key: prompt.id, class: "ruche-projection-column ruche-projection-counter" },
          h("h3", { class: "ruche-projection-prompt" }, prompt.text),
          h("p", {
            class: "ruche-projection-big-number",
            "data-count": notes.length,
            "data-own-text": true,
            "data-testid": "projection-note-count",
          }),
          h(
            "p",
            { class: "ruche-projection-caption" },
            ngettext("note written", "notes written", notes.length),
          ),
        ),
      ),
    );
  }
  const fit = layout(columns.map(({ notes }) => readable(notes)));
  return h(
    "div",
    { class: "ruche-projection-columns", "data-density": fit.density, "data-many": fit.many },
    columns.map(({ prompt, notes }) =>
      h(
        "section",
        { key: prompt.id, class: "ruche-projection-column" },
        h("h3", { class: "ruche-projection-prompt" }, prompt.text),
        postits(notes, fit.room),
      ),
    ),
  );
}

// --- Grouping -----------------------------------------------------------------------------

function groupingView(state, activity) {
  const source = activity.source ? state.activities[activity.source] : null;
  const revealed = Boolean(source && source.revealed);
  const notes = source
    ? notesOf(state, source.id, { visibleOnly: false }).filter((note) => !note.hidden)
    : [];
  const clusters = clustersOf(state, activity.id);
  const columns = clusters.map((cluster) => ({
    key: cluster.id,
    title: cluster.name || gettext("Unnamed cluster"),
    notes: notes.filter((note) => note.cluster === cluster.id),
    cluster: true,
  }));
  const ungrouped = notes.filter((note) => !note.cluster || !state.clusters[note.cluster]);
  if (ungrouped.length) {
    columns.push({ key: "ungrouped", title: gettext("Not grouped yet"), notes: ungrouped });
  }
  if (!columns.length) {
    return h("p", { class: "ruche-projection-empty" }, gettext("No clusters yet."));
  }
  const fit = layout(columns.map((column) => (revealed ? readable(column.notes) : [])));
  return h(
    "div",
    {
      class: "ruche-projection-columns ruche-projection-clusters",
      "data-density": fit.density,
      "data-many": fit.many,
    },
    columns.map((column) =>
      h(
        "section",
        {
          key: column.key,
          class: column.cluster
            ? "ruche-projection-column ruche-projection-cluster"
            : "ruche-projection-column is-ungrouped",
          "data-testid": column.cluster ? "projection-cluster" : "projection-ungrouped",
        },
        h(
          "h3",
          { class: "ruche-projection-prompt" },
          column.title,
          " ",
          h("span", { class: "ruche-projection-count" }, String(column.notes.length)),
        ),
        revealed ? postits(column.notes, fit.room) : null,
      ),
    ),
  );
}

// --- Dot voting ---------------------------------------------------------------------------

function dotvoteView(state, activity) {
  const totals = state.dot_totals[activity.id] || { dots: 0, voters: 0 };
  if (!activity.revealed) {
    return h(
      "div",
      { class: "ruche-projection-columns" },
      h(
        "section",
        { class: "ruche-projection-column ruche-projection-counter" },
        h("p", {
          class: "ruche-projection-big-number",
          "data-count": totals.voters,
          "data-own-text": true,
          "data-testid": "projection-voters",
        }),
        h(
          "p",
          { class: "ruche-projection-caption" },
          ngettext("person has voted", "people have voted", totals.voters),
        ),
      ),
      h(
        "section",
        { class: "ruche-projection-column ruche-projection-counter" },
        h("p", {
          class: "ruche-projection-big-number",
          "data-count": totals.dots,
          "data-own-text": true,
          "data-testid": "projection-dots",
        }),
        h(
          "p",
          { class: "ruche-projection-caption" },
          ngettext("dot placed", "dots placed", totals.dots),
        ),
      ),
    );
  }
  const ranking = dotRanking(state, activity, { room: true });
  const top = Math.max(1, ...ranking.map((row) => row.dots));
  const shown = ranking.slice(0, MAX_BARS);
  return h(
    "div",
    { class: "ruche-projection-ranking" },
    h(
      "ol",
      { class: "ruche-bars", "data-testid": "projection-ranking" },
      shown.map((row) =>
        h(
          "li",
          { key: row.id, class: "ruche-bar-row" },
          h("span", { class: "ruche-bar-label" }, truncate(row.label, 90)),
          h(
            "span",
            { class: "ruche-bar-track" },
            h("span", { class: "ruche-bar", style: { "--share": String(row.dots / top) } }),
          ),
          h("span", { class: "ruche-bar-value" }, String(row.dots)),
        ),
      ),
    ),
    ranking.length > shown.length
      ? h(
          "p",
          { class: "ruche-projection-caption" },
          interpolate(
            ngettext(
              "and %(count)s more item",
              "and %(count)s more items",
              ranking.length - shown.length,
            ),
            { count: ranking.length - shown.length },
          ),
        )
      : null,
  );
}

// --- Matrix -------------------------------------------------------------------------------

// Plot area in the SVG's user units: ease 0–10 left to right, impact 0–10 bottom to top.
const PLOT = { left: 12, top: 4, size: 100 };
const px = (ease) => PLOT.left + (ease / 10) * PLOT.size;
const py = (impact) => PLOT.top + PLOT.size - (impact / 10) * PLOT.size;

function matrixView(state, activity) {
  const { quadrants, unrated } = matrixRows(state, activity, { room: true });
  const numbered = [];
  for (const key of QUADRANTS) for (const row of quadrants[key]) numbered.push({ ...row, key });
  numbered.forEach((row, index) => {
    row.number = index + 1;
  });
  return h(
    "div",
    { class: "ruche-projection-matrix" },
    matrixMap(numbered),
    h(
      "div",
      { class: "ruche-quadrants" },
      QUADRANTS.map((key) =>
        h(
          "section",
          { key, class: `ruche-quadrant ruche-quadrant--${key}`, "data-testid": `quadrant-${key}` },
          h("h3", { class: "ruche-quadrant-title" }, quadrantLabel(key)),
          quadrantList(numbered.filter((row) => row.key === key)),
        ),
      ),
      unrated.length
        ? h(
            "p",
            { class: "ruche-projection-caption" },
            interpolate(
              ngettext(
                "%(count)s item not rated yet",
                "%(count)s items not rated yet",
                unrated.length,
              ),
              { count: unrated.length },
            ),
          )
        : null,
    ),
  );
}

function quadrantList(rows) {
  const more = rows.length - MAX_QUADRANT_ITEMS;
  return h(
    "ul",
    { class: "ruche-quadrant-items" },
    (more > 0 ? rows.slice(0, MAX_QUADRANT_ITEMS) : rows).map((row) =>
      h(
        "li",
        { key: row.id },
        h("span", { class: "ruche-quadrant-number" }, String(row.number)),
        " ",
        truncate(row.label, 80),
      ),
    ),
    more > 0
      ? h(
          "li",
          { key: "more", class: "ruche-quadrant-more" },
          interpolate(ngettext("and %(count)s more", "and %(count)s more", more), { count: more }),
        )
      : null,
  );
}

function quadrant(key, x1, y1, x2, y2) {
  return s("rect", {
    class: `ruche-matrix-q ruche-matrix-q--${key}`,
    x: x1,
    y: y1,
    width: x2 - x1,
    height: y2 - y1,
  });
}

function matrixMap(rows) {
  const middle = { x: px(5), y: py(5) };
  const labelled = rows.length <= MAX_LABELLED_POINTS;
  const end = PLOT.left + PLOT.size;
  const bottom = PLOT.top + PLOT.size;
  return s(
    "svg",
    {
      class: "ruche-matrix-map",
      viewBox: `0 0 ${end + 4} ${bottom + 12}`,
      role: "img",
      "aria-label": gettext("Impact / ease map of the averaged ratings"),
      "data-testid": "projection-matrix",
    },
    // Quadrants: quick wins top right.
    quadrant("major_projects", PLOT.left, PLOT.top, middle.x, middle.y),
    quadrant("quick_wins", middle.x, PLOT.top, end, middle.y),
    quadrant("thankless", PLOT.left, middle.y, middle.x, bottom),
    quadrant("fill_ins", middle.x, middle.y, end, bottom),
    s("line", { class: "ruche-matrix-axis", x1: PLOT.left, y1: bottom, x2: end, y2: bottom }),
    s("line", {
      class: "ruche-matrix-axis",
      x1: PLOT.left,
      y1: PLOT.top,
      x2: PLOT.left,
      y2: bottom,
    }),
    [0, 5, 10].map((mark) => [
      s(
        "text",
        { class: "ruche-matrix-tick", x: px(mark), y: bottom + 4.5, "text-anchor": "middle" },
        String(mark),
      ),
      s(
        "text",
        { class: "ruche-matrix-tick", x: PLOT.left - 1.5, y: py(mark) + 1.2, "text-anchor": "end" },
        String(mark),
      ),
    ]),
    s(
      "text",
      {
        class: "ruche-matrix-axis-label",
        x: PLOT.left + PLOT.size / 2,
        y: bottom + 10,
        "text-anchor": "middle",
      },
      `${gettext("Ease")} →`,
    ),
    s(
      "text",
      {
        class: "ruche-matrix-axis-label",
        x: 0,
        y: 0,
        transform: `translate(4 ${PLOT.top + PLOT.size / 2}) rotate(-90)`,
        "text-anchor": "middle",
      },
      `${gettext("Impact")} →`,
    ),
    rows.map((row) => {
      const x = px(row.ease);
      const y = py(row.impact);
      const right = row.ease < 7; // labels go where there is room
      return s(
        "g",
        {
          key: row.id,
          class: `ruche-matrix-point ruche-matrix-point--${row.key}`,
          "data-testid": "matrix-point",
        },
        s(
          "title",
          {},
          `${row.label} — ${gettext("Impact")} ${row.impact}, ${gettext("Ease")} ${row.ease}`,
        ),
        s("circle", { cx: x, cy: y, r: 3.2 }),
        s(
          "text",
          { class: "ruche-matrix-number", x, y: y + 1.2, "text-anchor": "middle" },
          String(row.number),
        ),
        labelled
          ? s(
              "text",
              {
                class: "ruche-matrix-label",
                x: right ? x + 4.2 : x - 4.2,
                y: y + 1.2,
                "text-anchor": right ? "start" : "end",
              },
              truncate(row.label, 26),
            )
          : null,
      );
    }),
  );
}

// --- Action plan --------------------------------------------------------------------------

function actionplanView(state, activity) {
  const chantiers = chantiersOf(state, activity.id);
  if (!chantiers.length) {
    return h("p", { class: "ruche-projection-empty" }, gettext("No chantiers yet."));
  }
  return h(
    "ul",
    {
      class: "ruche-chantiers",
      "data-density": density(chantiers.length * 3),
      "data-testid": "projection-chantiers",
    },
    chantiers.map((chantier) => {
      const people = peopleByRole(state, chantier.id);
      return h(
        "li",
        { key: chantier.id, class: "ruche-chantier", "data-testid": "projection-chantier" },
        h("h3", { class: "ruche-chantier-title" }, chantier.title),
        chantier.pilot || chantier.due_on
          ? h(
              "p",
              { class: "ruche-chantier-pilot" },
              chantier.pilot
                ? interpolate(gettext("Pilot: %(name)s"), { name: chantier.pilot })
                : "",
              chantier.pilot && chantier.due_on ? " · " : "",
              chantier.due_on
                ? interpolate(gettext("by %(date)s"), { date: formatDate(chantier.due_on) })
                : "",
            )
          : null,
        h(
          "dl",
          { class: "ruche-chantier-people" },
          ROLES.filter((role) => people[role].length).map((role) => [
            h("dt", {}, roleLabel(role)),
            h("dd", {}, people[role].map(personName).join(", ")),
          ]),
        ),
      );
    }),
  );
}

// Last, once every module-level constant above is initialised.
const root = document.getElementById("workshop-app");
if (root && root.dataset.view === "projection") startProjection(root);
