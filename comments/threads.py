"""Turn a flat, ordered list of comments into nested threads in one pass."""


def build_threads(comments, max_depth):
    """Return top-level comments, each with ``.children`` (and ``.depth``) filled in.

    A reply whose parent is not in the list (not approved, say) is not shown:
    a reader must not see an answer to something hidden from them.
    Replies deeper than ``max_depth`` are attached to the deepest allowed
    ancestor, as WordPress does, so a thread never runs off the page.
    """
    by_id = {}
    roots = []
    for comment in comments:
        comment.children = []
        parent = by_id.get(comment.parent_id)
        if comment.parent_id is None:
            comment.depth = 1
            roots.append(comment)
        elif parent is None:
            continue
        else:
            while parent.depth >= max_depth:
                parent = parent.thread_parent
            comment.depth = parent.depth + 1
            parent.children.append(comment)
        comment.thread_parent = parent
        by_id[comment.pk] = comment
    return roots
