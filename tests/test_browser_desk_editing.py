"""Editing stories without losing copy, in Chromium (static/admin-editor/autosave.js and
presence.js): a closed tab or an expired session gives the text back, two editors see
each other, and leaving with unsaved changes asks first. Each step must go without a
script error, a console error, a CSP violation or a failed request (tests/conftest.py).
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from articles.models import Article
from newsdesk import presence
from newsdesk.models import DraftBuffer
from tests.conftest import _note_console, _note_response
from tests.factories import make_article, make_person, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser-test password"
ADD = "/admin/articles/article/add/"
HEADLINE = "Harbour cranes fall silent as the port strike enters its third day"
BODY = "Dockworkers walked out on Monday and no ship has been unloaded since."


def staff(username, name):
    user = make_staff("Editors", username=username)
    user.set_password(PASSWORD)
    user.save()
    make_person(name=name, user=user)
    return user


@pytest.fixture
def ed(newsroom_roles):
    return staff("ed", "Ed Ortiz")


def log_in(page, username, then):
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**{then}")


def new_tab(page, browser_problems):
    """Another tab of the same browser profile (its cookies and localStorage), watched
    as open_tab watches its pages."""
    tab = page.context.new_page()
    tab.on("pageerror", lambda error: browser_problems.append(f"script error: {error}"))
    tab.on("console", lambda message: _note_console(message, browser_problems))
    tab.on("response", lambda response: _note_response(response, browser_problems))
    return tab


def type_a_story(page):
    page.fill("#id_headline", HEADLINE)
    page.locator(".ql-editor").click()
    page.keyboard.type(BODY)


def autosaved(response):
    return (
        "/autosave/" in response.url
        and response.request.method == "POST"
        and "walked out" in (response.request.post_data or "")
    )


def test_a_closed_tab_gives_back_the_new_story(open_tab, screenshot, browser_problems, ed):
    page = open_tab()
    log_in(page, "ed", ADD)
    with page.expect_response(autosaved) as sent:
        type_a_story(page)
    assert sent.value.status == 200
    expect(page.locator("[data-autosave-state]")).to_contain_text("Draft kept at")
    assert DraftBuffer.objects.get(user=ed, story=None).fields["headline"] == [HEADLINE]
    screenshot(page, "autosaved")
    page.close()  # no save

    tab = new_tab(page, browser_problems)
    tab.goto(ADD)
    restore = tab.get_by_role("button", name="Restore your unsaved changes from")
    expect(restore).to_be_visible()
    expect(tab.get_by_role("button", name="Discard")).to_be_visible()
    screenshot(tab, "restore-offered")
    restore.click()

    assert tab.input_value("#id_headline") == HEADLINE
    expect(tab.locator(".ql-editor")).to_contain_text(BODY)
    assert BODY in tab.input_value("#id_body")
    expect(tab.locator("[data-restore]")).to_be_hidden()
    screenshot(tab, "restored")


def test_an_expired_session_keeps_the_text_in_the_browser(
    open_tab, screenshot, browser_problems, ed
):
    page = open_tab()
    log_in(page, "ed", ADD)
    session = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    page.context.clear_cookies(name="sessionid")  # signed out while typing
    with page.expect_response(autosaved) as sent:
        type_a_story(page)
    assert sent.value.status == 302  # to the login page: the server kept nothing
    expect(page.locator("[data-autosave-state]")).to_contain_text("kept in this browser")
    assert not DraftBuffer.objects.exists()
    assert session  # it was there before
    page.close()

    tab = new_tab(page, browser_problems)
    log_in(tab, "ed", ADD)
    tab.get_by_role("button", name="Restore your unsaved changes from").click()
    assert tab.input_value("#id_headline") == HEADLINE
    expect(tab.locator(".ql-editor")).to_contain_text(BODY)
    screenshot(tab, "restored-after-signing-in")

    # Saving the story ends both copies: the server's and the browser's.
    tab.fill("#id_slug", "harbour-cranes")
    tab.click("input[name=_save]")
    tab.wait_for_url("**/admin/articles/article/")
    assert Article.objects.get(slug="harbour-cranes").headline == HEADLINE
    key = f"newsdesk-draft:{ed.pk}:new"
    assert tab.evaluate("(key) => window.localStorage.getItem(key)", key) is None
    tab.goto(ADD)
    expect(tab.locator("#id_headline")).to_be_visible()
    expect(tab.locator("[data-restore]")).to_be_hidden()


def test_two_editors_see_each_other_and_one_takes_over(open_tab, screenshot, ed, monkeypatch):
    monkeypatch.setattr(presence, "HEARTBEAT", timedelta(seconds=1))
    staff("maya", "Maya Brooks")
    story = make_article(headline="Council votes on the harbour plan")
    url = f"/admin/articles/article/{story.pk}/change/"

    first = open_tab()
    log_in(first, "ed", url)
    second = open_tab()
    log_in(second, "maya", url)

    expect(second.locator("[data-presence]")).to_contain_text("Ed Ortiz is editing this story")
    expect(first.locator("[data-presence]")).to_contain_text("Maya Brooks is editing this story")
    screenshot(second, "both-editing")

    second.get_by_role("button", name="Take over").click()
    expect(second.locator("[data-presence]")).to_contain_text("You have taken over this story")
    expect(first.locator("[data-presence]")).to_contain_text("Maya Brooks took over editing at")
    expect(first.locator("[data-presence]")).to_contain_text("kept in your draft buffer")
    expect(first.get_by_role("button", name="Take over")).to_be_hidden()
    screenshot(first, "taken-over")
    # Later heartbeats (one a second here) keep saying so to the one who took over.
    second.wait_for_timeout(2500)
    expect(second.locator("[data-presence]")).to_contain_text("You have taken over this story")


def test_leaving_with_unsaved_changes_asks_first_but_saving_does_not(open_tab, screenshot, ed):
    story = make_article(headline="Rain expected", body="<p>Showers by noon.</p>")
    url = f"/admin/articles/article/{story.pk}/change/"
    page = open_tab()
    log_in(page, "ed", url)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.locator(".ql-editor").click()
    page.keyboard.press("End")
    page.keyboard.type(" Heavy rain by evening.")
    page.locator(".breadcrumbs a").first.click()

    expect(page.locator("#id_headline")).to_be_visible()
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(url)
    screenshot(page, "still-editing")

    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    assert dialogs == ["beforeunload"]  # none for the save
    story.refresh_from_db()
    assert "Heavy rain by evening." in story.body
    assert not DraftBuffer.objects.exists()
