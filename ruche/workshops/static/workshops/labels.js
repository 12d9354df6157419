// Words the workshop views share (English msgids, translated by Django's JavaScript catalogue:
// the same msgids as the Python labels of ruche/workshops/models.py and activities/).

import { gettext } from "./client.js";

export const ngettext = (singular, plural, count) =>
  window.ngettext ? window.ngettext(singular, plural, count) : count === 1 ? singular : plural;

export function kindLabel(kind) {
  return (
    {
      ideation: gettext("Ideation (post-its)"),
      grouping: gettext("Grouping into clusters"),
      dotvote: gettext("Dot voting"),
      matrix: gettext("Impact / ease matrix"),
      actionplan: gettext("Action plan (chantiers)"),
    }[kind] || kind
  );
}

export function roleLabel(role) {
  return (
    {
      pilot: gettext("Pilot"),
      contributor: gettext("Contributor"),
      expert: gettext("Expert"),
      informed: gettext("To keep informed"),
    }[role] || role
  );
}

export function stateLabel(state) {
  return (
    { draft: gettext("In preparation"), live: gettext("Live"), ended: gettext("Ended") }[state] ||
    state
  );
}

export function quadrantLabel(key) {
  return {
    quick_wins: gettext("Quick wins (high impact, easy)"),
    major_projects: gettext("Major projects (high impact, hard)"),
    fill_ins: gettext("Fill-ins (low impact, easy)"),
    thankless: gettext("Thankless tasks (low impact, hard)"),
  }[key];
}

export const personName = (name) => name || gettext("Anonymous");

/** A due date (YYYY-MM-DD) in words, in the page's language. */
export function formatDate(isoDate) {
  const date = new Date(`${isoDate}T12:00:00`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return date.toLocaleDateString(document.documentElement.lang || undefined, {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}
