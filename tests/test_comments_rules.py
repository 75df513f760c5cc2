"""The moderation rules and the comment renderer, as pure functions (no database)."""

import pytest

from comments.models import Comment
from comments.moderation import Rules, Submission, find_word, judge
from comments.rendering import body_fingerprint, count_links, render_body

RULES = Rules(
    moderation_links=2,
    moderation_words=("casino",),
    disallowed_words=("viagra", "203.0.113.9", "spam.example"),
    min_seconds=3,
    auto_approve_trusted=True,
)


def submit(**fields):
    fields.setdefault("body", "A fair point about the treaty.")
    fields.setdefault("author_name", "Ann")
    fields.setdefault("author_email", "ann@example.com")
    fields.setdefault("seconds_on_page", 60)
    return Submission(**fields)


class TestJudge:
    def test_a_new_commenter_is_held_with_the_reason(self):
        status, reason = judge(submit(), RULES)
        assert status == Comment.Status.PENDING
        assert reason.startswith("First comment from this commenter")

    def test_a_trusted_commenter_is_approved(self):
        assert judge(submit(trusted=True), RULES) == (Comment.Status.APPROVED, "")

    def test_trust_can_be_switched_off(self):
        rules = Rules(**{**RULES.__dict__, "auto_approve_trusted": False})
        assert judge(submit(trusted=True), rules)[0] == Comment.Status.PENDING

    def test_honeypot_is_spam_even_when_trusted(self):
        status, reason = judge(submit(honeypot="x", trusted=True), RULES)
        assert status == Comment.Status.SPAM and "hidden field" in reason

    def test_too_fast_is_spam(self):
        status, reason = judge(submit(seconds_on_page=1.2, trusted=True), RULES)
        assert status == Comment.Status.SPAM
        assert reason == "Posted 1 s after the form was shown (a person needs at least 3 s)."

    @pytest.mark.parametrize(
        "field, value",
        [
            ("body", "Buy VIAGRA now"),
            ("author_name", "viagra seller"),
            ("author_url", "https://spam.example/shop"),
            ("author_email", "me@spam.example"),
            ("ip_address", "203.0.113.9"),
            ("user_agent", "Mozilla viagra-bot"),
        ],
    )
    def test_a_disallowed_word_anywhere_is_spam(self, field, value):
        status, reason = judge(submit(trusted=True, **{field: value}), RULES)
        assert status == Comment.Status.SPAM and "disallowed words list" in reason

    def test_links_at_the_threshold_are_held(self):
        one = submit(body="Source: https://example.com/report", trusted=True)
        two = submit(body="https://a.com and https://b.com", trusted=True)
        assert judge(one, RULES)[0] == Comment.Status.APPROVED
        assert judge(two, RULES) == (
            Comment.Status.PENDING,
            "Contains 2 links (held at 2 or more).",
        )

    def test_zero_turns_the_link_rule_off(self):
        rules = Rules(**{**RULES.__dict__, "moderation_links": 0})
        body = " ".join(f"https://{n}.com" for n in "abcdef")
        assert judge(submit(body=body, trusted=True), rules)[0] == Comment.Status.APPROVED

    def test_a_moderation_word_holds_a_trusted_commenter(self):
        status, reason = judge(submit(body="The Casino vote", trusted=True), RULES)
        assert status == Comment.Status.PENDING
        assert reason == "Contains “casino”, from the moderation words list."

    def test_a_long_listed_phrase_is_quoted_short_enough_to_store(self):
        phrase = "buy " * 100
        rules = Rules(**{**RULES.__dict__, "moderation_words": (phrase,)})
        status, reason = judge(submit(body=phrase), rules)
        assert status == Comment.Status.PENDING
        assert len(reason) <= Comment._meta.get_field("held_reason").max_length

    def test_spam_rules_come_before_holding_rules(self):
        body = "viagra https://a.com https://b.com casino"
        assert judge(submit(body=body), RULES)[0] == Comment.Status.SPAM


class TestFindWord:
    def test_whole_words_only_in_any_case(self):
        assert find_word(["ass"], ["The assembly met"]) is None
        assert find_word(["ass"], ["You ASS!"]) == "ass"

    def test_an_address_does_not_match_a_longer_one(self):
        assert find_word(["192.0.2.1"], ["192.0.2.10"]) is None
        assert find_word(["192.0.2.1"], ["192.0.2.1"]) == "192.0.2.1"

    def test_phrases_and_blank_entries(self):
        assert find_word(["", "  ", "free money"], ["Get FREE  money"]) is None
        assert find_word(["free money"], ["get free money now"]) == "free money"


class TestRendering:
    def test_text_is_escaped_and_kept_in_paragraphs(self):
        html = render_body("<b>Hi</b> & bye\nnext line\n\nNew <script>x</script>")
        assert html == (
            "<p>&lt;b&gt;Hi&lt;/b&gt; &amp; bye<br>next line</p>\n\n"
            "<p>New &lt;script&gt;x&lt;/script&gt;</p>"
        )

    def test_web_addresses_become_nofollow_links(self):
        html = render_body("See https://news.xyz/a?b=1&c=2 or www.bbc.co.uk.")
        assert (
            '<a href="https://news.xyz/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
            "https://news.xyz/a?b=1&amp;c=2</a>" in html
        )
        bare = '<a href="http://www.bbc.co.uk" rel="nofollow ugc noopener">www.bbc.co.uk</a>.'
        assert bare in html

    @pytest.mark.parametrize(
        "text",
        ["javascript:alert(1)", "data:text/html,<script>x</script>", "e.g. file.txt", "vbscript:x"],
    )
    def test_nothing_else_becomes_a_link(self, text):
        assert "<a " not in render_body(text)

    def test_an_attribute_cannot_be_broken_out_of(self):
        html = render_body('https://a.com/"onmouseover="alert(1)')
        assert 'onmouseover="' not in html

    def test_count_links_matches_what_is_linked(self):
        text = "https://a.com, http://1.2.3.4/x, www.b.org and c.net; not e.g. or ftp:"
        assert count_links(text) == render_body(text).count("<a ") == 4

    def test_fingerprint_ignores_spacing_only(self):
        assert body_fingerprint(" Same  words\n") == body_fingerprint("Same words")
        assert body_fingerprint("Same words") != body_fingerprint("same words")
