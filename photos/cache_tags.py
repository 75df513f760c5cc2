"""The cache tag of a photo (see core.stamps and core.rendering).

Every page that shows a photo declares ``photo:<pk>`` while it renders (the
``{% picture %}`` tag and photos.renditions do it), so a new focal point, crop,
alt text or credit makes exactly those pages stale. photos.signals touches it
after the change is committed.
"""


def photo(pk):
    return f"photo:{pk}"
