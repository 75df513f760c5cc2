"""Scheduling said plainly on the story form: the workflow buttons (and the server's
refusal of a forged one), times in the newsroom's zone by name and relative, the
story's length, the credits' hidden positions, and a message after a save that says
what is true for that user and story."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsdesk import times
from newsdesk.story_scheduling import ACTION_FIELD, length_line
from tests.factories import browser_form_data, make_article

pytestmark = pytest.mark.django_db

Status = Article.Status
INDEX = reverse("admin:index")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def open_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return browser_form_data(response.text, "article_form")


def time_fields(name, moment):
    local = timezone.localtime(moment)
    return {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S")}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# The newsroom's clock.


@pytest.mark.parametrize(
    "moment, name",
    [
        (datetime(2026, 1, 5, 15, tzinfo=UTC), "New York time, EST"),
        (datetime(2026, 7, 5, 15, tzinfo=UTC), "New York time, EDT"),
    ],
)
def test_the_zone_is_named_with_its_abbreviation_at_that_date(moment, name):
    assert times.zone_name(moment) == name


def test_a_zone_without_a_city_is_its_abbreviation(settings):
    settings.TIME_ZONE = "UTC"
    assert times.zone_name(datetime(2026, 1, 5, tzinfo=UTC)) == "UTC"


@pytest.mark.parametrize(
    "delta, said",
    [
        (timedelta(hours=2, minutes=15), "in 2 h 15 min"),
        (timedelta(minutes=45), "in 45 min"),
        (timedelta(days=1, minutes=5), "in 1 d"),
        (timedelta(days=3, hours=4), "in 3 d 4 h"),
        (-timedelta(hours=3, minutes=5), "3 h 5 min ago"),
        (timedelta(seconds=20), "now"),
    ],
)
def test_relative_times_in_two_units(delta, said):
    now = datetime(2026, 1, 5, 15, tzinfo=UTC)
    assert times.relative(now + delta, now) == said


# Length.


def test_the_length_line_counts_words_reading_time_and_the_headline():
    body = "<p>" + " ".join(["word"] * 460) + "</p><p>one&nbsp;more</p>"
    assert length_line("Port strike ends", body) == (
        "462 words · 3 min read · headline 16 of 110 characters"
    )
    assert length_line("x" * 124, "<p>Two words</p>").endswith(
        "headline 124 of 110 characters: 14 over Google's limit"
    )


def test_the_form_shows_the_length_and_loads_its_script(editor):
    article = make_article(headline="Port strike ends", body="<p>Dockworkers went back.</p>")
    html = editor.get(change_url(article)).text
    assert "3 words · 1 min read · headline 16 of 110 characters" in html
    assert "admin-editor/counters.js" in html and "admin-editor/credit-order.js" in html


# The zone on the form.


def test_time_fields_name_the_newsrooms_zone(editor, clock):
    now = clock.freeze()
    response = editor.get(reverse("admin:articles_article_add"))
    form = response.context["adminform"].form
    assert form.fields["published_at"].help_text.startswith(f"{times.zone_name(now)}. ")
    assert form.fields["embargo_until"].help_text.startswith(f"{times.zone_name(now)}. ")
    assert 'data-newsroom-zone="America/New_York"' in response.text
    # Django's "You are N hours ahead of server time" is hidden by this stylesheet.
    assert "admin-editor/desk.css" in response.text


def test_the_scheduled_state_says_the_zone_and_how_soon(editor, clock):
    now = clock.freeze()
    article = make_article(published_at=now + timedelta(hours=2, minutes=15))
    html = editor.get(change_url(article)).text
    assert f"({times.zone_name(article.published_at)}), in 2 h 15 min" in html


# The buttons.


def test_editors_get_publish_and_schedule_writers_submit(editor, writer):
    editor_form = editor.get(reverse("admin:articles_article_add")).text
    assert f'name="{ACTION_FIELD}" value="schedule">Schedule</button>' in editor_form
    assert f'name="{ACTION_FIELD}" value="publish">Publish now</button>' in editor_form
    writer_form = writer.get(reverse("admin:articles_article_add")).text
    assert f'name="{ACTION_FIELD}" value="submit">Submit for review</button>' in writer_form
    assert 'value="schedule"' not in writer_form


def test_an_editor_schedules_and_is_told_when_it_goes_live(editor, clock):
    now = clock.freeze()
    article = make_article(status=Status.REVIEW, headline="Budget day")
    goes_live = (now + timedelta(hours=2, minutes=15)).replace(microsecond=0)
    data = open_form(editor, change_url(article))
    data.update(time_fields("published_at", goes_live), **{ACTION_FIELD: "schedule"})

    response = editor.post(change_url(article), data)

    assert response.status_code == 302
    assert response.url == change_url(article)
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.PUBLISHED, goes_live)
    assert article.is_scheduled
    [message] = messages_of(response)
    assert message.startswith("Scheduled: “Budget day” goes live by itself on")
    assert message.endswith(f"({times.zone_name(goes_live)}), in 2 h 15 min.")
    desk = editor.get(INDEX).text
    assert "Budget day" in desk and "in 2 h 15 min" in desk


@pytest.mark.parametrize("when", [None, -timedelta(minutes=5)])
def test_scheduling_needs_a_time_ahead(editor, clock, when):
    now = clock.freeze()
    article = make_article(status=Status.REVIEW)
    data = open_form(editor, change_url(article))
    if when is not None:
        data.update(time_fields("published_at", now + when))
    data[ACTION_FIELD] = "schedule"

    response = editor.post(change_url(article), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["published_at"]
    assert errors == [
        f"To schedule the story, set when it goes live: a time ahead ({times.zone_name()})."
    ]
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_scheduling_before_the_embargo_is_refused(editor, clock):
    now = clock.freeze()
    article = make_article(status=Status.REVIEW, embargo_until=now + timedelta(days=1))
    data = open_form(editor, change_url(article))
    data.update(time_fields("published_at", now + timedelta(hours=2)), **{ACTION_FIELD: "schedule"})

    response = editor.post(change_url(article), data)

    assert response.status_code == 200
    assert "Embargoed until" in str(response.context["adminform"].form.errors)
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_an_editor_publishes_now(editor, clock):
    now = clock.freeze()
    article = make_article(status=Status.REVIEW, headline="Harbour reopens")
    data = open_form(editor, change_url(article))
    data.update(time_fields("published_at", now + timedelta(days=2)), **{ACTION_FIELD: "publish"})

    response = editor.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published and article.published_at == now
    assert messages_of(response) == ["Published: “Harbour reopens” is live."]


@pytest.mark.parametrize("action", ["schedule", "publish"])
def test_a_writers_forged_schedule_or_publish_is_refused(writer, clock, action):
    now = clock.freeze()
    article = make_article(status=Status.DRAFT, created_by=writer.user)
    data = open_form(writer, change_url(article))
    data.update(time_fields("published_at", now + timedelta(hours=3)), **{ACTION_FIELD: action})

    response = writer.post(change_url(article), data)

    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.DRAFT, None)


def test_an_unknown_button_is_a_clear_error(editor):
    article = make_article(status=Status.DRAFT)
    data = open_form(editor, change_url(article))
    data[ACTION_FIELD] = "teleport"
    response = editor.post(change_url(article), data)
    assert response.status_code == 200
    assert "That button does not exist" in response.text
    article.refresh_from_db()
    assert article.status == Status.DRAFT


# After the save: a message that is true.


@pytest.mark.parametrize(
    "how",
    [
        {ACTION_FIELD: "submit"},
        {"status": Status.REVIEW, "_continue": "Save and continue editing"},
        {"status": Status.REVIEW, "_save": "Save"},
    ],
)
def test_a_writer_who_submits_is_told_they_can_no_longer_edit(writer, how):
    """The defect: "You may edit it again below" above a read-only page."""
    article = make_article(status=Status.DRAFT, created_by=writer.user, headline="Port strike")
    data = open_form(writer, change_url(article))
    data.update(how)

    response = writer.post(change_url(article), data)

    assert response.status_code == 302
    assert response.url == INDEX  # the desk, which lists it under "My stories in review"
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    assert messages_of(response) == [
        "Submitted for review: an editor will publish “Port strike”. You can no longer edit it."
    ]
    desk = writer.get(INDEX).text
    assert "You may edit it again below" not in desk and "Port strike" in desk


def test_a_writer_who_submits_a_new_story_is_told_the_same(writer):
    data = open_form(writer, reverse("admin:articles_article_add"))
    data.update(headline="Fresh copy", slug="fresh-copy", **{ACTION_FIELD: "submit"})

    response = writer.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302 and response.url == INDEX
    assert Article.objects.get(slug="fresh-copy").status == Status.REVIEW
    assert messages_of(response)[0].startswith("Submitted for review: an editor will publish")


def test_a_writer_saving_a_draft_keeps_djangos_message(writer):
    article = make_article(status=Status.DRAFT, created_by=writer.user)
    data = open_form(writer, change_url(article))
    data["_continue"] = "Save and continue editing"
    response = writer.post(change_url(article), data)
    assert response.url == change_url(article)
    assert "You may edit it again below" in messages_of(response)[0]


# Credits in the rows' order.


def test_credit_positions_are_hidden_inputs_the_script_renumbers(editor):
    article = make_article(status=Status.DRAFT)
    html = editor.get(change_url(article)).text
    assert 'type="hidden" name="credits-__prefix__-position"' in html
    assert '<th class="column-position required hidden">' in html
