"""Small builders for test data: explicit, no magic, one call per object."""

from datetime import timedelta
from itertools import count

from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, Credit, Person, Section
from comments.forms import form_token
from comments.models import Comment
from core import stamps

_seq = count(1)


def make_section(**fields):
    n = next(_seq)
    fields.setdefault("name", f"Section {n}")
    fields.setdefault("slug", f"section-{n}")
    return Section.objects.create(**fields)


def make_person(**fields):
    n = next(_seq)
    fields.setdefault("name", f"Reporter {n}")
    fields.setdefault("slug", f"reporter-{n}")
    return Person.objects.create(**fields)


def make_article(tags=(), bylines=(), **fields):
    """A published story (an hour old) unless ``status``/``published_at`` say otherwise."""
    n = next(_seq)
    fields.setdefault("headline", f"Story number {n}")
    fields.setdefault("slug", f"story-{n}")
    fields.setdefault("body", f"<p>Body of story {n}.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    article = Article.objects.create(**fields)
    if tags:
        article.tags.set(list(tags))
    for position, person in enumerate(bylines):
        Credit.objects.create(article=article, person=person, position=position)
    return article


# The reader pages of ``make_public_pages``, by kind.
PUBLIC_PAGES = ("front", "article", "section", "tag", "author")


def make_public_pages():
    """One published story in a section ("world"), by a person ("olivia-wang"), under a
    tag ("Hong Kong"): ``{kind: address}`` of the reader pages that show it."""
    from django.urls import reverse

    section = make_section(slug="world")
    person = make_person(slug="olivia-wang")
    article = make_article(section=section, bylines=[person], tags=["Hong Kong"])
    return {
        "front": "/",
        "article": article.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": "hong-kong"}),
        "author": person.get_absolute_url(),
    }


def make_comment(article, **fields):
    n = next(_seq)
    fields.setdefault("author_name", f"Reader {n}")
    fields.setdefault("author_email", f"reader{n}@example.com")
    fields.setdefault("body", f"Comment number {n}.")
    fields.setdefault("status", Comment.Status.APPROVED)
    return Comment.objects.create(article=article, **fields)


def comment_form_data(article, seconds_ago=60, **fields):
    """What the story page's comment form sends, as if shown ``seconds_ago`` (no robot speed)."""
    n = next(_seq)
    data = {
        "body": f"A thoughtful comment, number {n}.",
        "author_name": f"Reader {n}",
        "author_email": f"reader{n}@example.com",
        "author_url": "",
        "token": form_token(article, issued_at=timezone.now().timestamp() - seconds_ago),
    }
    data.update(fields)
    return data


def make_staff(role, **fields):
    """A staff user in one of the newsroom's groups: "Writers", "Editors" or "Moderators"."""
    from django.contrib.auth.models import Group, User

    n = next(_seq)
    fields.setdefault("username", f"{role.lower()}{n}")
    user = User.objects.create_user(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def browser_form_data(html, form_id):
    """What a browser would post for the form ``form_id`` in ``html``, untouched.

    Admin forms have hidden fields, split date/time inputs and inline management
    forms; reading them from the page keeps tests honest about what is rendered.
    File inputs and unchecked boxes send nothing, as in a browser.
    """
    from html.parser import HTMLParser

    class FormReader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside = False
            self.fields = []
            self.select = self.textarea = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.inside = a.get("id") == form_id
            if not self.inside or "name" not in a and tag != "option":
                return
            if tag == "input":
                kind = a.get("type", "text")
                if kind in ("submit", "button", "file", "image", "reset"):
                    return
                if kind in ("checkbox", "radio") and "checked" not in a:
                    return
                self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
            elif tag == "textarea":
                self.textarea = [a["name"], ""]
            elif tag == "select":
                self.select = {"name": a["name"], "multiple": "multiple" in a, "chosen": []}
                self.select["first"] = None
            elif tag == "option" and self.select is not None:
                value = a.get("value", "")
                if self.select["first"] is None:
                    self.select["first"] = value
                if "selected" in a:
                    self.select["chosen"].append(value)

        def handle_data(self, data):
            if self.textarea is not None:
                self.textarea[1] += data

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "textarea" and self.textarea is not None:
                self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
                self.textarea = None
            elif tag == "select" and self.select is not None:
                chosen = self.select["chosen"]
                if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                    chosen = [self.select["first"]]
                self.fields.extend((self.select["name"], value) for value in chosen)
                self.select = None

    reader = FormReader()
    reader.feed(html)
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def empty_caches():
    """A cold start: nothing cached and no stamps remembered (core.stamps.forget)."""
    cache.clear()
    stamps.forget()
