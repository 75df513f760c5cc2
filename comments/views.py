"""Posting a comment, and stopping reply e-mails."""

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from articles.models import Article
from comments import actions, cookies
from comments.discussion import accepts_comments
from comments.forms import CommentForm
from comments.models import Comment
from comments.notifications import comment_from_unsubscribe_token
from core.client_ip import client_ip

CLOSED = "Comments are closed on this story, so your comment was not posted."
INVALID = "Your comment was not posted yet: please correct what is marked below."
NOT_POST = "Comments are posted with the form below."


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class PostCommentView(View):
    """Receives the comment form of a story page.

    Why no CSRF check: story pages are cached whole and served to every
    anonymous reader, so they cannot carry a per-reader CSRF token. CSRF
    protects privileges a browser holds (a session, a login), and this view
    grants none: it never reads ``request.user`` or the session, everyone
    posts as an anonymous reader, and staff reply from the admin, which keeps
    its CSRF protection. A forged cross-site post can do nothing a visitor
    could not do by hand. What guards this door instead: the signed render
    time (no form, no post; too fast, spam), the honeypot, the duplicate
    check, the moderation rules and the per-address rate limit.
    """

    http_method_names = ["post", "options"]

    def post(self, request, article_id):
        article = get_object_or_404(Article.objects.published(), pk=article_id)
        form = CommentForm(request.POST, article=article)
        valid = form.is_valid()
        if not accepts_comments(article):
            return self.refuse(request, article, form, CLOSED, status=403)
        if not valid:
            return self.refuse(request, article, form, INVALID, status=400)

        data = form.cleaned_data
        ip = client_ip(request) or None
        user_agent = request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:300]
        trusted = self.proves_trust(request, data["author_email"])
        try:
            comment = actions.post(form, ip_address=ip, user_agent=user_agent, trusted=trusted)
        except actions.NotPosted as refusal:
            kept = form if refusal.keep_form else None
            response = self.refuse(request, article, kept, refusal.message, refusal.status)
            if refusal.retry_after:
                response["Retry-After"] = str(refusal.retry_after)
            return response
        return self.posted(request, comment, remember=data["remember"])

    def http_method_not_allowed(self, request, *args, **kwargs):
        article = get_object_or_404(Article.objects.published(), pk=kwargs["article_id"])
        form = CommentForm(article=article) if accepts_comments(article) else None
        response = self.refuse(request, article, form, NOT_POST, status=405)
        response["Allow"] = "POST, OPTIONS"
        return response

    @staticmethod
    def proves_trust(request, email):
        """True if this browser posted an approved comment under this e-mail address."""
        posted_here = cookies.TRUST.read(request)
        return (
            bool(posted_here)
            and Comment.objects.filter(
                pk__in=posted_here, status=Comment.Status.APPROVED, author_email__iexact=email
            ).exists()
        )

    @staticmethod
    def refuse(request, article, form, problem, status):
        """The form back, with what went wrong and everything the commenter typed."""
        context = {
            "article": article,
            "form": form,
            "problem": problem,
            "reply_to": form.cleaned_data.get("parent") if form and form.is_bound else None,
        }
        return render(request, "comments/form_page.html", context, status=status)

    @staticmethod
    def posted(request, comment, remember):
        """Back to the story, at the new comment.

        A held comment is shown only to its author (the signed comment_pending
        cookie decides that); ``?unapproved=`` merely makes the address one no
        page cache holds, so their first look is never a stale shared copy.
        """
        params = {"unapproved": comment.pk} if comment.is_held else {}
        response = HttpResponseRedirect(comment.thread_url(**params), status=303)
        cookies.TRUST.add(request, response, comment.pk)
        if comment.is_held:
            cookies.PENDING.add(request, response, comment.pk)
        if remember:
            cookies.remember_author(
                response, comment.author_name, comment.author_email, comment.author_url
            )
        elif cookies.REMEMBER_NAME in request.COOKIES:
            cookies.forget_author(response)
        return response


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    """The link in a reply e-mail: a page with a button, then no more reply e-mails.

    A GET changes nothing (mail scanners open links). The POST needs no CSRF
    token: mail programs send it themselves for one-click unsubscribe
    (RFC 8058), and the signed link is all the authority it needs.
    """

    template_name = "comments/unsubscribe.html"

    def get(self, request, token):
        comment = comment_from_unsubscribe_token(token)
        status = 200 if comment else 400
        return render(request, self.template_name, {"comment": comment}, status=status)

    def post(self, request, token):
        comment = comment_from_unsubscribe_token(token)
        if comment is None:
            return render(request, self.template_name, {"comment": None}, status=400)
        Comment.objects.filter(author_email__iexact=comment.author_email).update(
            notify_on_reply=False
        )
        return render(request, self.template_name, {"comment": comment, "done": True})
