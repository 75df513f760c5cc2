"""The moderation queue: comments in context, verdicts and replies on every row (with
and without the queue's script), counts per status, and staff replies signed with the
newsroom name."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import queue
from comments.models import Comment
from tests.factories import make_article, make_comment, make_person, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
ADD = reverse("admin:comments_comment_add")
JSON = {"HTTP_ACCEPT": "application/json"}


def moderate_url(comment_or_pk):
    return reverse(
        "admin:comments_comment_moderate", args=[getattr(comment_or_pk, "pk", comment_or_pk)]
    )


def reply_url(comment_or_pk):
    return reverse(
        "admin:comments_comment_reply", args=[getattr(comment_or_pk, "pk", comment_or_pk)]
    )


def status_of(comment):
    return Comment.objects.get(pk=comment.pk).status


def counts_shown(html):
    return dict(re.findall(r'data-status-count="(\w+)">([\d,+]+)<', html))


@pytest.fixture
def held():
    return make_comment(make_article(headline="Harbour story"), status=Comment.Status.PENDING)


class TestRowVerdicts:
    @pytest.mark.parametrize("verdict", ["approved", "spam", "trash"])
    def test_a_plain_form_post_sets_the_status_and_goes_back_to_the_queue(
        self, moderator, on_commit, held, verdict
    ):
        back = f"{CHANGELIST}?status=pending&q=harbour"
        with on_commit():
            response = moderator.post(moderate_url(held), {"verdict": verdict, "next": back})
        assert response.status_code == 302 and response.url == back
        assert status_of(held) == verdict
        expected = 1 if verdict == "approved" else 0
        assert Article.objects.get(pk=held.article_id).comment_count == expected
        page = moderator.get(response.url).text
        assert f"the comment by {held.author_name} on “Harbour story”" in page

    def test_the_script_gets_json_with_the_new_status_and_the_counts(self, moderator, held):
        make_comment(held.article, status=Comment.Status.PENDING)
        response = moderator.post(moderate_url(held), {"verdict": "spam"}, **JSON)
        assert response.status_code == 200
        answer = response.json()
        assert answer["comment"] == {"id": held.pk, "status": "spam", "label": "Spam"}
        assert answer["counts"] == {"pending": "1", "approved": "0", "spam": "1", "trash": "0"}
        assert status_of(held) == Comment.Status.SPAM

    def test_x_requested_with_also_means_json(self, moderator, held):
        response = moderator.post(
            moderate_url(held), {"verdict": "trash"}, HTTP_X_REQUESTED_WITH="fetch"
        )
        assert response.json()["comment"]["status"] == "trash"

    def test_counts_follow_the_story_the_queue_is_narrowed_to(self, moderator, held):
        make_comment(make_article(), status=Comment.Status.PENDING)
        url = f"{moderate_url(held)}?article={held.article_id}"
        answer = moderator.post(url, {"verdict": "approved"}, **JSON).json()
        assert answer["counts"] == {"pending": "0", "approved": "1", "spam": "0", "trash": "0"}

    def test_an_address_elsewhere_is_not_followed(self, moderator, held):
        response = moderator.post(
            moderate_url(held), {"verdict": "approved", "next": "https://evil.example/"}
        )
        assert response.url == CHANGELIST

    def test_a_bad_verdict_is_a_400_that_says_which_are_good(self, moderator, held):
        plain = moderator.post(moderate_url(held), {"verdict": "maybe"})
        assert plain.status_code == 400
        assert "“maybe” is not a verdict" in plain.text and "“spam”" in plain.text
        scripted = moderator.post(moderate_url(held), {}, **JSON)
        assert scripted.status_code == 400 and "is not a verdict" in scripted.json()["error"]
        assert status_of(held) == Comment.Status.PENDING

    def test_a_comment_that_does_not_exist_is_a_404(self, moderator):
        assert moderator.post(moderate_url(999999), {"verdict": "spam"}).status_code == 404
        assert moderator.post(reply_url(999999), {"body": "Hello"}).status_code == 404

    def test_get_is_not_allowed(self, moderator, held):
        assert moderator.get(moderate_url(held)).status_code == 405
        assert moderator.get(reply_url(held)).status_code == 405

    def test_a_writer_may_not_moderate(self, writer, held):
        assert writer.post(moderate_url(held), {"verdict": "approved"}).status_code == 403
        assert writer.post(reply_url(held), {"body": "Hi"}).status_code == 403
        assert status_of(held) == Comment.Status.PENDING
        assert not Comment.objects.filter(body="Hi").exists()

    def test_an_editor_moderates_but_replies_only_with_add_comment(self, editor, held):
        assert editor.post(moderate_url(held), {"verdict": "approved"}).status_code == 302
        assert editor.post(reply_url(held), {"body": "Hi"}).status_code == 403
        html = editor.get(CHANGELIST, {"status": "all"}).text
        assert 'data-verdict="approved"' in html and "data-queue-reply" not in html

    def test_the_csrf_token_is_required(self, moderator, held):
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(moderator.user)
        assert strict.post(moderate_url(held), {"verdict": "spam"}).status_code == 403
        assert status_of(held) == Comment.Status.PENDING


class TestInlineReply:
    def test_a_reply_from_the_row_is_published_and_approves_what_it_answers(
        self, moderator, on_commit, held
    ):
        with on_commit():
            response = moderator.post(
                reply_url(held), {"body": "Thanks, we fixed it.", "next": CHANGELIST}
            )
        assert response.status_code == 302
        reply = Comment.objects.get(body="Thanks, we fixed it.")
        assert (reply.parent, reply.article_id) == (held, held.article_id)
        assert reply.status == Comment.Status.APPROVED and reply.is_staff_reply
        assert status_of(held) == Comment.Status.APPROVED
        assert Article.objects.get(pk=held.article_id).comment_count == 2
        page = moderator.get(CHANGELIST).text
        assert "Your reply to" in page and "The comment you replied to is approved too." in page

    def test_the_script_gets_the_reply_and_the_parent_status(self, moderator, held):
        answer = moderator.post(reply_url(held), {"body": "On it."}, **JSON).json()
        assert answer["reply"]["author"] == "Mo" and answer["reply"]["body"] == "On it."
        assert answer["comment"]["status"] == "approved"
        assert answer["counts"]["approved"] == "2"

    @pytest.mark.parametrize("body", ["", "   "])
    def test_an_empty_reply_is_refused_and_nothing_is_stored(self, moderator, held, body):
        plain = moderator.post(reply_url(held), {"body": body})
        assert plain.status_code == 400 and "Write the reply before sending it." in plain.text
        scripted = moderator.post(reply_url(held), {"body": body}, **JSON)
        assert scripted.json() == {"error": "Write the reply before sending it."}
        assert Comment.objects.count() == 1
        assert status_of(held) == Comment.Status.PENDING


class TestSignature:
    def test_a_staff_reply_is_signed_with_the_linked_persons_name(self, newsroom_roles):
        user = make_staff("Moderators", username="editor", email="desk@example.com")
        make_person(name="Maya Brooks", user=user)
        client = Client()
        client.force_login(user)
        parent = make_comment(make_article())
        client.post(ADD, {"article": parent.article_id, "parent": parent.pk, "body": "Noted."})
        client.post(reply_url(parent), {"body": "Noted again."})
        names = set(
            Comment.objects.filter(is_staff_reply=True).values_list("author_name", flat=True)
        )
        assert names == {"Maya Brooks"}

    def test_else_the_full_name_else_the_login(self, newsroom_roles):
        parent = make_comment(make_article())
        people = [
            ("ana", {"first_name": "Ana", "last_name": "Ruiz"}, "Ana Ruiz"),
            ("lee", {}, "lee"),
        ]
        for login, names, signed in people:
            user = make_staff("Moderators", username=login, **names)
            client = Client()
            client.force_login(user)
            client.post(reply_url(parent), {"body": f"From {signed}"})
            assert Comment.objects.get(body=f"From {signed}").author_name == signed


class TestReplyPage:
    def test_it_shows_the_comment_being_answered_not_ids(self, moderator):
        parent = make_comment(
            make_article(headline="Bridge closes"),
            author_name="Sam Okafor",
            body="Which bridge?\n\nThe old one?",
            status=Comment.Status.PENDING,
        )
        html = moderator.get(ADD, {"article": parent.article_id, "parent": parent.pk}).text
        assert "Replying to Sam Okafor on" in html and ">Bridge closes</a>" in html
        assert "<p>Which bridge?</p>" in html and "approved with your reply" in html
        assert f'type="hidden" name="parent" value="{parent.pk}"' in html
        assert "vForeignKeyRawIdAdminField" not in html

    def test_a_parent_that_does_not_exist_is_a_400_with_a_message(self, moderator):
        article = make_article()
        response = moderator.post(ADD, {"article": article.pk, "parent": 999999, "body": "Hi"})
        assert response.status_code == 400
        assert "The comment you are answering no longer exists" in response.text
        assert not Comment.objects.exists()

    def test_an_empty_body_is_a_400_with_a_message(self, moderator):
        parent = make_comment(make_article())
        response = moderator.post(
            ADD, {"article": parent.article_id, "parent": parent.pk, "body": ""}
        )
        assert response.status_code == 400
        assert "Write the reply before sending it." in response.text
        assert Comment.objects.count() == 1


class TestWhatTheQueueShows:
    def test_each_comment_in_full_with_its_story_thread_and_history(self, moderator, clock):
        now = clock.freeze()
        article = make_article(headline="Budget vote")
        first = make_comment(
            article,
            author_email="Quinn@example.com",
            created_at=now - timedelta(days=40),
            body="An old and fine comment.",
        )
        make_comment(
            article,
            author_email="quinn@example.com",
            status=Comment.Status.SPAM,
            held_reason="Contains a disallowed word.",
        )
        long_text = "This is a long comment that must be shown in full. " * 20
        held = make_comment(
            article,
            parent=first,
            author_email="quinn@EXAMPLE.com",
            status=Comment.Status.PENDING,
            body=f"{long_text}\n\nSee https://example.org/report",
            held_reason="Contains 1 link (held at 1 or more).",
        )
        for n in range(5):
            make_comment(article, parent=held, body=f"Answer {n}", author_name=f"Replier {n}")
        newcomer = make_comment(article, status=Comment.Status.PENDING, body="Hello there")

        html = moderator.get(CHANGELIST).text
        entry = html[html.index(f'data-queue-entry="{held.pk}"') :]
        entry = entry[: entry.index("</article>")]
        assert long_text.strip() in entry
        assert 'href="https://example.org/report" rel="nofollow ugc noopener"' in entry
        assert f'href="{article.get_absolute_url()}">Budget vote</a>' in entry
        assert "In reply to <strong>" in entry and "An old and fine comment." in entry
        assert [f"Replier {n}" in entry for n in range(5)] == [True] * 3 + [False] * 2
        assert "and 2 more replies" in entry
        assert "<strong>1 approved</strong>, 1 spam" in entry
        assert timezone.localtime(first.created_at).strftime("%-d %b %Y") in entry
        assert "Held before for: Contains a disallowed word." in entry
        assert "Held: Contains 1 link (held at 1 or more)." in entry
        newcomer_entry = html[html.index(f'data-queue-entry="{newcomer.pk}"') :]
        assert "First comment from this address." in newcomer_entry[:3000]

    def test_counts_per_status_label_the_filter(self, moderator):
        article, other = make_article(), make_article()
        for status, n in [("pending", 3), ("approved", 2), ("spam", 1)]:
            for _ in range(n):
                make_comment(article, status=status)
        make_comment(other, status=Comment.Status.PENDING)
        html = moderator.get(CHANGELIST).text
        assert counts_shown(html) == {"pending": "4", "approved": "2", "spam": "1", "trash": "0"}
        narrowed = moderator.get(CHANGELIST, {"article": other.pk}).text
        assert counts_shown(narrowed) == {
            "pending": "1",
            "approved": "0",
            "spam": "0",
            "trash": "0",
        }

    def test_counts_stop_early_and_say_so(self, moderator, monkeypatch):
        monkeypatch.setattr(queue, "COUNT_UP_TO", 2)
        article = make_article()
        for status in ["pending"] * 3 + ["approved"] * 2:
            make_comment(article, status=status)
        assert queue.status_counts() == {"pending": 3, "approved": 2, "spam": 0, "trash": 0}
        html = moderator.get(CHANGELIST).text
        assert counts_shown(html) == {"pending": "2+", "approved": "2", "spam": "0", "trash": "0"}

    def test_every_row_has_its_verdict_and_reply_forms(self, moderator, held):
        html = moderator.get(CHANGELIST).text
        assert (
            f'<form id="queue-moderate-{held.pk}" method="post" action="{moderate_url(held)}"'
            in html
        )
        assert f'<form id="queue-reply-{held.pk}" method="post" action="{reply_url(held)}"' in html
        for verdict in ("approved", "spam", "trash"):
            assert f'form="queue-moderate-{held.pk}" name="verdict" value="{verdict}"' in html
        assert f'name="body" rows="3" maxlength="5000" form="queue-reply-{held.pk}"' in html
        assert "moderation.js" in html and "Keyboard shortcuts" in html

    def test_queries_stay_the_same_for_one_row_or_a_page_of_them(self, moderator):
        article = make_article()
        make_comment(article, status=Comment.Status.PENDING)
        moderator.get(CHANGELIST)  # the session and the content types, once
        with CaptureQueriesContext(connection) as one:
            moderator.get(CHANGELIST)

        for n in range(30):
            parent = make_comment(article, author_email=f"p{n % 4}@example.com")
            make_comment(
                article,
                parent=parent,
                status=Comment.Status.PENDING,
                author_email=f"r{n % 7}@example.com",
                held_reason=f"reason {n % 3}",
            )
            make_comment(article, parent=parent, held_reason="Contains 1 link.")
        # The session, the user, their permissions and their groups' permissions; the
        # counts per status (four, each stopping early); the number of rows; the page
        # of comments with their stories and parents (joined); the first replies of
        # each (one windowed query); how many replies each has; the commenters'
        # comments by status; their held reasons. Fourteen, however many rows.
        with CaptureQueriesContext(connection) as many:
            html = moderator.get(CHANGELIST).text
        assert html.count("data-queue-entry=") == 31
        assert len(many.captured_queries) == len(one.captured_queries) == 14
