"""Property-based fuzzing (hypothesis): whatever a stranger sends, no 500, and an
invalid request stores nothing.

Three doors: the comment form's endpoint (arbitrary fields, unicode, huge and
empty values, bad parents, forged or odd form tokens, raw bodies of any content
type), the search page, and the archive and paged pages (arbitrary path segments
and query strings). The Django test client re-raises any exception a view lets
escape, so a would-be 500 fails the example with its traceback.

The examples are random on a developer's machine (and hypothesis keeps failing
ones in .hypothesis/ to replay) and fixed in CI (``derandomize`` when CI=true), so
CI stays repeatable. ``EXAMPLES`` below adds up to the requests each run sends.
"""

import functools
import itertools
import os
from urllib.parse import quote, quote_from_bytes

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from articles.models import Article
from comments.forms import form_token
from comments.models import Comment
from tests.factories import make_article, make_comment, make_person, make_section

pytestmark = pytest.mark.django_db

EXAMPLES = {
    "comment_form": 900,
    "comment_raw_body": 300,
    "search": 400,
    "listing_pages": 800,
}


def fuzz(name):
    return settings(
        max_examples=EXAMPLES[name],
        deadline=None,
        derandomize=os.environ.get("CI") == "true",
        # The database fixtures are set up once per test, not per example: each
        # example sees what earlier ones stored, which the assertions allow for.
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# Everything a stranger could write to: our apps' tables and the ones they touch.
WATCHED_APPS = ("articles", "comments", "search", "pages", "taggit", "sessions", "auth")


@functools.cache
def watched_tables(database):
    """The watched tables of ``database`` (the search index differs by database engine)."""
    existing = set(connection.introspection.table_names())
    return [
        model._meta.db_table
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.db_table in existing
    ]


def row_counts():
    """Rows in every watched table, in one query (this runs twice per example)."""
    tables = watched_tables(connection.settings_dict["NAME"])
    # Table names come from the models, quoted: nothing here is user input.
    quoted = [connection.ops.quote_name(table) for table in tables]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in quoted)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


# Text of every kind: any unicode (control characters, NUL, RTL overrides, emoji),
# but no lone surrogates, which cannot be encoded into a request at all.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
huge_text = st.builds(
    lambda c, n: c * n, st.characters(exclude_categories=["Cs"]), st.integers(4_000, 30_000)
)
blank = st.sampled_from(["", " ", "\t\n", "\u00a0", "\u200b"])
numberish = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "-1", "1e9", "nan", "inf", "0x10", "1.5", "٣", "①", "9" * 5000]),
)
any_value = st.one_of(any_text, blank, numberish, huge_text)


@pytest.fixture
def discussion(settings):
    """Stories in every state, each with comments in every state."""
    settings.COMMENT_RATE_LIMIT = 0  # the limit is tested in test_comments_rules.py
    open_story = make_article()
    closed = make_article(comments_open=False)
    draft = make_article(status=Article.Status.DRAFT)
    elsewhere = make_article()
    comments = {
        "approved": make_comment(open_story),
        "pending": make_comment(open_story, status=Comment.Status.PENDING),
        "spam": make_comment(open_story, status=Comment.Status.SPAM),
        "other story": make_comment(elsewhere),
    }
    stories = {"open": open_story, "closed": closed, "draft": draft, "elsewhere": elsewhere}
    return stories, comments


_posted = itertools.count()


@st.composite
def comment_posts(draw, stories, comments):
    """``(story id, form fields)``: the story page's form as a person fills it in, with
    up to three fields then made hostile, dropped or repeated, and unknown fields added."""
    open_story = stories["open"]
    # Form tokens are signed with the secret key: a stranger can only send one the site
    # gave out (for any story, rendered any time ago or ahead of a server's clock),
    # mangle it, or make one up.
    real_token = st.builds(
        lambda story, offset: form_token(story, issued_at=timezone.now().timestamp() + offset),
        st.sampled_from(list(stories.values())),
        st.integers(-(10**9), 10**5),
    )
    valid = {
        # Numbered: the same words twice from one address are refused as a duplicate.
        "body": st.one_of(st.builds(lambda: f"A fair point, number {next(_posted)}."), any_text),
        "author_name": st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=100),
        "author_email": st.emails(),
        "author_url": st.sampled_from(["", "https://example.com/me", "example.org"]),
        "token": st.builds(
            lambda offset: form_token(open_story, issued_at=timezone.now().timestamp() - offset),
            st.integers(5, 10**8),
        ),
        "parent": st.sampled_from(["", str(comments["approved"].pk)]),
        "remember": st.sampled_from(["", "on"]),
        "notify_on_reply": st.sampled_from(["", "on"]),
        "reference": st.just(""),
    }
    hostile = {
        "body": st.one_of(any_value, blank),
        "author_name": st.one_of(any_value, blank),
        "author_email": any_value,
        "author_url": st.one_of(
            st.sampled_from(["javascript:alert(1)", "data:text/html,x", "ftp://x.example"]),
            any_value,
        ),
        "token": st.one_of(
            real_token,
            st.builds(lambda t, n, junk: t[:n] + junk, real_token, st.integers(0, 80), any_text),
            real_token.map(lambda t: t.replace(":", ":x", 1)),
            any_value,
        ),
        "parent": st.one_of(st.sampled_from([str(c.pk) for c in comments.values()]), any_value),
        "remember": any_value,
        "notify_on_reply": any_value,
        "reference": any_value,  # the honeypot
    }
    fields = {name: draw(strategy) for name, strategy in valid.items()}
    for name in draw(st.sets(st.sampled_from(list(valid)), max_size=3)):
        change = draw(st.sampled_from(["hostile", "missing", "repeated"]))
        if change == "missing":
            del fields[name]
        elif change == "repeated":
            fields[name] = draw(st.lists(hostile[name], min_size=2, max_size=3))
        else:
            fields[name] = draw(hostile[name])
    extras = draw(st.dictionaries(any_text.filter(lambda k: k not in valid), any_text, max_size=2))
    # Mostly the open story; sometimes one closed to comments, a draft, or no story at all.
    target = draw(st.sampled_from(["open"] * 8 + ["closed", "draft", "elsewhere", "missing"]))
    story_id = draw(st.integers(0, 2**63 - 1)) if target == "missing" else stories[target].pk
    return story_id, {**extras, **fields}


def check_comment_response(response, before, after, sent=None):
    """A valid comment is stored once, as sent; anything else stores nothing."""
    event(f"HTTP {response.status_code}")
    assert response.status_code in (303, 400, 403, 404, 405, 409), response.status_code
    if response.status_code != 303:
        assert after == before
        return
    grown = {table for table in after if after[table] != before[table]}
    assert grown == {Comment._meta.db_table}
    assert after[Comment._meta.db_table] == before[Comment._meta.db_table] + 1
    comment = Comment.objects.latest("pk")
    assert comment.status in (*Comment.HELD, Comment.Status.APPROVED)
    if sent is not None:
        last = {
            name: value[-1] if isinstance(value, list) else value for name, value in sent.items()
        }
        assert comment.body == last["body"].strip()
        assert comment.author_name == last["author_name"].strip()
        assert comment.author_email.lower() == last["author_email"].strip().lower()


@fuzz("comment_form")
@given(data=st.data())
def test_fuzz_the_comment_form(client, discussion, data):
    article_id, fields = data.draw(comment_posts(*discussion))
    before = row_counts()
    response = client.post(reverse("comments:post", args=[article_id]), fields)
    check_comment_response(response, before, row_counts(), sent=fields)


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=nonsense",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/json",
    "text/plain",
    "application/xml",
    "",
]


def raw_body(story):
    """Bytes of any kind: noise, a valid form with junk after it, truncated multipart."""
    token = form_token(story, issued_at=timezone.now().timestamp() - 60)
    valid = f"body=Hello&author_name=Ann&author_email=ann%40example.com&token={token}".encode()
    return st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=200).map(lambda junk: valid + junk),
        st.binary(max_size=200).map(
            lambda junk: b"--xyz\r\nContent-Disposition: form-data; name=" + junk
        ),
    )


header_text = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=80)


@fuzz("comment_raw_body")
@given(data=st.data(), content_type=st.one_of(st.sampled_from(CONTENT_TYPES), header_text))
def test_fuzz_raw_comment_bodies(client, discussion, data, content_type):
    """Broken UTF-8, wrong content types, truncated multipart, any bytes at all."""
    story = discussion[0]["open"]
    body = data.draw(raw_body(story))
    before = row_counts()
    url = reverse("comments:post", args=[story.pk])
    response = client.generic("POST", url, body, content_type=content_type)
    check_comment_response(response, before, row_counts())


def percent_encoded(strategy):
    return strategy.map(
        lambda value: (
            quote_from_bytes(value, safe="") if isinstance(value, bytes) else quote(value, safe="")
        )
    )


# One query-string or path piece: text, raw bytes (broken UTF-8 included), numbers.
piece = percent_encoded(st.one_of(any_text, st.binary(max_size=40), numberish, huge_text))
PARAMETERS = [
    "q",
    "page",
    "before",
    "cpage",
    "replytocom",
    "unapproved",
    "p",
    "page_id",
    "cat",
    "tag",
    "author",
    "utm_source",
]
query_string = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), piece), piece), max_size=5
).map(lambda pairs: "&".join(f"{key}={value}" for key, value in pairs))

ALLOWED_READS = (200, 301, 302, 400, 404, 405, 410)


@pytest.fixture
def listings(django_capture_on_commit_callbacks):
    """Three indexed stories in a section, with a tag, a byline and a comment."""
    with django_capture_on_commit_callbacks(execute=True):
        section = make_section(slug="world")
        person = make_person(slug="olivia-wang")
        stories = [
            make_article(
                headline=f"Harbour news {n}",
                slug=f"harbour-news-{n}",
                section=section,
                bylines=[person],
                tags=["Hong Kong"],
            )
            for n in range(3)
        ]
        make_comment(stories[0])
    return stories


def check_read(client, url):
    """A page read: any answer but a server error, and nothing written."""
    before = row_counts()
    response = client.get(url)
    event(f"HTTP {response.status_code}")
    assert response.status_code in ALLOWED_READS, (url, response.status_code)
    assert row_counts() == before


search_words = st.one_of(
    any_text, st.sampled_from(["harbour", '"harbour news"', "-harbour", "harbour OR", "news*"])
)


@fuzz("search")
@given(words=search_words, query=query_string)
def test_fuzz_search(client, listings, words, query):
    check_read(client, f"{reverse('search:search')}?q={quote(words, safe='')}&{query}")


PATHS = [
    "/",
    "/{y}/",
    "/{y}/{m}/",
    "/{y}/{m}/{d}/",
    "/{y}/{m}/{d}/{s}/",
    "/section/{s}/",
    "/tag/{s}/",
    "/author/{s}/",
    "/section/{s}/feed/",
    "/tag/{s}/feed/atom/",
    "/author/{s}/feed/",
    "/corrections/",
    "/feed/",
    "/{s}/",
    "/{s}",
]
REAL_SLUGS = ["world", "hong-kong", "olivia-wang", "harbour-news-0"]
two_digits = st.integers(0, 99).map("{:02d}".format)


@fuzz("listing_pages")
@given(
    template=st.sampled_from([*PATHS, "story"]),
    segment=st.one_of(st.sampled_from(REAL_SLUGS), piece),
    year=st.one_of(st.integers(0, 9999).map("{:04d}".format), piece),
    month=st.one_of(two_digits, piece),
    day=st.one_of(two_digits, piece),
    query=query_string,
)
def test_fuzz_archive_and_paged_pages(client, listings, template, segment, year, month, day, query):
    if template == "story":
        path = listings[0].get_absolute_url()
    else:
        path = template.format(s=segment, y=year, m=month, d=day)
    check_read(client, f"{path}?{query}" if query else path)
