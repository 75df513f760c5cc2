"""A story's editable fields are stated once (articles/fields.py) and everything derives
from that list: a new field forgotten there fails here, not in a revision diff."""

from articles.fields import BOXES, CONTENT, EDITOR_ONLY, FILING, GROUPS, NOT_IN_THE_FORM, editable
from articles.models import Article, RelatedLink
from newsdesk import revisions, workflow
from newsdesk.forms import ArticleAdminForm
from newsdesk.story_admin import ArticleAdmin
from newsdesk.story_inlines import RelatedLinkInline


def editable_fields_of_the_model():
    return {
        field.name
        for field in Article._meta.get_fields()
        if getattr(field, "editable", False) and not field.auto_created
    }


def test_every_editable_field_is_in_exactly_one_group():
    grouped = [name for group in GROUPS for name in editable(group)]
    assert len(grouped) == len(set(grouped))
    assert set(grouped) == editable_fields_of_the_model() - set(NOT_IN_THE_FORM)
    assert set(NOT_IN_THE_FORM) <= editable_fields_of_the_model()
    assert RelatedLinkInline.model is RelatedLink


def test_the_form_the_fieldsets_the_diff_and_the_workflow_derive_from_the_groups():
    assert ArticleAdminForm._meta.fields == editable()
    in_fieldsets = set()
    for _title, options in ArticleAdmin.fieldsets:
        for row in options["fields"]:
            in_fieldsets.update(row if isinstance(row, tuple) else [row])
    assert set(editable()) <= in_fieldsets
    assert set(revisions.COMPARED_FIELDS) == set(editable()) - {"tags"}
    assert set(editable(CONTENT)) == workflow.CONTENT_FIELDS
    assert set(workflow.EDITOR_ONLY_FIELDS) == set(editable(EDITOR_ONLY))
    assert not set(editable(FILING)) & (workflow.CONTENT_FIELDS | set(workflow.EDITOR_ONLY_FIELDS))


def test_boxes_keep_the_form_order():
    assert [box.title for box in BOXES] == [
        None,
        "Publishing",
        "Lead image",
        "Kind: video, audio or live",
        "Live coverage",
        "Syndication",
    ]
    assert editable()[:3] == ["headline", "slug", "dek"]
