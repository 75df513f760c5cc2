"""Staff comments and replies from the admin: the form that shows what is answered,
and the signature (comments.actions.post_as_staff: the staff member's newsroom name)."""

from django import forms
from django.contrib import messages

from comments import actions
from comments.models import Comment
from core.client_ip import client_ip

REPLY_ERRORS = {
    "parent": {
        "invalid_choice": "The comment you are answering no longer exists (it may have "
        "been deleted): go back to the queue and choose another.",
    },
    "body": {"required": "Write the reply before sending it."},
}
# A reply to one would show nowhere: the story page lists mentions without threads.
MENTION_REPLY = (
    "A pingback or trackback cannot be answered: it is another site's link to the story, "
    "listed without replies. Reply to a reader's comment, or leave the field empty."
)


class StaffCommentForm(forms.ModelForm):
    """A moderator's own comment or reply; who wrote it comes from their login."""

    class Meta:
        model = Comment
        fields = ["article", "parent", "body"]
        labels = {"parent": "In reply to"}
        error_messages = REPLY_ERRORS

    def clean(self):
        cleaned = super().clean()
        article, parent = cleaned.get("article"), cleaned.get("parent")
        if article and parent and parent.article_id != article.pk:
            self.add_error(
                "parent",
                f"Comment {parent.pk} belongs to “{parent.article}”: choose a comment on "
                "this story, or leave the field empty for a comment of your own.",
            )
        elif parent and parent.is_mention:
            self.add_error("parent", MENTION_REPLY)
        return cleaned


class QueueReplyForm(forms.ModelForm):
    """The reply typed into a row of the queue: the row says what it answers."""

    class Meta:
        model = Comment
        fields = ["body"]
        error_messages = REPLY_ERRORS

    def clean(self):
        if self.instance.parent.is_mention:
            raise forms.ValidationError(MENTION_REPLY)
        return super().clean()


def replying_to(request):
    """The comment a staff reply answers (``?parent=`` or the posted field), or None."""
    pk = request.POST.get("parent") or request.GET.get("parent") or ""
    if not pk.isdigit():
        return None
    return Comment.objects.select_related("article").filter(pk=pk).first()


def post_reply(request, comment):
    """Store ``comment`` as the requesting staff member's; say so if its parent was
    approved with it."""
    if actions.post_as_staff(comment, request.user, ip_address=client_ip(request)):
        messages.info(request, "The comment you replied to is approved too.")


class StaffReplyMixin:
    """The add page of the comment admin, which is where staff write: with ``?parent=``
    it shows the comment being answered (its author, text and story) instead of ids."""

    add_fieldsets = [(None, {"fields": StaffCommentForm.Meta.fields})]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = StaffCommentForm
            if replying_to(request):
                # The page shows the parent itself; its ids travel unseen.
                kwargs["widgets"] = {"article": forms.HiddenInput, "parent": forms.HiddenInput}
        return super().get_form(request, obj, **kwargs)

    def add_view(self, request, form_url="", extra_context=None):
        context = {"replying_to": replying_to(request), **(extra_context or {})}
        response = super().add_view(request, form_url, context)
        adminform = (getattr(response, "context_data", None) or {}).get("adminform")
        if request.method == "POST" and adminform and adminform.form.errors:
            # Shown again with what is wrong, and nothing stored: a client error.
            response.status_code = 400
        return response

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            post_reply(request, obj)
