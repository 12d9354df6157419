"""The French catalogue is complete, compiled, and covers every interface string."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "ruche" / "locale" / "fr" / "LC_MESSAGES"
PO = CATALOGUES / "django.po"
# Python and templates ("django"), and the JavaScript clients ("djangojs", served by
# /jsi18n/).
DOMAINS = ["django", "djangojs"]


def read_po(path: Path) -> dict[str, tuple[str, bool]]:
    """{msgid: (msgstr, fuzzy)}; for a plural entry the msgid is its singular, followed by
    its plural, and the msgstr all forms joined by "\x00" (empty if any form is empty)."""
    entries, fuzzy, key, current = {}, False, None, {}
    for line in [*path.read_text().splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif re.match(r"^(msgid|msgid_plural|msgstr|msgstr\[\d+\]) ", line):
            key = line.split(" ", 1)[0]
            current[key] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            if current.get("msgid"):
                entries[_key(current)] = (_translation(current), fuzzy)
            fuzzy, key, current = False, None, {}
    return entries


def _key(entry: dict) -> str:
    if "msgid_plural" in entry:
        return entry["msgid"] + "\x00" + entry["msgid_plural"]
    return entry["msgid"]


def _translation(entry: dict) -> str:
    forms = [value for name, value in sorted(entry.items()) if name.startswith("msgstr[")]
    if not forms:
        return entry.get("msgstr", "")
    return "\x00".join(forms) if all(forms) else ""


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_french_entry_is_translated_and_not_fuzzy(domain):
    """No interface string is left untranslated or fuzzy in French."""
    entries = read_po(CATALOGUES / f"{domain}.po")
    problems = [msgid for msgid, (msgstr, fuzzy) in entries.items() if not msgstr or fuzzy]
    assert problems == []


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo says what the .po says (someone ran compilemessages)."""
    with translation.override("fr"):
        stale = [
            msgid
            for msgid, (msgstr, _fuzzy) in read_po(PO).items()
            if "%(" not in msgid and "\x00" not in msgid and translation.gettext(msgid) != msgstr
        ]
    assert stale == []


def test_compiled_javascript_catalogue_matches_the_po_file():
    """/jsi18n/ serves what djangojs.po says (someone ran compilemessages)."""
    view = JavaScriptCatalog()
    view.translation = DjangoTranslation("fr", domain="djangojs")
    catalog = view.get_catalog()
    stale = []
    for msgid, (msgstr, _fuzzy) in read_po(CATALOGUES / "djangojs.po").items():
        served = catalog.get(msgid.split("\x00")[0])
        if ("\x00".join(served) if isinstance(served, list) else served) != msgstr:
            stale.append(msgid)
    assert stale == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (xgettext)")
@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_covers_every_string_in_the_code(tmp_path, domain):
    """makemessages on the current code finds no string missing from the catalogue."""
    copy = tmp_path / "ruche"
    shutil.copytree(ROOT / "ruche", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-d",
            domain,
            "-l",
            "fr",
            "--ignore",
            "locale/*",
            "--no-obsolete",
            "--no-location",
            "-v",
            "0",
        ],
        cwd=copy,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "ruche.config.settings.test",
            "PYTHONPATH": str(tmp_path),
            "RUCHE_VAR_DIR": str(tmp_path / "var"),
        },
    )
    extracted = set(read_po(copy / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"))
    missing = sorted(extracted - set(read_po(CATALOGUES / f"{domain}.po")))
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing)


@pytest.mark.parametrize("domain", DOMAINS)
def test_placeholders_are_kept_in_translations(domain):
    """Each placeholder of a message (%(name)s, %s, %d, {name}) appears in its French
    translation as many times."""
    wrong = [
        msgid
        for msgid, (msgstr, _f) in read_po(CATALOGUES / f"{domain}.po").items()
        for singular_or_plural, form in zip(msgid.split("\x00"), msgstr.split("\x00"), strict=False)
        if _placeholders(singular_or_plural) != _placeholders(form)
    ]
    assert wrong == []


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%(?:\(\w+\))?[sdif]|\{\w*\}", text))
