"""The article change list: the columns editors scan, filters, search, and a constant cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from core.paginators import EstimatedCountPaginator
from tests.factories import make_article, make_comment, make_person, make_section

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGELIST = "admin:articles_article_changelist"


def listed(response):
    return [article.headline for article in response.context["cl"].result_list]


def test_columns_show_status_bylines_dates_and_pending_comments(editor):
    reporter = make_person(name="Ruth Okafor")
    story = make_article(headline="Dock workers vote", bylines=[reporter])
    make_article(headline="Coming soon", published_at=timezone.now() + timedelta(days=1))
    make_comment(story, status=Comment.Status.PENDING)
    make_comment(story, status=Comment.Status.PENDING)
    make_comment(story, status=Comment.Status.APPROVED)

    response = editor.get(reverse(CHANGELIST))

    assert response.status_code == 200
    rows = {a.headline: a for a in response.context["cl"].result_list}
    assert rows["Dock workers vote"].pending_comment_count == 2
    assert rows["Coming soon"].pending_comment_count == 0
    assert "Ruth Okafor" in response.text
    assert "Scheduled" in response.text
    assert "Goes live" in response.text
    # Editors may moderate: the count links to the story's queue.
    assert f"?article={story.pk}&amp;status=pending" in response.text


def test_queries_do_not_grow_with_the_number_of_rows(editor, django_assert_num_queries):
    section = make_section()

    def add_stories(n):
        for _ in range(n):
            story = make_article(section=section, tags=["Ports"], bylines=[make_person()])
            make_comment(story, status=Comment.Status.PENDING)

    add_stories(3)
    with CaptureQueriesContext(connection) as few:
        editor.get(reverse(CHANGELIST))
    add_stories(20)
    # 1 user, 2 permissions (user, groups), 1 sections and 1 people for the filters,
    # 1 count, 1 page of stories (pending-comment counts as a subquery in it), 1 prefetch
    # of every byline, 2 for the date hierarchy (+1 on PostgreSQL: the planner's row
    # estimate), 1 of who is editing the page's stories (newsdesk.presence). The same
    # for 3 rows as for 23.
    with django_assert_num_queries(len(few.captured_queries)):
        response = editor.get(reverse(CHANGELIST))
    assert len(few.captured_queries) <= 12
    assert len(response.context["cl"].result_list) == 23


def test_the_full_count_is_never_run(editor):
    response = editor.get(reverse(CHANGELIST))
    assert response.context["cl"].show_full_result_count is False


def test_status_filter_tells_scheduled_from_live(editor):
    make_article(headline="Live one")
    make_article(headline="Later one", published_at=timezone.now() + timedelta(hours=3))
    make_article(headline="Draft one", status=Status.DRAFT)

    assert listed(editor.get(reverse(CHANGELIST), {"status": "scheduled"})) == ["Later one"]
    assert listed(editor.get(reverse(CHANGELIST), {"status": "live"})) == ["Live one"]
    assert listed(editor.get(reverse(CHANGELIST), {"status": "draft"})) == ["Draft one"]


def test_author_tag_section_and_mine_filters(editor):
    ruth = make_person(name="Ruth")
    section = make_section(name="Metro")
    make_article(headline="By Ruth", bylines=[ruth])
    make_article(headline="Tagged", tags=["Transport"])
    make_article(headline="In Metro", section=section)
    make_article(headline="Editor's own", created_by=editor.user)

    assert listed(editor.get(reverse(CHANGELIST), {"author": ruth.pk})) == ["By Ruth"]
    assert listed(editor.get(reverse(CHANGELIST), {"tag": "transport"})) == ["Tagged"]
    assert listed(editor.get(reverse(CHANGELIST), {"section__id__exact": section.pk})) == [
        "In Metro"
    ]
    assert listed(editor.get(reverse(CHANGELIST), {"mine": "1"})) == ["Editor's own"]


def test_search_looks_in_headline_dek_and_body(editor, django_capture_on_commit_callbacks):
    # Committed, so that the search index (used for bodies on PostgreSQL) is written.
    with django_capture_on_commit_callbacks(execute=True):
        make_article(headline="Quarry plan", body="<p>Nothing here.</p>")
        make_article(headline="Other", dek="The quarry again")
        make_article(headline="Third", body="<p>A quarry story.</p>")
        make_article(headline="Unrelated", body="<p>Quarantine rules.</p>")

    response = editor.get(reverse(CHANGELIST), {"q": "quarry"})

    assert sorted(listed(response)) == ["Other", "Quarry plan", "Third"]


def test_related_post_autocomplete_searches_headlines(editor):
    make_article(headline="Harbour dredging")
    make_article(headline="Unrelated", body="<p>harbour mentioned in the body</p>")

    response = editor.get(
        reverse("admin:autocomplete"),
        {
            "term": "harbour",
            "app_label": "articles",
            "model_name": "relatedlink",
            "field_name": "to_article",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Harbour dredging"]


def test_paginator_counts_exactly_when_filtered_or_small():
    make_article()
    make_article(status=Status.DRAFT)
    everything = Article.objects.all()
    assert EstimatedCountPaginator(everything, 10).count == 2
    assert EstimatedCountPaginator(everything.filter(status=Status.DRAFT), 10).count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner estimate")
def test_paginator_uses_the_planner_estimate_for_a_big_unfiltered_table(monkeypatch):
    for _ in range(3):
        make_article()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    monkeypatch.setattr("core.paginators.ESTIMATE_ABOVE", 0)

    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(Article.objects.all(), 10).count

    assert count == 3
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)


def test_date_hierarchy_offers_the_years_without_scanning_them(editor):
    make_article(headline="Old", published_at=timezone.now().replace(year=2021, month=3))
    make_article(headline="New", published_at=timezone.now().replace(year=2024, month=5))

    with CaptureQueriesContext(connection) as queries:
        response = editor.get(reverse(CHANGELIST))

    for year in ("2021", "2022", "2023", "2024"):
        assert f"?published_at__year={year}" in response.text
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"]]
    drill = editor.get(reverse(CHANGELIST), {"published_at__year": "2024"})
    assert listed(drill) == ["New"]
    assert "?published_at__month=5&amp;published_at__year=2024" in drill.text
