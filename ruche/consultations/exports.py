"""The synthesis report as Markdown, CSV and XLSX files (from report.build_report).

Everything participants wrote is data, never markup or formulas:
- in spreadsheets (CSV and XLSX), a text starting with = + - @ (or a tab / carriage return)
  gets a leading apostrophe, so Excel or LibreOffice never evaluate it (OWASP "CSV
  injection");
- in Markdown, characters that would make links, emphasis, HTML or table cells are
  backslash-escaped or written as entities.
"""

import csv
import io
import re

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruche.consultations.models import MIN_BREAKDOWN_GROUP
from ruche.consultations.report import Report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value):
    """A spreadsheet cell value that cannot run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def percent(share: float | None) -> str:
    if share is None:
        return "—"
    return f"{round(share * 100)} %"


def share_cell(share: float | None) -> float | None:
    """A share as a number rounded to 0.1 % (spreadsheets), empty (None) when unknown."""
    return None if share is None else round(share, 3)


def masked(count: int | None):
    """A breakdown cell: its count, or "< 10" where it is too small to be shown."""
    return count if count is not None else f"< {MIN_BREAKDOWN_GROUP}"


def computed_line(report: Report) -> str:
    if report.opinions is None:
        return _("Not computed yet.")
    return ngettext(
        "Computed on %(date)s from %(votes)s vote.",
        "Computed on %(date)s from %(votes)s votes.",
        report.opinions.n_votes,
    ) % {
        "date": formats.date_format(
            timezone.localtime(report.opinions.computed_at), "DATETIME_FORMAT"
        ),
        "votes": report.opinions.n_votes,
    }


def filename(report: Report, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", report.consultation.title.lower()).strip("-")[:60]
    return f"synthese-{slug or 'consultation'}.{extension}"


# Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = ("#", ">", "-", "+", "=")


def md(text) -> str:
    """User text as inert Markdown: one line, specials escaped, no raw HTML."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text.startswith(_MD_LINE_START) or re.match(r"\d+[.)] ", text):
        text = "\\" + text
    return text


def _md_table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(md(cell) for cell in header) + " |"]
    lines.append("|" + "|".join(" --- " for _cell in header) + "|")
    lines.extend("| " + " | ".join(md(cell) for cell in row) + " |" for row in rows)
    lines.append("")
    return lines


def to_markdown(report: Report) -> str:
    lines = [
        f"# {_('Synthesis')} — {md(report.consultation.title)}",
        "",
        md(computed_line(report)),
        "",
    ]
    figures = report.figures
    lines += [f"## {_('Key figures')}", ""]
    lines += _md_table(
        [_("Figure"), _("Value")],
        [
            [_("Participants"), figures.participants],
            [_("Votes"), figures.votes],
            [_("Published statements"), figures.statements],
            [_("Answers to open questions"), figures.answers],
        ],
    )
    if report.per_day:
        lines += [f"## {_('Participation per day')}", ""]
        lines += _md_table(
            [_("Day"), _("Votes"), _("New participants")],
            [[day.day.isoformat(), day.votes, day.new_participants] for day in report.per_day],
        )
    if report.groups:
        lines += [f"## {_('Opinion groups')}", ""]
        for group in report.groups:
            lines += [
                f"### {md(group.name)}",
                "",
                ngettext("%(n)s participant", "%(n)s participants", group.size) % {"n": group.size},
                "",
            ]
            if group.representative:
                lines += _md_table(
                    [_("Statement"), _("Position"), _("In the group"), _("Others")],
                    [
                        [
                            item.statement.text,
                            _("agree") if item.direction == "agree" else _("disagree"),
                            percent(item.share_in_group),
                            percent(item.share_outside),
                        ]
                        for item in group.representative
                    ],
                )
    for title, items in (
        (_("Consensus: agreed by most"), report.consensus_agree),
        (_("Consensus: rejected by most"), report.consensus_disagree),
    ):
        if items:
            lines += [f"## {title}", ""]
            lines += _md_table(
                [_("Statement"), _("Share")],
                [[item.statement.text, percent(item.share)] for item in items],
            )
    if report.divisive:
        lines += [f"## {_('Divisive statements')}", ""]
        lines += _md_table(
            [_("Statement")] + [group.name for group in report.groups],
            [[item.statement.text] + [percent(s) for s in item.shares] for item in report.divisive],
        )
    for question in report.questions:
        themes_title = _("Themes")
        lines += [f"## {themes_title} — {md(question.text)}", ""]
        for theme in question.themes:
            lines += [f"### {md(theme.name)} ({theme.size})", ""]
            lines += [f"> {md(quote.text)}" + "\n" for quote in theme.quotes]
            lines.append("")
    for breakdown in report.breakdowns:
        breakdown_title = _("Breakdown")
        lines += [f"## {breakdown_title} — {md(breakdown.label)}", ""]
        lines += _md_table(
            [_("Answer"), _("Participants")] + [group.name for group in report.groups],
            [
                [choice.choice, choice.participants, *[masked(n) for n in choice.groups]]
                for choice in breakdown.choices
            ],
        )
    if report.consultation.attribution:
        lines += [f"## {_('Source and licence')}", "", md(report.consultation.attribution), ""]
    return "\n".join(lines).rstrip() + "\n"


# CSV --------------------------------------------------------------------------------------


def statement_header(report: Report) -> list[str]:
    return [
        _("Number"),
        _("Statement"),
        _("Agree"),
        _("Disagree"),
        _("Pass"),
        _("Votes"),
        _("Agree share"),
    ] + [_("Agree share — %(group)s") % {"group": group.name} for group in report.groups]


def statement_rows(report: Report) -> list[list]:
    return [
        [
            row.statement.number,
            row.statement.text,
            row.agree,
            row.disagree,
            row.passed,
            row.votes,
            share_cell(row.agree_share),
        ]
        + [share_cell(share) for share in row.group_agree[: len(report.groups)]]
        for row in report.statements
    ]


def to_csv(report: Report) -> bytes:
    """One row per statement; UTF-8 with a BOM so Excel reads the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([inert_cell(cell) for cell in statement_header(report)])
    for row in statement_rows(report):
        writer.writerow([inert_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# XLSX -------------------------------------------------------------------------------------

# Sheet names are fixed (French): people's spreadsheets and macros refer to them by name.
SHEETS = ("Chiffres clés", "Propositions", "Groupes", "Thèmes", "Répartitions")


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheets = {}
    for i, name in enumerate(SHEETS):
        sheets[name] = workbook.active if i == 0 else workbook.create_sheet()
        sheets[name].title = name

    def write(sheet, rows, header=None):
        if header:
            sheet.append([inert_cell(cell) for cell in header])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for row in rows:
            sheet.append([inert_cell(cell) for cell in row])

    figures = report.figures
    key_figures = sheets["Chiffres clés"]
    write(
        key_figures,
        [
            [_("Consultation"), report.consultation.title],
            [_("Computed"), computed_line(report)],
            [_("Participants"), figures.participants],
            [_("Votes"), figures.votes],
            [_("Published statements"), figures.statements],
            [_("Answers to open questions"), figures.answers],
        ],
        header=[_("Figure"), _("Value")],
    )
    if report.per_day:
        key_figures.append([])
        write(
            key_figures,
            [[day.day, day.votes, day.new_participants] for day in report.per_day],
            header=[_("Day"), _("Votes"), _("New participants")],
        )
        for row in key_figures.iter_rows(min_row=key_figures.max_row - len(report.per_day) + 1):
            row[0].number_format = "dd/mm/yyyy"
    write(sheets["Propositions"], statement_rows(report), header=statement_header(report))
    group_rows = []
    for group in report.groups:
        if not group.representative:
            group_rows.append([group.name, group.size, "", "", "", ""])
        for item in group.representative:
            group_rows.append(
                [
                    group.name,
                    group.size,
                    item.statement.text,
                    _("agree") if item.direction == "agree" else _("disagree"),
                    round(item.share_in_group, 3),
                    round(item.share_outside, 3),
                ]
            )
    write(
        sheets["Groupes"],
        group_rows,
        header=[
            _("Group"),
            _("Participants"),
            _("Representative statement"),
            _("Position"),
            _("Share in the group"),
            _("Share among others"),
        ],
    )
    theme_rows = []
    for question in report.questions:
        for theme in question.themes:
            quotes = [quote.text for quote in theme.quotes] + ["", "", ""]
            theme_rows.append([question.text, theme.name, theme.size, *quotes[:3]])
    write(
        sheets["Thèmes"],
        theme_rows,
        header=[_("Question"), _("Theme"), _("Answers"), _("Quote"), _("Quote"), _("Quote")],
    )
    breakdown_rows = [
        [breakdown.label, choice.choice, choice.participants, *map(masked, choice.groups)]
        for breakdown in report.breakdowns
        for choice in breakdown.choices
    ]
    write(
        sheets["Répartitions"],
        breakdown_rows,
        header=[_("Question"), _("Answer"), _("Participants")]
        + [group.name for group in report.groups],
    )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


FORMATS = {
    "md": (to_markdown, "text/markdown; charset=utf-8"),
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
