"""A story its reader may view but not change, shown as readers will read it.

A writer's submitted story, a colleague's story, a moderator's view: Django would
show every read-only field as escaped source, so the body read as "<p>Rain…". Here
the body is rendered as on the reader page (newsdesk.story_text) and the summary and
transcript as paragraphs, in the story's typography.
"""

from django import forms
from django.contrib import admin

from newsdesk import story_text

# Model field -> the read-only line shown in its place when the story is view-only.
AS_READ = {"dek": "dek_as_read", "body": "body_as_read", "transcript": "transcript_as_read"}
# Lines with nothing to show without a form: the stale-save token guards a save.
FORM_ONLY = {"based_on"}


class StoryReadingMixin:
    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["admin-editor/reading.css"]})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [(title, {**box, "fields": self.as_read(box["fields"])}) for title, box in fieldsets]

    @staticmethod
    def as_read(rows):
        """The rows of a box with each text field swapped for its rendered line."""
        shown = []
        for row in rows:
            if isinstance(row, tuple | list):
                shown.append(tuple(AS_READ.get(name, name) for name in row))
            elif row not in FORM_ONLY:
                shown.append(AS_READ.get(row, row))
        return shown

    @admin.display(description="Summary")
    def dek_as_read(self, obj):
        return (
            story_text.text_as_read(obj.dek, "dek") if obj.dek else self.get_empty_value_display()
        )

    @admin.display(description="Body")
    def body_as_read(self, obj):
        return story_text.body_as_read(obj.body) if obj.body else self.get_empty_value_display()

    @admin.display(description="Transcript")
    def transcript_as_read(self, obj):
        if not obj.transcript:
            return self.get_empty_value_display()
        return story_text.text_as_read(obj.transcript)
