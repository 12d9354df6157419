"""What a facilitator and participants do on the workshop pages, as steps of browser tests:
signing in, preparing a workshop on its "préparer" page, joining a room from a phone with
the code read on the screen, and downloading the synthesis exports.

Every step goes through the pages (links, forms, buttons), never through the database;
fields are found by their HTML id or data-testid so that the steps hold whether the
interface is in English or in French.
"""

import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PARTICIPANT_PAGE = re.compile(r"/ateliers/[0-9a-f-]+/$")


def log_in(page, email):
    page.goto("/connexion/")
    page.get_by_role("textbox", name="Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/tableau-de-bord/")


def off_loop(function, *args, **kwargs):
    """Run `function` in a thread of its own, as the server's code runs.

    Playwright's event loop runs in the test's thread, where the broadcast after commit
    (async_to_sync) cannot run: writes that reach open pages are made from another thread."""

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def open_phone(browser, base_url, errors):
    """A phone's browser (its own cookies); console errors and page errors go to `errors`."""
    context = browser.new_context(base_url=base_url, locale="fr-FR", **PHONE)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


# --- Preparing ----------------------------------------------------------------------------


def create_workshop(page, organisation, title):
    """The organisation's "new workshop" form; ends on the workshop's "préparer" page."""
    page.goto(f"/structures/{organisation.pk}/ateliers/nouveau/")
    form = page.get_by_test_id("workshop-form")
    form.locator("#id_title").fill(title)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/preparer/$"))


def add_activity(page, kind, title, *, source=None, fields=None):
    """From the "préparer" page: "Add an activity" of `kind`, filled and saved.

    `source`: the title of the earlier activity its items come from (chosen in its menu);
    `fields`: other fields by name (a select when the field is one)."""
    page.get_by_test_id("add-activity").locator(f"a[data-kind={kind}]").click()
    form = page.get_by_test_id("activity-form")
    form.locator("#id_title").fill(title)
    if source is not None:
        option = form.locator("#id_source option").filter(has_text=source)
        form.locator("#id_source").select_option(option.get_attribute("value"))
    for name, value in (fields or {}).items():
        field = form.locator(f"#id_{name}")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/preparer/(#activities)?$"))
    expect(page.get_by_test_id("activities").get_by_test_id("activity").last).to_contain_text(title)


# --- Joining ------------------------------------------------------------------------------


def read_join_code(page):
    """The code as the room reads it on the screen (in groups, e.g. "K7P 2QX")."""
    return page.get_by_test_id("join-code").locator("[aria-hidden=true]").inner_text()


def join_room(page, code, name=None):
    """Type the code on the short address, then join with a pseudonym, or anonymously."""
    page.goto("/a/")
    page.get_by_test_id("code-form").get_by_role("textbox").fill(code)
    page.get_by_test_id("code-form").get_by_role("button").click()
    if name:
        page.locator("#id_display_name").fill(name)
        page.get_by_test_id("join-named").click()
    else:
        page.get_by_test_id("join-anonymous").click()
    page.wait_for_url(PARTICIPANT_PAGE)
    # "forbidden" instead: the socket refused the participant cookie the join page set.
    expect(page.locator("#workshop-live-status")).to_have_attribute("data-state", "online")


def wait_all_sent(page):
    """Every write of a participant's page acknowledged (its queue is empty)."""
    page.wait_for_function("() => window.rucheParticipant.client.pending.length === 0")


# --- Exports ------------------------------------------------------------------------------


def download(page, testid, folder):
    """Click the link `testid` and return the path of the file the browser saved."""
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved
