"""Admin forms: the article form (roles, workflow, stale saves) and the tag forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from taggit.models import Tag

from articles.fields import editable
from articles.models import Article
from newsdesk import revisions, workflow
from newsdesk.story_scheduling import StoryButtonsFormMixin
from newsdesk.widgets import RichTextEditor, TagNamesField, TagPicker
from photos.widgets import PhotoChooser


def https_by_default(db_field, **kwargs):
    """The class's own form fields: a URL typed without a scheme means https (Django 6's
    default). The admin builds its form with its own callback (formfield_overrides);
    this one spares the warning Django 5.2 gives when the class itself is defined."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ArticleAdminForm(StoryButtonsFormMixin, forms.ModelForm):
    """The change form. ``user`` is set by ArticleAdmin.get_form for the request's user."""

    user = None
    stale_current = None

    # The newest revision when the form was opened: a save based on an older one is
    # refused, so two editors never silently overwrite each other.
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
    tags = TagNamesField(
        required=False,
        widget=TagPicker(suggest_url=reverse_lazy("admin:articles_article_tag_suggestions")),
        help_text="Type to find a tag; a name that does not exist yet becomes a new tag. "
        "Case does not matter.",
    )

    class Meta:
        model = Article
        formfield_callback = https_by_default
        fields = editable()
        widgets = {"body": RichTextEditor, "lead_photo": PhotoChooser}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].initial = revisions.latest_version_id(self.instance)
        if "status" in self.fields:
            allowed = workflow.statuses_for(self.user)
            self.fields["status"].choices = [c for c in Article.Status.choices if c[0] in allowed]
            if not workflow.can_publish(self.user):
                self.fields[
                    "status"
                ].help_text = (
                    "Submit the story for review when it is ready; an editor publishes it."
                )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.refuse_stale_save(cleaned.get("based_on") or 0)
        status = cleaned.get("status")
        if (
            status == Article.Status.PUBLISHED
            and "published_at" in self.fields
            and not cleaned.get("published_at")
        ):
            # "Published" with no time means now; the embargo check in Article.clean sees it.
            cleaned["published_at"] = timezone.now()
        return cleaned

    def refuse_stale_save(self, based_on):
        # Lock the row for the rest of the admin's transaction: a second save of the
        # same story waits here until the first has committed its revision, then sees it.
        current = Article.objects.select_for_update().filter(pk=self.instance.pk).first()
        latest = revisions.versions_of(self.instance).first()
        if latest is None or latest.pk == based_on:
            return
        self.stale_current = current  # shown beside the refused text (newsdesk.editing)
        revision = latest.revision
        who = revision.user.get_username() if revision.user else "someone"
        when = date_format(timezone.localtime(revision.date_created), "DATETIME_FORMAT")
        change_url = reverse("admin:articles_article_change", args=[self.instance.pk])
        if based_on:
            compare_url = reverse("admin:articles_article_compare", args=[self.instance.pk])
            see_url = f"{compare_url}?{urlencode({'old': based_on, 'new': latest.pk})}"
        else:
            see_url = reverse("admin:articles_article_history", args=[self.instance.pk])
        raise ValidationError(
            format_html(
                "{} saved this story at {}, after you opened it, so your changes were not "
                'saved (nothing was overwritten). <a href="{}">See what they changed</a>, '
                'then <a href="{}" target="_blank">open the current version</a> and make '
                "your edits there; your text is still below to copy from.",
                who,
                when,
                see_url,
                change_url,
            ),
            code="stale",
        )


class TagAdminForm(forms.ModelForm):
    """Renaming a tag: no two tags may differ only by case ("China" and "china")."""

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        twin = Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if twin:
            raise ValidationError(
                f"There is already a tag “{twin.name}”. To combine the two, select both in "
                "the tag list and use “Merge selected tags”."
            )
        return name


class MergeTagsForm(forms.Form):
    """Which of the selected tags the others are folded into."""

    target = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this tag",
    )
    rename_to = forms.CharField(
        required=False,
        max_length=100,
        label="and rename it to (optional)",
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = tags

    def clean(self):
        cleaned = super().clean()
        target, new_name = cleaned.get("target"), " ".join(cleaned.get("rename_to", "").split())
        if target and new_name:
            tags = self.fields["target"].queryset
            clash = Tag.objects.filter(name__iexact=new_name).exclude(pk__in=tags).first()
            if clash:
                raise ValidationError(
                    f"There is already a tag “{clash.name}”: select it too and merge them all."
                )
        cleaned["rename_to"] = new_name
        return cleaned
