"""The comment form readers fill in (README, "Comments"), plus what keeps robots out of it."""

import unicodedata

from django import forms
from django.core import signing
from django.core.validators import URLValidator
from django.utils import timezone

from comments.models import Comment
from comments.moderation import Submission
from core.compat import BlankBoundField

SIGNING_SALT = "comments.form"
ALTERED_FORM = (
    "This form was changed or did not come from the story page. "
    "Please post your comment again from the story."
)


def form_token(article, issued_at=None):
    """Signed proof of when, and for which story, the form was rendered.

    No expiry: a page may come out of a cache hours after it was rendered, and
    a reader who leaves a tab open overnight must still be able to comment.
    On a cached page, or in the form a story page keeps (comments.discussion),
    the time is when it was rendered, so "implausibly fast" can only ever err on
    the side of the commenter.
    """
    issued_at = timezone.now().timestamp() if issued_at is None else issued_at
    return signing.dumps({"article": article.pk, "at": int(issued_at)}, salt=SIGNING_SALT)


class WebAddressField(forms.URLField):
    """A website is http or https (no javascript:, data: or ftp: links under a name)."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {
        "invalid": "Enter a web address starting with http:// or https://, or leave it empty."
    }


class CommentForm(forms.ModelForm):
    # Every story page shows this form empty, and Django renders each widget through
    # a template: a third of a story page's rendering. Blank widgets render once.
    bound_field_class = BlankBoundField

    author_url = WebAddressField(
        label="Website", required=False, max_length=300, assume_scheme="https"
    )
    parent = forms.ModelChoiceField(
        queryset=Comment.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": (
                "The comment you are replying to does not exist, is not approved yet or "
                "belongs to another story. Reply to a comment shown on the story page."
            )
        },
    )
    remember = forms.BooleanField(
        required=False,
        label="Save my name, email, and website in this browser for the next time I comment.",
    )
    token = forms.CharField(widget=forms.HiddenInput, error_messages={"required": ALTERED_FORM})
    # The honeypot: hidden from people by CSS (and from screen readers by
    # aria-hidden), so only a robot filling in every field types here.
    reference = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Comment
        fields = ["parent", "body", "author_name", "author_email", "author_url", "notify_on_reply"]
        labels = {
            "body": "Comment",
            "author_name": "Name",
            "author_email": "Email",
            "notify_on_reply": "Email me when someone replies to my comment.",
        }
        widgets = {
            "body": forms.Textarea(attrs={"cols": 45, "rows": 8}),
            "author_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "author_email": forms.EmailInput(
                attrs={"autocomplete": "email", "aria-describedby": "email-notes"}
            ),
        }
        # The model's help texts are for moderators; the page says it all already.
        help_texts = {"body": "", "notify_on_reply": ""}
        error_messages = {
            "body": {"required": "Please write your comment."},
            "author_name": {"required": "Please give your name (any name you like)."},
            "author_email": {
                "required": "Please give your email address. It will not be published.",
                "invalid": "Enter an email address like name@example.com.",
            },
        }

    def __init__(self, *args, article, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)
        self.fields["author_url"].widget.attrs["autocomplete"] = "url"
        if self.is_bound:
            # Only a comment readers can see on this story can be answered. (A blank
            # form's hidden input shows no choices: every story page would build this.)
            self.fields["parent"].queryset = Comment.objects.approved().filter(article=article)
        else:
            self.initial.setdefault("token", form_token(article))

    def clean_author_name(self):
        name = self.cleaned_data["author_name"]
        if any(unicodedata.category(char) == "Cc" for char in name):
            raise forms.ValidationError("A name cannot contain line breaks or control characters.")
        return name

    def clean_token(self):
        try:
            token = signing.loads(self.cleaned_data["token"], salt=SIGNING_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(ALTERED_FORM) from None
        if token.get("article") != self.article.pk:
            raise forms.ValidationError(ALTERED_FORM)
        return token

    @property
    def seconds_on_page(self):
        return timezone.now().timestamp() - self.cleaned_data["token"]["at"]

    def submission(self, *, ip_address, user_agent, trusted):
        data = self.cleaned_data
        return Submission(
            body=data["body"],
            author_name=data["author_name"],
            author_email=data["author_email"],
            author_url=data["author_url"],
            ip_address=ip_address,
            user_agent=user_agent,
            honeypot=data["reference"],
            seconds_on_page=self.seconds_on_page,
            trusted=trusted,
        )
