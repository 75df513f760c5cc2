"""Discussion settings in the admin (comments.DiscussionSettings): the environment's
values until an editor saves the form, then the saved ones, everywhere at once."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from comments.discussion_settings import FROM_ENVIRONMENT, DiscussionSettings
from comments.models import Comment
from tests.factories import browser_form_data, comment_form_data, make_article, make_comment
from tests.servers import manage, web_server
from tests.test_scaleout import seed, server_env
from tests.test_stamps_across_processes import fetch

pytestmark = pytest.mark.django_db

FORM_URL = reverse("admin:comments_discussionsettings_change", args=[1])
FORM_ID = "discussionsettings_form"


@pytest.fixture(autouse=True)
def _environment(settings):
    """The environment of these tests: a rate limit the posting tests do not meet."""
    settings.COMMENT_RATE_LIMIT = 0
    settings.COMMENT_MODERATION_WORDS = []
    settings.COMMENT_DISALLOWED_WORDS = []


@pytest.fixture
def save_settings(on_commit):
    """``save_settings(client, field=value...)``: the admin form as shown, changed, posted."""

    def save(client, **changes):
        data = browser_form_data(client.get(FORM_URL).text, FORM_ID)
        for field, value in changes.items():
            if value is False:
                data.pop(field, None)  # an unticked box sends nothing
            else:
                data[field] = "on" if value is True else str(value)
        with on_commit():
            return client.post(FORM_URL, data)

    return save


@pytest.fixture
def post_comment(client, on_commit):
    """A reader posts the public form of ``article`` (as tests/test_comments_posting.py)."""

    def post(article, **fields):
        with on_commit():
            return client.post(
                reverse("comments:post", args=[article.pk]), comment_form_data(article, **fields)
            )

    return post


class TestDefaults:
    def test_until_saved_every_value_is_the_environments(self, settings):
        settings.COMMENT_MODERATION_WORDS = ["casino", "free money"]
        settings.COMMENT_MAX_DEPTH = 3
        settings.COMMENT_RATE_WINDOW = 120
        current = DiscussionSettings.current()
        assert current.words("moderation_words") == ("casino", "free money")
        assert (current.max_depth, current.rate_window) == (3, 120)
        for field, name in FROM_ENVIRONMENT.items():
            if field not in ("moderation_words", "disallowed_words"):
                assert getattr(current, field) == getattr(settings, name), field
        assert not DiscussionSettings.objects.exists()

    def test_two_first_saves_at_once_leave_one_row_with_the_later_values(self):
        """Both found no row and both insert (force_insert stands for the second one
        losing that race): the second updates the first's row instead of a 500."""
        DiscussionSettings.from_environment().save()
        later = DiscussionSettings.from_environment()
        later.moderation_links = 7
        later.save(force_insert=True)
        assert list(DiscussionSettings.objects.values_list("moderation_links", flat=True)) == [7]

    def test_the_form_shows_the_environment_and_says_so(self, editor, settings):
        settings.COMMENT_MODERATION_WORDS = ["casino", "free money"]
        settings.COMMENT_RATE_LIMIT = 7
        page = editor.get(FORM_URL).text
        data = browser_form_data(page, FORM_ID)
        assert data["moderation_words"] == "casino\nfree money"
        assert data["rate_limit"] == "7"
        assert "Environment default (COMMENT_MODERATION_WORDS): casino, free money." in page
        assert "Environment default (COMMENT_RATE_LIMIT): 7." in page
        assert "Environment default (COMMENT_AUTO_APPROVE_TRUSTED): true." in page
        for heading in ("Holding comments", "Refusing comments", "Limits", "Threads and pages"):
            assert f">{heading}" in page

    def test_the_field_list_is_stated_once(self, settings):
        fields = {f.name for f in DiscussionSettings._meta.concrete_fields} - {"id"}
        assert set(FROM_ENVIRONMENT) == fields
        assert all(hasattr(settings, name) for name in FROM_ENVIRONMENT.values())
        model_admin = admin.site._registry[DiscussionSettings]
        shown = [f for _, options in model_admin.fieldsets for f in options["fields"]]
        assert sorted(shown) == sorted(FROM_ENVIRONMENT)

    def test_there_is_one_form_and_nothing_to_add_or_delete(self, editor):
        response = editor.get(reverse("admin:comments_discussionsettings_changelist"))
        assert response.status_code == 302 and response["Location"] == FORM_URL
        assert editor.get(reverse("admin:comments_discussionsettings_add")).status_code == 403
        delete = reverse("admin:comments_discussionsettings_delete", args=[1])
        assert editor.post(delete, {"post": "yes"}).status_code == 403
        assert (
            editor.get(reverse("admin:comments_discussionsettings_change", args=[2])).status_code
            == 302
        )
        assert not DiscussionSettings.objects.exists()


class TestEditorsChangeTheRules:
    def test_a_new_moderation_word_holds_the_next_comment_and_names_it(
        self, editor, save_settings, post_comment
    ):
        response = save_settings(editor, moderation_words="  casino \n\nCasino\nfree money\n")
        assert response.status_code == 302
        assert DiscussionSettings.objects.get().moderation_words == "casino\nfree money"
        article = make_article()
        assert post_comment(article, body="Visit my CASINO tonight.").status_code == 303
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.PENDING
        assert comment.held_reason == "Contains “casino”, from the moderation words list."

    def test_a_disallowed_word_marks_the_next_comment_spam(
        self, editor, save_settings, post_comment
    ):
        save_settings(editor, disallowed_words="viagra")
        post_comment(make_article(), body="Cheap viagra here")
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.SPAM
        assert comment.held_reason == "Contains “viagra”, from the disallowed words list."

    def test_returning_commenters_wait_once_auto_approval_is_off(
        self, editor, client, save_settings, post_comment
    ):
        article = make_article()
        post_comment(article, author_email="ana@example.com", body="First")
        Comment.objects.update(status=Comment.Status.APPROVED)  # the browser now proves trust
        post_comment(article, author_email="ana@example.com", body="Second")
        assert Comment.objects.get(body="Second").status == Comment.Status.APPROVED
        save_settings(editor, auto_approve_trusted=False)
        post_comment(article, author_email="ana@example.com", body="Third")
        assert Comment.objects.get(body="Third").status == Comment.Status.PENDING

    def test_a_rate_limit_set_in_the_admin_applies_to_the_next_post(
        self, editor, save_settings, post_comment, clock
    ):
        clock.freeze()  # both posts in one window
        save_settings(editor, rate_limit=1, rate_window=3600)
        article = make_article()
        assert post_comment(article).status_code == 303
        refused = post_comment(article)
        assert refused.status_code == 429
        assert "posting comments too quickly" in refused.text
        assert Comment.objects.count() == 1

    def test_the_settings_are_cached_and_a_save_is_read_at_once(
        self, on_commit, django_assert_num_queries
    ):
        DiscussionSettings.current()
        with django_assert_num_queries(0):
            assert DiscussionSettings.current().comments_per_page == 50
        stored = DiscussionSettings.from_environment()
        stored.comments_per_page = 2
        with on_commit():  # the settings' tag is touched once the save commits
            stored.save()
        assert DiscussionSettings.current().comments_per_page == 2


class TestPagesFollow:
    """A save re-renders exactly the pages the settings lay out, the next request."""

    def test_comments_per_page_changes_the_cached_story_page(
        self, public_pages, client, editor, save_settings, clock, on_commit,
        django_assert_num_queries,
    ):  # fmt: skip
        article = Article.objects.get()
        with on_commit():
            for n in range(3):
                make_comment(article, body=f"Thread {n}", created_at=timezone.now())
        clock(seconds=5)  # past the page cache's margin
        story, front = public_pages["article"], public_pages["front"]
        assert "Comments page" not in client.get(story).text
        client.get(front)
        clock(seconds=5)
        with django_assert_num_queries(0):
            assert "Comments page" not in client.get(story).text  # from the page cache

        save_settings(editor, comments_per_page=1)
        clock(seconds=5)
        page = client.get(story).text
        assert "Comments page 1 of 3" in page and "Thread 1" not in page
        with django_assert_num_queries(0):
            client.get(front)  # laid out by none of the settings: still cached

    def test_closing_after_n_days_closes_the_cached_story_page(
        self, client, editor, save_settings, clock, on_commit, post_comment
    ):
        with on_commit():
            article = make_article(published_at=timezone.now() - timedelta(days=10))
        clock(seconds=5)
        assert 'id="commentform"' in client.get(article.get_absolute_url()).text
        save_settings(editor, close_after_days=7)
        clock(seconds=5)
        page = client.get(article.get_absolute_url()).text
        assert "Comments are closed." in page and 'id="commentform"' not in page
        assert post_comment(article).status_code == 403
        assert not Comment.objects.exists()

    def test_thread_depth_changes_where_replies_may_go(
        self, client, editor, save_settings, clock, on_commit
    ):
        with on_commit():
            article = make_article()
            parent = make_comment(article, body="Top")
            reply = make_comment(article, parent=parent, body="Under it")
        clock(seconds=5)
        url = article.get_absolute_url()
        assert f"replytocom={reply.pk}" in client.get(url).text
        save_settings(editor, max_depth=2)
        clock(seconds=5)
        page = client.get(url).text
        assert f"replytocom={parent.pk}" in page and f"replytocom={reply.pk}" not in page


class TestHistoryAndPermissions:
    def test_each_save_is_a_revision_with_its_author_and_one_can_be_restored(
        self, editor, save_settings, on_commit
    ):
        save_settings(editor, moderation_words="casino")
        save_settings(editor, moderation_words="poker")
        versions = Version.objects.get_for_object_reference(DiscussionSettings, 1)
        assert versions.count() == 2
        assert {v.revision.user for v in versions} == {editor.user}
        history = editor.get(reverse("admin:comments_discussionsettings_history", args=[1]))
        assert history.status_code == 200 and history.text.count("/history/") >= 2

        first = versions.order_by("revision__date_created").first()
        url = reverse("admin:comments_discussionsettings_revision", args=[1, first.pk])
        data = browser_form_data(editor.get(url).text, FORM_ID)
        assert data["moderation_words"] == "casino"
        assert DiscussionSettings.current().words("moderation_words") == ("poker",)
        with on_commit():
            assert editor.post(url, data).status_code == 302
        assert DiscussionSettings.current().words("moderation_words") == ("casino",)
        assert Version.objects.get_for_object_reference(DiscussionSettings, 1).count() == 3

    def test_a_writer_sees_nothing_and_a_moderator_only_reads(self, writer, moderator):
        assert writer.get(FORM_URL).status_code == 403
        page = moderator.get(FORM_URL)
        assert page.status_code == 200 and 'name="moderation_words"' not in page.text
        for client in (writer, moderator):
            data = {field: "1" for field in FROM_ENVIRONMENT}
            assert client.post(FORM_URL, data).status_code == 403
        assert not DiscussionSettings.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("max_depth", "0", "greater than or equal to 1"),
            ("max_depth", "11", "less than or equal to 10"),
            ("rate_window", "0", "greater than or equal to 1"),
            ("comments_per_page", "0", "greater than or equal to 1"),
            ("moderation_links", "-1", "greater than or equal to 0"),
            ("close_after_days", "soon", "Enter a whole number."),
        ],
    )
    def test_bad_values_are_refused_with_a_message_and_nothing_is_stored(
        self, editor, save_settings, field, value, message
    ):
        response = save_settings(editor, **{field: value})
        assert response.status_code == 200
        assert "Please correct the error below." in response.text
        assert message in response.text
        assert not DiscussionSettings.objects.exists()
        assert not Version.objects.exists()


def test_a_save_in_one_process_reaches_the_pages_another_process_keeps(tmp_path):
    """The embedded default (SQLite, each process its own cache, stamps in a shared
    file): the web server has the story cached, settings and page; a save made by
    another process (here ``manage.py shell``) is what its next answer shows."""
    env = server_env(f"sqlite:///{tmp_path / 'newsroom.sqlite3'}")
    story, _ = seed(env)
    with web_server(env, workers=1, threads=2) as port:
        for _ in range(2):  # the second answer comes from the server's page cache
            assert 'id="commentform"' in fetch(port, story)
        manage(
            env,
            "shell",
            "-c",
            "from comments.models import DiscussionSettings; "
            "s = DiscussionSettings.from_environment(); s.close_after_days = 1; s.save()",
        )
        page = fetch(port, story)
    assert "Comments are closed." in page and 'id="commentform"' not in page
