"""After a WordPress import: the pages readers get, old addresses, and simple pages."""

from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Section
from pages.models import Page, Redirect
from tests.factories import make_staff
from wordpress.models import ImportedObject

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"

# Words that only appear in posts, excerpts and comments no reader may see.
HIDDEN = [
    "SECRET-PRIVATE-MEMO",
    "SECRET-PRIVATE-EXCERPT",
    "Staff memo",
    "SECRET-PASSWORD-TEXT",
    "SECRET-PASSWORD-EXCERPT",
    "the full inquiry",
    "TRASHED-TEXT",
    "DRAFT-TEXT",
    "PENDING-TEXT",
    "SCHEDULED-TEXT",
    "Bridge to reopen",
    "PENDING-QUESTION",
    "SPAM-TEXT",
    "TRASHED-COMMENT",
    "DRAFT-PAGE-TEXT",
]


@pytest.fixture(autouse=True)
def imported():
    call_command("import_wordpress", str(EXPORT), stdout=StringIO())


def post(wp_id):
    return ImportedObject.objects.get(kind="post", wp_id=wp_id).content_object


def test_an_imported_story_reads_as_it_did_on_wordpress(client):
    response = client.get(post(10).get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert "Harbour reopens after the storm" in text
    assert "The harbour is open again – three weeks after the storm." in text
    assert (
        '<img src="https://oldnews.example.com/wp-content/uploads/2023/11/harbour.jpg" '
        'alt="Fishing boats moored in the harbour">'
    ) in text
    assert "Fishing boats return at dawn. Photo: Ana Ruiz &amp; crew" in text
    assert "Jane Doe" in text
    assert "<strong>three weeks</strong> after the storm.<br>" in text
    assert "<figcaption>Boats waiting to go out, on Sunday.</figcaption>" in text
    assert 'href="/tag/cafe-culture/"' in text and "Café &amp; culture" in text
    # Threads as they were: Maria, then Jane's answer, then Tom's answer to Jane.
    assert text.index("Great news for the town!") < text.index("Thanks, Maria!")
    assert text.index("Thanks, Maria!") < text.index("Agreed, and thanks for the photos.")
    assert "4 Comments" in text
    assert 'href="https://harbour.example.org/history"' in text  # linked again in the comment
    # Pingbacks and trackbacks are kept, not shown as reader comments.
    assert "PINGBACK-EXCERPT" not in text and "TRACKBACK-EXCERPT" not in text
    for word in HIDDEN:
        assert word not in text
    for hostile in ("stolen cookies", "javascript:", "onclick=", "alert(1)"):
        assert hostile not in text


def test_a_unicode_story_and_its_unicode_tag_have_working_pages(client):
    url = post(11).get_absolute_url()
    assert url == "/2023/11/06/" + quote("日本の港") + "/"
    response = client.get(url)
    assert response.status_code == 200
    assert "日本の港が再開" in response.text
    tag_url = reverse("articles:tag", kwargs={"slug": "日本"})
    assert f'href="{tag_url}"' in response.text
    listing = client.get(tag_url)
    assert listing.status_code == 200 and "日本の港が再開" in listing.text
    # WordPress's own tag address is the same one: no redirect needed.
    assert client.get("/tag/%e6%97%a5%e6%9c%ac/").status_code == 200


def test_nothing_a_reader_may_not_see_reaches_any_public_page(client):
    public = [
        "/",
        "/section/news/",
        "/section/world-politics/",
        "/tag/harbour/",
        "/author/jane-doe/",
        "/author/zoe-aberg/",
        "/2023/11/",
        "/feed/",
        "/section/news/feed/",
        "/tag/harbour/feed/",
        "/author/zoe-aberg/feed/",
        "/search/?q=SECRET",
        "/search/?q=inquiry",
        "/search/?q=memo",
        "/sitemap.xml",
        "/about/",
    ]
    for url in public:
        response = client.get(url)
        assert (url, response.status_code) == (url, 200)
        text = response.content.decode()
        for word in HIDDEN:
            assert (url, word not in text) == (url, True)
    for wp_id in (14, 15, 16, 17, 18, 19):
        assert client.get(post(wp_id).get_absolute_url()).status_code == 404
    # Their old addresses lead nowhere either, and give away no new address.
    for old in ("/2023/11/staff-memo/", "/2023/11/the-full-inquiry/"):
        response = client.get(old, follow=True)
        assert (old, response.status_code) == (old, 404)
        assert "SECRET" not in response.content.decode()
    for old in ("/?p=14", "/?p=15", "/?p=17", "/?p=18"):
        response = client.get(old)
        assert (old, response.status_code) == (old, 404)
        assert "SECRET" not in response.content.decode()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "/2023/11/harbour-reopens-after-the-storm/",
            "/2023/11/05/harbour-reopens-after-the-storm/",
        ),
        ("/2023/11/日本の港/", "/2023/11/06/" + quote("日本の港") + "/"),
        (
            "/2023/11/%e6%97%a5%e6%9c%ac%e3%81%ae%e6%b8%af/",
            "/2023/11/06/" + quote("日本の港") + "/",
        ),
        ("/?p=10", "/2023/11/05/harbour-reopens-after-the-storm/"),
        ("/?p=10&replytocom=101", "/2023/11/05/harbour-reopens-after-the-storm/"),
        ("/?page_id=2", "/about/"),
        ("/?p=3", "/about/team/"),
        ("/category/news/", "/section/news/"),
        ("/category/news/world-politics/", "/section/world-politics/"),
        ("/category/world-politics/", "/section/world-politics/"),
        ("/category/news/world-politics/feed/", "/section/world-politics/feed/"),
        ("/?cat=5", "/section/world-politics/"),
        ("/?tag=harbour", "/tag/harbour/"),
        ("/author/jdoe/", "/author/jane-doe/"),
        ("/author/zoe/feed/", "/author/zoe-aberg/feed/"),
        ("/?author=3", "/author/zoe-aberg/"),
        ("/feed/rss2/", "/feed/"),
        ("/2023/11/second-harbour-story", "/2023/11/08/second-harbour-story/"),
    ],
)
def test_old_wordpress_addresses_answer_301_to_the_new_page(client, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)
    assert client.get(new).status_code == 200


def test_a_redirect_keeps_the_query_string(client):
    response = client.get("/2023/11/second-harbour-story/?utm_source=newsletter")
    assert response["Location"] == "/2023/11/08/second-harbour-story/?utm_source=newsletter"


def test_a_wordpress_number_that_leads_nowhere_is_a_404_as_in_wordpress(client):
    for old in ("/?p=9999", "/?page_id=9999"):
        response = client.get(old)
        assert (old, response.status_code) == (old, 404)
        assert "Harbour reopens after the storm" not in response.text
    assert client.get("/?cat=9999").status_code == 200  # the front page, as before


def test_a_redirect_without_a_target_answers_gone(client):
    Redirect.objects.create(old_path="/withdrawn-story/", new_path="")
    assert client.get("/withdrawn-story/").status_code == 410
    assert client.get("/never-existed/").status_code == 404


def test_pages_live_at_their_old_addresses(client, django_assert_num_queries):
    with django_assert_num_queries(3):
        # 1. the page at this path, with its parent (select_related)
        # 2. the sections with a live story, for the navigation (then cached)
        # 3. when the next scheduled story goes live, which may add a section to
        #    the navigation (then cached)
        response = client.get("/about/team/")
    assert response.status_code == 200
    assert '<h1 class="headline">Our team</h1>' in response.text
    assert '<a href="/about/">About us</a>' in response.text
    assert "Jane edits.<br>\nZoë reports." in response.text
    assert "<h2>Since 1998</h2>" in client.get("/about/").text
    slashless = client.get("/about")
    assert (slashless.status_code, slashless["Location"]) == (301, "/about/")


def test_a_draft_page_is_a_preview_for_staff_only(client, admin_client):
    assert client.get("/contact/").status_code == 404
    response = admin_client.get("/contact/")
    assert response.status_code == 200
    assert "Preview: Draft, not public" in response.text
    assert "DRAFT-PAGE-TEXT" in response.text
    assert "no-store" in response["Cache-Control"]


def test_routes_always_win_over_pages_and_redirects(client):
    Page.objects.create(title="Shadow", path="/section/news/", status=Page.Status.PUBLISHED)
    Redirect.objects.create(old_path="/tag/harbour/", new_path="/elsewhere/")
    section = client.get("/section/news/")
    assert section.status_code == 200 and "Shadow" not in section.text
    assert client.get("/tag/harbour/").status_code == 200


def test_editors_see_and_edit_redirects_and_pages_in_the_admin(admin_client):
    changelist = admin_client.get(reverse("admin:pages_redirect_changelist") + "?q=category")
    assert changelist.status_code == 200
    assert "/category/news/world-politics/" in changelist.text
    redirect = Redirect.objects.get(old_path="/category/news/")
    response = admin_client.post(
        reverse("admin:pages_redirect_change", args=[redirect.pk]),
        {"old_path": "/category/news/", "new_path": "/section/world-politics/"},
    )
    assert response.status_code == 302
    redirect.refresh_from_db()
    assert redirect.new_path == "/section/world-politics/"
    loop = admin_client.post(
        reverse("admin:pages_redirect_change", args=[redirect.pk]),
        {"old_path": "/category/news/", "new_path": "/category/news/"},
    )
    assert loop.status_code == 200 and "A page cannot redirect to itself." in loop.text
    page = Page.objects.get(path="/about/")
    edit = admin_client.get(reverse("admin:pages_page_change", args=[page.pk]))
    assert edit.status_code == 200 and "Since 1998" in edit.text
    imports = admin_client.get(reverse("admin:wordpress_importedobject_changelist"))
    assert imports.status_code == 200
    assert admin_client.get(reverse("admin:wordpress_attachment_changelist")).status_code == 200


def test_a_page_body_is_sanitized_on_save():
    page = Page.objects.create(
        title="Hostile",
        path="/hostile/",
        body='<p onclick="x()">Hi<script>alert(1)</script></p><a href="javascript:x()">y</a>',
    )
    assert "onclick" not in page.body and "<script" not in page.body
    assert "javascript" not in page.body


def test_an_imported_section_is_in_the_navigation(client):
    assert Section.objects.filter(name="World & Politics").exists()
    assert "World &amp; Politics" in client.get("/").text


def test_imported_stories_are_found_by_search_once_the_queued_indexing_ran(client, run_tasks):
    assert "Harbour reopens" not in client.get("/search/?q=Fishermen").text
    [job] = [job for job in run_tasks() if job.task_name == "index_missing_stories"]
    assert job.status == "SUCCESSFUL"
    response = client.get("/search/?q=Fishermen")
    assert response.status_code == 200
    assert "Harbour reopens after the storm" in response.text


@pytest.mark.parametrize("url", ["/old%00story/", "/?p=%00", "/?page_id=" + "9" * 600])
def test_addresses_that_cannot_be_stored_are_not_looked_up(client, url):
    # A NUL byte cannot be in PostgreSQL text, nor 600 characters in a 500-character
    # column: not looked up (no 500), and no post has such a number (a 404).
    assert client.get(url).status_code == 404


def test_a_moderator_sees_a_draft_page_as_a_reader_does(client):
    client.force_login(make_staff("Moderators"))
    assert client.get("/contact/").status_code == 404
