"""The comments' settings (imported by newsroom.settings): the defaults of the admin's
discussion settings, the moderation rules and the rate limit, read from the environment
via newsroom.env."""

from django.core.exceptions import ImproperlyConfigured

from newsroom import env

# Comments (defaults of the admin's discussion settings): replies nest this deep (WordPress: 5).
COMMENT_MAX_DEPTH = env.integer("COMMENT_MAX_DEPTH", 5)
# Whole threads per page of a story's discussion (?cpage=N), oldest first.
COMMENTS_PER_PAGE = env.integer("COMMENTS_PER_PAGE", 50)
# Moderation rules (comments/moderation.py), WordPress's defaults: a comment is held
# unless its author proved an earlier approved one; held at this many links or more
# (0: never); held / marked spam when it contains a listed word or phrase (whole words,
# any case, looked for in the text, name, email, website, IP and browser).
COMMENT_MODERATION_LINKS = env.integer("COMMENT_MODERATION_LINKS", 2)
COMMENT_MODERATION_WORDS = env.csv("COMMENT_MODERATION_WORDS", "")
COMMENT_DISALLOWED_WORDS = env.csv("COMMENT_DISALLOWED_WORDS", "")
COMMENT_AUTO_APPROVE_TRUSTED = env.boolean("COMMENT_AUTO_APPROVE_TRUSTED", True)
# Posted sooner than this after the form was shown: a robot, marked spam.
COMMENT_MIN_SECONDS = env.integer("COMMENT_MIN_SECONDS", 3)
# At most COMMENT_RATE_LIMIT comments per COMMENT_RATE_WINDOW seconds from one address
# (an IPv6 /64), counted in the cache; 0 lifts the limit.
COMMENT_RATE_LIMIT = env.integer("COMMENT_RATE_LIMIT", 5)
COMMENT_RATE_WINDOW = env.integer("COMMENT_RATE_WINDOW", 60)
if COMMENT_RATE_WINDOW < 1 or COMMENTS_PER_PAGE < 1:
    raise ImproperlyConfigured(
        "COMMENT_RATE_WINDOW and COMMENTS_PER_PAGE must be at least 1 "
        "(to lift the rate limit, set COMMENT_RATE_LIMIT=0)."
    )
# Close comments this many days after publication (0: never; editors can close any story).
COMMENT_CLOSE_AFTER_DAYS = env.integer("COMMENT_CLOSE_AFTER_DAYS", 0)
