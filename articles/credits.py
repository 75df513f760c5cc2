"""Closing credits as readers read them: "C contributed reporting from X."."""

from itertools import groupby

from articles.models import Credit

_SENTENCES = {
    Credit.Role.REPORTING: "{names} contributed reporting",
    Credit.Role.PHOTOGRAPHY: "Photographs by {names}",
    Credit.Role.VIDEO: "Video by {names}",
    Credit.Role.EDITING: "Edited by {names}",
    Credit.Role.OTHER: "{names}",
}


def join_names(names):
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def closing_lines(credits):
    """One sentence per run of same-role, same-note credits, in editorial order."""
    others = [c for c in credits if c.role != Credit.Role.BYLINE]
    lines = []
    for (role, note), group in groupby(others, key=lambda c: (c.role, c.note.strip())):
        sentence = _SENTENCES[role].format(names=join_names(c.person.name for c in group))
        if note:
            sentence = f"{sentence} {note}"
        lines.append(sentence.rstrip(".") + ".")
    return lines
