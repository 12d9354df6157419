// The console's page, drawn from the client state: errors, the room (presence, lock,
// links), the activity list, the timer, and the current activity's controls.

import { gettext, interpolate } from "./client.js";
import { activities, currentActivity, workshopOf } from "./state.js";
import { h, srOnly } from "./render.js";
import { kindLabel, ngettext, stateLabel } from "./labels.js";
import { groupingControls, ideationControls, revealButton } from "./console_boards.js";
import { actionplanControls, dotvoteControls, matrixControls } from "./console_results.js";

const PRESETS = [2, 5, 10];

// --- View -------------------------------------------------------------------------------

export function view(state, ui, root, links) {
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
        timerPanel(workshop, ui.remaining),
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
            class: "fr-btn--close fr-btn",
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
  const templateState = document.querySelector("[data-testid=workshop-state-badge]");
  const locked = workshop.input_locked;
  return h(
    "section",
    { class: "ruche-console-panel", "aria-labelledby": "console-room-title" },
    h("h2", { id: "console-room-title", class: "fr-h5" }, gettext("The room")),
    h(
      "p",
      { class: "fr-mb-1w" },
      templateState
        ? null
        : h(
            "span",
            { class: "fr-badge fr-badge--sm", "data-testid": "console-state" },
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
    workshop.state === "ended"
      ? h(
          "p",
          { class: "fr-text--sm", "data-testid": "console-ended" },
          gettext("The workshop has ended: reopen the room to change anything."),
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
        {
          class: "fr-btn fr-btn--tertiary",
          href: links.synthesis,
          "data-testid": "synthesis-link",
        },
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
                  },
                  gettext("Open"),
                  srOnly(activity.title),
                ),
            revealable ? revealButton(activity) : null,
          ),
        );
      }),
    ),
    navigation(list, current),
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

function timerPanel(workshop, remaining) {
  const timer = workshop.timer;
  const running = Boolean(timer.ends_at) && remaining > 0;
  const finished = Boolean(timer.ends_at) && remaining === 0;
  const paused = !timer.ends_at && Boolean(timer.remaining);
  const set = timer.total !== null || timer.remaining !== null;
  const button = (label, action, props = {}) =>
    h(
      "button",
      {
        type: "button",
        class: "fr-btn fr-btn--sm fr-btn--secondary",
        "data-action": action,
        ...props,
      },
      label,
    );
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
        running
          ? gettext("Running")
          : finished
            ? gettext("Time is up")
            : paused
              ? gettext("Paused")
              : set
                ? gettext("Stopped")
                : "",
      ),
    ),
    h(
      "div",
      { class: "ruche-console-row" },
      PRESETS.map((minutes) =>
        button(
          [
            interpolate(gettext("%(minutes)s min"), { minutes }),
            srOnly(gettext("start the timer")),
          ],
          "timer-start",
          { "data-seconds": minutes * 60 },
        ),
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
      button([gettext("+1 min"), srOnly(gettext("add one minute"))], "timer-add", {
        "data-seconds": 60,
        disabled: !set,
      }),
      button([gettext("−1 min"), srOnly(gettext("take one minute off"))], "timer-add", {
        "data-seconds": -60,
        disabled: !set,
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
      { id: "console-current-title", class: "fr-h4", tabindex: "-1" },
      activity.title,
      " ",
      h("span", { class: "fr-text--sm ruche-console-kind" }, kindLabel(activity.kind)),
    ),
    activity.instructions ? h("p", { class: "fr-text--sm" }, activity.instructions) : null,
    body ? body(state, activity, ui) : null,
  );
}
