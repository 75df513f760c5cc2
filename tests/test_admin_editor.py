"""The editing screens: the rich-text editor's files, the form's layout, people and sections."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from core.sanitize import ALLOWED_TAGS
from tests.factories import make_article, make_person, make_section

pytestmark = pytest.mark.django_db

EDITOR_FILES = [
    "vendor/quill/quill.js",
    "vendor/quill/quill.snow.css",
    "admin-editor/editor.js",
    "admin-editor/editor.css",
    "admin-editor/body-photos.js",
    "admin-editor/body-photos.css",
    "admin-editor/tags.js",
]


@pytest.mark.parametrize("path", EDITOR_FILES)
def test_editor_files_are_served_from_static(path):
    assert finders.find(path), f"static/{path} is missing"


def test_change_form_loads_the_editor_from_static_files(editor):
    page = editor.get(reverse("admin:articles_article_change", args=[make_article().pk]))

    assert page.status_code == 200
    for path in EDITOR_FILES:
        assert f"/static/{path}" in page.text
    assert re.search(r'<textarea name="body"[^>]*data-rich-text', page.text)
    assert "cdn" not in page.text.lower()


def test_change_form_has_no_inline_scripts(editor):
    page = editor.get(reverse("admin:articles_article_change", args=[make_article().pk]))
    for tag in re.findall(r"<script\b[^>]*>", page.text):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_editor_toolbar_only_offers_allowed_tags():
    with open(finders.find("admin-editor/editor.js")) as source:
        script = source.read()
    formats = re.search(r"const FORMATS = \[(.*?)\];", script).group(1)
    assert formats.replace('"', "").replace(" ", "").split(",") == [
        "header",
        "bold",
        "italic",
        "link",
        "blockquote",
        "list",
        "photo",
        "gallery",
        "embed",
    ]
    headers = re.search(r"header: \[(.*?)\]", script).group(1)
    assert {f"h{n.strip()}" for n in headers.split(",") if n.strip().isdigit()} <= ALLOWED_TAGS


def test_word_paste_leftovers_are_cleaned_on_save(editor):
    story = make_article()
    story.body = (
        '<p class="MsoNormal" style="mso-line-height-alt:12pt"><span lang="EN-GB">'
        "Quoted <b>text</b></span><o:p></o:p></p><script>alert(1)</script>"
    )
    story.save()
    story.refresh_from_db()
    # The script goes whole: its code is not left behind as text.
    assert story.body == "<p>Quoted <b>text</b></p>"


def test_change_form_groups_fields_and_offers_autocomplete(editor):
    page = editor.get(reverse("admin:articles_article_add"))
    form = page.context["adminform"]
    assert [name for name, _ in form.fieldsets] == [
        None,
        "Publishing",
        "Lead image",
        "Kind: video, audio or live",
        "Live coverage",
        "Syndication",
    ]
    assert 'data-model-name="person"' in page.text or "credits-__prefix__-person" in page.text
    assert "prepopulate" in page.text  # slug filled from the headline
    assert 'enctype="multipart/form-data"' in page.text  # lead image upload


def test_people_and_sections_have_admin_pages(editor):
    person = make_person(name="Dana Levi")
    make_article(bylines=[person])
    section = make_section(name="Science")

    people = editor.get(reverse("admin:articles_person_changelist"))
    assert "Dana Levi" in people.text
    assert people.context["cl"].result_list[0].byline_count == 1
    assert editor.get(reverse("admin:articles_person_change", args=[person.pk])).status_code == 200
    sections = editor.get(reverse("admin:articles_section_changelist"))
    assert "Science" in sections.text
    response = editor.get(
        reverse("admin:autocomplete"),
        {"term": "dana", "app_label": "articles", "model_name": "credit", "field_name": "person"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Dana Levi"]
    assert section.pk
