"""The cache tag of an embed (see core.stamps and core.rendering).

Every page that shows an embed declares ``embed:<pk>`` while it renders, so that
the answer of its provider (fetched in the background, after the story was saved)
or an editor's change reaches exactly those pages.
"""


def embed(pk):
    return f"embed:{pk}"
