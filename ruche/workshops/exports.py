"""The workshop synthesis as Markdown, CSV and XLSX files (from synthesis.build_synthesis).

The printable HTML is the synthesis page's printable version (views_synthesis.printable).
Everything participants wrote is data, never markup or formulas: spreadsheet cells starting
with = + - @ get a leading apostrophe and Markdown specials are escaped, with the helpers of
the consultation exports (`inert_cell`, `md`).
"""

import csv
import io

from django.template.defaultfilters import floatformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruche.consultations.exports import inert_cell, md
from ruche.workshops.synthesis import Section, WorkshopSynthesis


def filename(workshop, extension: str) -> str:
    slug = slugify(workshop.title)[:60].strip("-")
    return f"synthese-atelier-{slug or 'atelier'}.{extension}"


def _number(value) -> str:
    """A mark with one decimal, rounded as the page rounds it (half up), in the locale."""
    return floatformat(value, 1)


def _activity_name(section: Section) -> str:
    return f"{section.number}. {section.activity.title}"


def _context_line(document: WorkshopSynthesis) -> str:
    parts = [document.organisation.name]
    if document.process is not None:
        parts.append(document.process.title)
        if document.phase is not None:
            parts.append(document.phase.title)
    return " — ".join(parts)


# Markdown ---------------------------------------------------------------------------------


def _md_table(header: list, rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(md(cell) for cell in header) + " |"]
    lines.append("|" + "|".join(" --- " for _cell in header) + "|")
    lines.extend("| " + " | ".join(md(cell) for cell in row) + " |" for row in rows)
    lines.append("")
    return lines


def _md_ideation(data) -> list[str]:
    lines = []
    if data.get("hidden"):
        lines += [
            ngettext(
                "%(n)s note hidden by the facilitator is not shown.",
                "%(n)s notes hidden by the facilitator are not shown.",
                data["hidden"],
            )
            % {"n": data["hidden"]},
            "",
        ]
    for prompt in data["prompts"]:
        lines += [f"### {md(prompt['prompt'])} ({len(prompt['notes'])})", ""]
        for note in prompt["notes"]:
            author = f" — *{md(note['author'])}*" if note["author"] else ""
            lines.append(f"- {md(note['text'])}{author}")
        if not prompt["notes"]:
            lines.append(_("No note."))
        lines.append("")
    return lines


def _md_grouping(data) -> list[str]:
    lines = []
    for cluster in data["clusters"]:
        lines += [f"### {md(cluster['name'])} ({len(cluster['notes'])})", ""]
        lines += [f"- {md(note)}" for note in cluster["notes"]]
        lines.append("")
    if data["ungrouped"]:
        lines += [f"### {_('Not grouped')} ({len(data['ungrouped'])})", ""]
        lines += [f"- {md(note)}" for note in data["ungrouped"]]
        lines.append("")
    return lines


def _md_dotvote(data) -> list[str]:
    lines = [
        ngettext(
            "%(dots)s dots placed by %(n)s person.",
            "%(dots)s dots placed by %(n)s people.",
            data["voters"],
        )
        % {"dots": data["dots"], "n": data["voters"]},
        "",
    ]
    lines += _md_table(
        [_("Rank"), _("Item"), _("Dots"), _("Voters")],
        [[row["rank"], row["label"], row["dots"], row["voters"]] for row in data["ranking"]],
    )
    return lines


def _md_matrix(data) -> list[str]:
    lines = []
    if data["rated"]:
        lines += _md_table(
            [_("No."), _("Item"), _("Impact"), _("Ease"), _("Ratings"), _("Quadrant")],
            [
                [
                    item["number"],
                    item["label"],
                    _number(item["impact"]),
                    _number(item["ease"]),
                    item["n"],
                    item["quadrant_label"],
                ]
                for item in data["rated"]
            ],
        )
    for quadrant in data["quadrants"]:
        lines += [f"### {md(quadrant['label'])}", ""]
        lines += [f"{item['number']}. {md(item['label'])}" for item in quadrant["items"]]
        if not quadrant["items"]:
            lines.append(_("None."))
        lines.append("")
    if data["unrated"]:
        lines += [_("Not rated:") + " " + ", ".join(md(label) for label in data["unrated"]), ""]
    return lines


def _md_actionplan(data) -> list[str]:
    lines = []
    for chantier in data["chantiers"]:
        lines += [f"### {md(chantier['title'])}", ""]
        due = chantier["due_on"].isoformat() if chantier["due_on"] else "—"
        for label, value in (
            (_("From:"), chantier.get("item", "")),
            (_("Status:"), chantier.get("status", "")),
            (_("Pilot:"), chantier["pilot"] or "—"),
            (_("Contributors:"), chantier["contributors"] or "—"),
            (_("First steps:"), chantier["first_steps"] or "—"),
            (_("Due date:"), due),
        ):
            if value:
                lines.append(f"- **{md(label)}** {md(value)}")
        if chantier["people"]:
            people = ", ".join(
                f"{md(person['name'])} ({md(person['role'])})" for person in chantier["people"]
            )
            lines.append(f"- **{md(_('Signed up:'))}** {people}")
        lines.append("")
    if data.get("people"):
        lines += [f"### {_('Who can do what')}", ""]
        lines += _md_table(
            [_("Chantier"), *data["people"]],
            [[row["title"], *row["cells"]] for row in data["grid"]],
        )
    return lines


MARKDOWN = {
    "ideation": _md_ideation,
    "grouping": _md_grouping,
    "dotvote": _md_dotvote,
    "matrix": _md_matrix,
    "actionplan": _md_actionplan,
}


def to_markdown(document: WorkshopSynthesis) -> str:
    figures = document.figures
    lines = [
        f"# {_('Synthesis')} — {md(document.workshop.title)}",
        "",
        md(_context_line(document)),
        "",
    ]
    lines += _md_table(
        [_("Figure"), _("Value")],
        [
            [_("Date"), document.held_on.isoformat()],
            [_("Participants"), figures.participants],
            [_("Contributions"), figures.contributions],
            [_("Notes"), figures.notes],
            [_("Clusters"), figures.clusters],
            [_("Dots"), figures.dots],
            [_("Ratings"), figures.ratings],
            [_("Chantiers"), figures.chantiers],
            [_("Sign-ups"), figures.commitments],
        ],
    )
    for section in document.sections:
        title = f"{section.number}. {md(section.activity.title)}"
        lines += [f"## {title}", "", f"*{md(section.kind_label)}*", ""]
        if section.source_title:
            lines += [md(_("From “%(source)s”") % {"source": section.source_title}), ""]
        if section.activity.instructions:
            lines += [md(section.activity.instructions), ""]
        if section.withheld:
            lines += [_("Not revealed to the room yet."), ""]
            continue
        render = MARKDOWN.get(section.kind)
        if render is not None:
            lines += render(section.data)
    return "\n".join(lines).rstrip() + "\n"


# Rows for spreadsheets ---------------------------------------------------------------------


def _kind_rows(document: WorkshopSynthesis):
    """Rows of the CSV, one per contribution: (section, {column key: value})."""
    for section in document.sections:
        if section.withheld:
            continue
        data = section.data
        if section.kind == "ideation":
            for prompt in data["prompts"]:
                for note in prompt["notes"]:
                    yield (
                        section,
                        {
                            "prompt": prompt["prompt"],
                            "cluster": note["cluster"],
                            "text": note["text"],
                            "person": note["author"],
                        },
                    )
        elif section.kind == "grouping":
            for cluster in data["clusters"]:
                if not cluster["notes"]:
                    yield section, {"cluster": cluster["name"]}
                for note in cluster["notes"]:
                    yield section, {"cluster": cluster["name"], "text": note}
            for note in data["ungrouped"]:
                yield section, {"cluster": "", "text": note}
        elif section.kind == "dotvote":
            for row in data["ranking"]:
                yield (
                    section,
                    {
                        "text": row["label"],
                        "rank": row["rank"],
                        "dots": row["dots"],
                        "voters": row["voters"],
                    },
                )
        elif section.kind == "matrix":
            for item in data["rated"]:
                yield (
                    section,
                    {
                        "text": item["label"],
                        "impact": round(item["impact"], 2),
                        "ease": round(item["ease"], 2),
                        "ratings": item["n"],
                        "quadrant": item["quadrant_label"],
                    },
                )
            for label in data["unrated"]:
                yield section, {"text": label, "ratings": 0}
        elif section.kind == "actionplan":
            for chantier in data["chantiers"]:
                base = {
                    "chantier": chantier["title"],
                    "text": chantier.get("item", ""),
                    "pilot": chantier["pilot"],
                    "contributors": chantier["contributors"],
                    "first_steps": chantier["first_steps"],
                    "due_on": chantier["due_on"].isoformat() if chantier["due_on"] else "",
                    "status": chantier.get("status", ""),
                }
                yield section, base
                for person in chantier["people"]:
                    yield (
                        section,
                        {
                            "chantier": chantier["title"],
                            "person": person["name"],
                            "role": person["role"],
                        },
                    )


def csv_columns() -> list[tuple[str, str]]:
    return [
        ("activity", _("Activity")),
        ("kind", _("Activity kind")),
        ("prompt", _("Prompt")),
        ("cluster", _("Cluster")),
        ("text", _("Text or item")),
        ("person", _("Author or person")),
        ("rank", _("Rank")),
        ("dots", _("Dots")),
        ("voters", _("Voters")),
        ("impact", _("Impact (average)")),
        ("ease", _("Ease (average)")),
        ("ratings", _("Ratings")),
        ("quadrant", _("Quadrant")),
        ("chantier", _("Chantier")),
        ("role", _("Role")),
        ("pilot", _("Pilot")),
        ("contributors", _("Contributors")),
        ("first_steps", _("First steps")),
        ("due_on", _("Due date")),
        ("status", _("Status")),
    ]


def to_csv(document: WorkshopSynthesis) -> bytes:
    """One row per contribution (note, note in a cluster, voted item, rated item, chantier,
    sign-up); UTF-8 with a BOM so Excel reads the accents."""
    columns = csv_columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([inert_cell(label) for _key, label in columns])
    for section, row in _kind_rows(document):
        row = {"activity": _activity_name(section), "kind": section.kind_label, **row}
        writer.writerow([inert_cell(row.get(key, "")) for key, _label in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# XLSX -------------------------------------------------------------------------------------

# Sheet names are fixed (French): people's spreadsheets and macros refer to them by name.
SHEETS = ("Atelier", "Notes", "Regroupements", "Votes", "Matrice", "Chantiers", "Qui fait quoi")


def _sheet_rows(document: WorkshopSynthesis) -> dict[str, tuple[list, list[list]]]:
    """Each sheet's header and rows."""
    figures = document.figures
    sheets = {
        "Atelier": (
            [_("Figure"), _("Value")],
            [
                [_("Workshop"), document.workshop.title],
                [_("Organisation"), document.organisation.name],
                [_("Process"), document.process.title if document.process else ""],
                [_("Phase"), document.phase.title if document.phase else ""],
                [_("Date"), document.held_on],
                [_("State"), document.workshop.get_state_display()],
                [_("Participants"), figures.participants],
                [_("Contributions"), figures.contributions],
                [_("Notes"), figures.notes],
                [_("Clusters"), figures.clusters],
                [_("Dots"), figures.dots],
                [_("Ratings"), figures.ratings],
                [_("Chantiers"), figures.chantiers],
                [_("Sign-ups"), figures.commitments],
            ],
        )
    }
    notes = []
    for section in document.of_kind("ideation"):
        for prompt in section.data["prompts"]:
            notes += [
                [_activity_name(section), prompt["prompt"], n["text"], n["author"], n["cluster"]]
                for n in prompt["notes"]
            ]
    sheets["Notes"] = ([_("Activity"), _("Prompt"), _("Note"), _("Author"), _("Cluster")], notes)
    clusters = []
    for section in document.of_kind("grouping"):
        for cluster in section.data["clusters"]:
            clusters += [[_activity_name(section), cluster["name"], n] for n in cluster["notes"]]
            if not cluster["notes"]:
                clusters.append([_activity_name(section), cluster["name"], ""])
        clusters += [[_activity_name(section), "", n] for n in section.data["ungrouped"]]
    sheets["Regroupements"] = ([_("Activity"), _("Cluster"), _("Note")], clusters)
    votes = [
        [_activity_name(section), row["rank"], row["label"], row["dots"], row["voters"]]
        for section in document.of_kind("dotvote")
        for row in section.data["ranking"]
    ]
    sheets["Votes"] = ([_("Activity"), _("Rank"), _("Item"), _("Dots"), _("Voters")], votes)
    matrix = []
    for section in document.of_kind("matrix"):
        matrix += [
            [
                _activity_name(section),
                item["number"],
                item["label"],
                round(item["impact"], 2),
                round(item["ease"], 2),
                item["n"],
                item["quadrant_label"],
            ]
            for item in section.data["rated"]
        ]
        matrix += [
            [_activity_name(section), None, label, None, None, 0, _("Not rated")]
            for label in section.data["unrated"]
        ]
    sheets["Matrice"] = (
        [_("Activity"), _("No."), _("Item"), _("Impact"), _("Ease"), _("Ratings"), _("Quadrant")],
        matrix,
    )
    chantiers, blocks = [], []
    for section in document.of_kind("actionplan"):
        for chantier in section.data["chantiers"]:
            chantiers.append(
                [
                    _activity_name(section),
                    chantier["title"],
                    chantier.get("item", ""),
                    chantier.get("status", ""),
                    chantier["pilot"],
                    chantier["contributors"],
                    chantier["first_steps"],
                    chantier["due_on"],
                    ", ".join(f"{p['name']} ({p['role']})" for p in chantier["people"]),
                ]
            )
        if section.data["people"]:
            blocks.append(
                (
                    [_("Activity"), _("Chantier"), *section.data["people"]],
                    [
                        [_activity_name(section), row["title"], *row["cells"]]
                        for row in section.data["grid"]
                    ],
                )
            )
    sheets["Chantiers"] = (
        [
            _("Activity"),
            _("Chantier"),
            _("From"),
            _("Status"),
            _("Pilot"),
            _("Contributors"),
            _("First steps"),
            _("Due date"),
            _("Signed up"),
        ],
        chantiers,
    )
    # The grid: one column per person. Several action plans: one block each, each with its
    # own header row, separated by an empty row.
    who_header, who = [_("Activity"), _("Chantier")], []
    if blocks:
        who_header, who = blocks[0]
        for header, rows in blocks[1:]:
            who += [[], header, *rows]
    sheets["Qui fait quoi"] = (who_header, who)
    return sheets


def to_xlsx(document: WorkshopSynthesis) -> bytes:
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    for index, name in enumerate(SHEETS):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for name, (header, rows) in _sheet_rows(document).items():
        sheet = workbook[name]
        sheet.freeze_panes = "A2"
        widths = [len(str(cell)) for cell in header]
        for row in [header, *rows]:
            sheet.append([inert_cell(cell) for cell in row])
            for index, cell in enumerate(row):
                if index >= len(widths):
                    widths.append(0)
                widths[index] = max(widths[index], len(str(cell)) if cell is not None else 0)
        # One pass over the written cells (openpyxl finds a row by scanning every cell).
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            for cell in cells:
                if number == 1:
                    cell.font = bold
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "dd/mm/yyyy"
                elif isinstance(cell.value, str) and len(cell.value) > 60:
                    cell.alignment = wrap
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60) + 2
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


FORMATS = {
    "md": (to_markdown, "text/markdown; charset=utf-8"),
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
