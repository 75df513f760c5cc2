"""Moderating in the admin, and the e-mails comments send."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import actions
from comments.cache_tags import discussion
from comments.models import Comment
from comments.notifications import moderator_addresses, unsubscribe_token
from core import stamps
from newsdesk.pending import pending_comments_link
from tests.factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
User = get_user_model()


def ago(minutes):
    return timezone.now() - timedelta(minutes=minutes)


class TestQueue:
    def test_opens_on_pending_comments_newest_first_with_why_they_were_held(self, moderator):
        article = make_article(headline="Harbour story")
        older = make_comment(
            article,
            body="Older held",
            status=Comment.Status.PENDING,
            created_at=ago(30),
            held_reason="Contains 2 links (held at 2 or more).",
            ip_address="198.51.100.4",
            author_email="older@example.com",
        )
        newer = make_comment(
            article, body="Newer held", status=Comment.Status.PENDING, created_at=ago(5)
        )
        make_comment(article, body="Already fine")
        make_comment(article, body="Junk", status=Comment.Status.SPAM)

        html = moderator.get(CHANGELIST).text
        assert html.index("Newer held") < html.index("Older held")
        assert "Already fine" not in html and "Junk" not in html
        assert "Contains 2 links (held at 2 or more)." in html
        assert "198.51.100.4" in html and "older@example.com" in html
        assert "Harbour story" in html
        for held in (older, newer):  # each row has its own reply box
            reply_url = reverse("admin:comments_comment_reply", args=[held.pk])
            assert f'action="{reply_url}"' in html

    @pytest.mark.parametrize(
        "status, shown",
        [("all", {"Held", "Fine", "Junk"}), ("approved", {"Fine"}), ("spam", {"Junk"})],
    )
    def test_the_status_filter_reaches_every_comment(self, moderator, status, shown):
        article = make_article()
        make_comment(article, body="Held", status=Comment.Status.PENDING)
        make_comment(article, body="Fine")
        make_comment(article, body="Junk", status=Comment.Status.SPAM)
        html = moderator.get(CHANGELIST, {"status": status}).text
        assert {body for body in ("Held", "Fine", "Junk") if f">{body}<" in html} == shown

    def test_the_queue_can_be_narrowed_to_one_story(self, moderator):
        article, other = make_article(), make_article()
        make_comment(article, body="Here", status=Comment.Status.PENDING)
        make_comment(other, body="Elsewhere", status=Comment.Status.PENDING)
        link = pending_comments_link(article)
        assert ">1 awaiting moderation</a>" in link
        url = re.search(r'href="([^"]+)"', link).group(1).replace("&amp;", "&")
        html = moderator.get(url).text
        assert ">Here<" in html and "Elsewhere" not in html

    def test_admin_index_shows_the_pending_count(self, moderator):
        article = make_article()
        make_comment(article, status=Comment.Status.PENDING)
        make_comment(article, status=Comment.Status.PENDING)
        make_comment(article)
        html = moderator.get(reverse("admin:index")).text
        assert f'<a href="{CHANGELIST}">2 comments awaiting moderation</a>' in html

    def test_admin_index_says_nothing_to_those_who_cannot_moderate(self, client):
        writer = User.objects.create_user("writer", password="pw", is_staff=True)
        client.force_login(writer)
        make_comment(make_article(), status=Comment.Status.PENDING)
        assert "awaiting moderation" not in client.get(reverse("admin:index")).text


class TestBulkActions:
    @pytest.mark.parametrize(
        "action, status",
        [
            ("approve", Comment.Status.APPROVED),
            ("unapprove", Comment.Status.PENDING),
            ("mark_spam", Comment.Status.SPAM),
            ("trash", Comment.Status.TRASH),
        ],
    )
    def test_each_action_sets_the_status_of_all_selected(
        self, moderator, on_commit, action, status
    ):
        article = make_article()
        with on_commit():
            chosen = [
                make_comment(article, status=Comment.Status.PENDING),
                make_comment(article),
            ]
            untouched = make_comment(article, status=Comment.Status.PENDING)
        with on_commit():
            response = moderator.post(
                f"{CHANGELIST}?status=all",
                {"action": action, "_selected_action": [c.pk for c in chosen]},
            )
        assert response.status_code == 302
        assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in chosen])} == {status}
        assert Comment.objects.get(pk=untouched.pk).status == Comment.Status.PENDING
        expected_count = 2 if status == Comment.Status.APPROVED else 0
        assert Article.objects.get(pk=article.pk).comment_count == expected_count

    def test_page_caches_are_told_which_stories_changed(self, moderator, on_commit):
        article, other = make_article(), make_article()
        untouched = make_article()
        held = [make_comment(a, status=Comment.Status.PENDING) for a in (article, other)]
        tags = [discussion(a.pk) for a in (article, other, untouched)]
        before = stamps.now()
        with on_commit():
            moderator.post(
                CHANGELIST, {"action": "approve", "_selected_action": [c.pk for c in held]}
            )
        touched = {tag for tag, stamp in stamps.stamps(tags).items() if stamp >= before}
        assert touched == set(tags[:2])

    def test_approving_shows_the_comment_to_readers(self, client, moderator, on_commit):
        article = make_article()
        held = make_comment(article, body="Now you see me", status=Comment.Status.PENDING)
        with on_commit():
            moderator.post(CHANGELIST, {"action": "approve", "_selected_action": [held.pk]})
        html = client.get(article.get_absolute_url()).text
        assert "Now you see me" in html and "1 Comment" in html

    def test_changing_the_status_on_the_change_page_recounts(self, moderator, on_commit):
        article = make_article()
        held = make_comment(article, status=Comment.Status.PENDING, body="Single")
        url = reverse("admin:comments_comment_change", args=[held.pk])
        form = {
            "status": "approved",
            "body": "Single",
            "author_name": held.author_name,
            "author_email": held.author_email,
            "author_url": "",
        }
        with on_commit():
            response = moderator.post(url, form)
        assert response.status_code == 302
        assert Article.objects.get(pk=article.pk).comment_count == 1


class TestStaffReplies:
    def test_reply_link_prefills_the_form(self, moderator):
        parent = make_comment(make_article())
        add = reverse("admin:comments_comment_add")
        html = moderator.get(add, {"article": parent.article_id, "parent": parent.pk}).text
        assert f'name="article" value="{parent.article_id}"' in html
        assert f'name="parent" value="{parent.pk}"' in html

    def test_a_reply_is_approved_at_once_marked_staff_and_approves_its_parent(
        self, client, moderator, on_commit, mailoutbox, run_tasks
    ):
        article = make_article()
        parent = make_comment(
            article,
            status=Comment.Status.PENDING,
            notify_on_reply=True,
            author_email="asker@example.com",
        )
        with on_commit():
            response = moderator.post(
                reverse("admin:comments_comment_add"),
                {"article": article.pk, "parent": parent.pk, "body": "We checked: it is fixed."},
            )
        assert response.status_code == 302
        reply = Comment.objects.get(body="We checked: it is fixed.")
        assert reply.status == Comment.Status.APPROVED
        assert reply.is_staff_reply and reply.user == moderator.user
        assert (reply.author_name, reply.author_email) == ("Mo", "mod@example.com")
        assert Comment.objects.get(pk=parent.pk).status == Comment.Status.APPROVED

        html = client.get(article.get_absolute_url()).text
        assert "We checked: it is fixed." in html
        assert 'Mo</span> <span class="badge">Staff</span>' in html
        assert "2 Comments" in html
        run_tasks()
        [mail] = mailoutbox
        assert mail.to == ["asker@example.com"] and "Mo" in mail.subject

    def test_a_reply_to_a_comment_on_another_story_is_refused(self, moderator):
        article, other = make_article(), make_article()
        parent = make_comment(other)
        response = moderator.post(
            reverse("admin:comments_comment_add"),
            {"article": article.pk, "parent": parent.pk, "body": "Wrong place"},
        )
        assert response.status_code == 400  # the form again, with what is wrong
        assert "choose a comment on this story" in response.text
        assert not Comment.objects.filter(body="Wrong place").exists()

    def test_staff_may_repeat_themselves(self, moderator):
        article = make_article()
        for parent in (make_comment(article), make_comment(article)):
            moderator.post(
                reverse("admin:comments_comment_add"),
                {"article": article.pk, "parent": parent.pk, "body": "Thanks, fixed."},
            )
        assert Comment.objects.filter(body="Thanks, fixed.").count() == 2


class TestModeratorEmail:
    def test_a_held_comment_emails_the_moderators_from_the_worker(
        self, client, moderator, on_commit, mailoutbox, run_tasks
    ):
        User.objects.create_superuser("boss", "boss@example.com", "pw")
        User.objects.create_user("gone", "gone@example.com", is_active=False, is_staff=True)
        User.objects.create_user("reader", "reader@example.com")
        article = make_article(headline="Budget vote")
        with on_commit():
            client.post(
                reverse("comments:post", args=[article.pk]),
                comment_form_data(
                    article,
                    body="Please look at this",
                    author_name="Quinn",
                    author_email="quinn@example.com",
                ),
            )
        comment = Comment.objects.get()
        assert mailoutbox == []  # the request does not wait for a mail server
        [job] = run_tasks()
        assert job.task_name == "tell_moderators" and job.status == "SUCCESSFUL"
        [mail] = mailoutbox
        assert sorted(mail.to) == ["boss@example.com", "mod@example.com"]
        assert "Budget vote" in mail.subject
        assert "Please look at this" in mail.body and "quinn@example.com" in mail.body
        assert f"Held because: {comment.held_reason}" in mail.body
        assert f"/admin/comments/comment/{comment.pk}/change/" in mail.body

    def test_approved_and_spam_comments_email_nobody(
        self, client, moderator, mailoutbox, run_tasks
    ):
        article = make_article()
        client.post(
            reverse("comments:post", args=[article.pk]),
            comment_form_data(article, reference="robot"),
        )
        assert run_tasks() == []
        assert mailoutbox == []

    def test_a_comment_moderated_before_the_worker_runs_emails_nobody(
        self, client, moderator, on_commit, mailoutbox, run_tasks
    ):
        article = make_article()
        client.logout()
        with on_commit():
            client.post(reverse("comments:post", args=[article.pk]), comment_form_data(article))
        actions.approve(Comment.objects.get())
        [job] = run_tasks()
        assert job.return_value == "moderated already"
        assert mailoutbox == []

    def test_managers_are_the_fallback(self, settings):
        settings.MANAGERS = [("Desk", "desk@example.com")]
        assert moderator_addresses() == ["desk@example.com"]

    def test_a_direct_permission_is_enough(self):
        user = User.objects.create_user("solo", "solo@example.com", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="change_comment"))
        assert moderator_addresses() == ["solo@example.com"]

    def test_a_mail_server_failure_loses_neither_comment_nor_e_mail(
        self, client, moderator, settings, on_commit, mailoutbox, run_tasks, clock
    ):
        settings.EMAIL_BACKEND = "tests.test_comments_admin.BrokenBackend"
        article = make_article()
        with on_commit():
            response = client.post(
                reverse("comments:post", args=[article.pk]), comment_form_data(article)
            )
        assert response.status_code == 303
        assert Comment.objects.count() == 1
        [job] = run_tasks()
        assert job.status == "READY" and "no mail server" in job.traceback  # to be retried
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        clock(minutes=1)
        [job] = run_tasks()
        assert job.status == "SUCCESSFUL" and len(job.worker_ids) == 2
        assert len(mailoutbox) == 1


class BrokenBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


class TestReplyEmail:
    def approve(self, comment, on_commit):
        with on_commit():
            actions.moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED)

    def test_opted_in_commenter_is_told_once_with_an_unsubscribe_link(
        self, client, on_commit, mailoutbox, run_tasks
    ):
        article = make_article(headline="Bridge closes")
        parent = make_comment(article, notify_on_reply=True, author_email="asker@example.com")
        reply = make_comment(
            article,
            parent=parent,
            status=Comment.Status.PENDING,
            author_name="Ravi",
            author_email="ravi.private@example.com",
            body="Here is the answer.",
        )
        self.approve(reply, on_commit)
        with on_commit():
            actions.moderate(Comment.objects.filter(pk=reply.pk), Comment.Status.PENDING)
        self.approve(reply, on_commit)
        assert len(run_tasks()) == 1

        [mail] = mailoutbox
        assert mail.to == ["asker@example.com"]
        assert mail.subject.endswith("Ravi replied to your comment")
        assert "Here is the answer." in mail.body and "Bridge closes" in mail.body
        assert "ravi.private" not in mail.body and "ravi.private" not in mail.subject
        unsubscribe = re.search(r"http://\S+/comments/unsubscribe/\S+/", mail.body).group(0)
        assert mail.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"#comment-{reply.pk}" in mail.body

    @pytest.mark.parametrize("case", ["not opted in", "own reply", "parent not approved"])
    def test_nobody_is_told_otherwise(self, on_commit, mailoutbox, run_tasks, case):
        article = make_article()
        parent = make_comment(
            article,
            notify_on_reply=case != "not opted in",
            author_email="me@example.com",
        )
        reply_email = "ME@example.com" if case == "own reply" else "you@example.com"
        reply = make_comment(
            article, parent=parent, status=Comment.Status.PENDING, author_email=reply_email
        )
        if case == "parent not approved":
            Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.PENDING)
        self.approve(reply, on_commit)
        assert run_tasks() == []
        assert mailoutbox == []

    def test_an_auto_approved_reply_tells_at_once(self, client, on_commit, mailoutbox, run_tasks):
        article = make_article()
        parent = make_comment(article, notify_on_reply=True, author_email="p@example.com")
        with on_commit():
            make_comment(article, parent=parent, author_email="q@example.com")
        run_tasks()
        assert [m.to for m in mailoutbox] == [["p@example.com"]]

    def test_a_failed_approval_queues_no_e_mail(self, on_commit, mailoutbox, run_tasks):
        article = make_article()
        parent = make_comment(article, notify_on_reply=True, author_email="p@example.com")
        reply = make_comment(article, parent=parent, status=Comment.Status.PENDING)
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.approve(reply)
            raise RuntimeError("the moderator's request failed after the approval")
        assert run_tasks() == []
        assert Comment.objects.get(pk=reply.pk).reply_announced is False

    def test_unsubscribe_asks_first_then_stops_all_reply_emails(self, client):
        article = make_article()
        first = make_comment(article, notify_on_reply=True, author_email="Al@example.com")
        second = make_comment(article, notify_on_reply=True, author_email="al@example.com")
        other = make_comment(article, notify_on_reply=True, author_email="bo@example.com")
        url = reverse("comments:unsubscribe", args=[unsubscribe_token(first)])

        page = client.get(url)
        assert page.status_code == 200 and "Stop reply e-mails?" in page.text
        assert "al@example.com" not in page.text.lower()
        assert Comment.objects.get(pk=second.pk).notify_on_reply

        done = client.post(url)  # what a mail program's one-click unsubscribe sends
        assert done.status_code == 200 and "No more reply e-mails" in done.text
        assert not Comment.objects.filter(pk__in=[first.pk, second.pk], notify_on_reply=True)
        assert Comment.objects.get(pk=other.pk).notify_on_reply

    def test_an_altered_unsubscribe_link_is_refused(self, client):
        comment = make_comment(make_article(), notify_on_reply=True)
        token = unsubscribe_token(comment)
        url = reverse("comments:unsubscribe", args=[token[:-2] + "xx"])
        assert client.get(url).status_code == 400
        assert client.post(url).status_code == 400
        assert Comment.objects.get(pk=comment.pk).notify_on_reply
