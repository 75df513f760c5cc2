"""What uses a photo: every object of another app that points at it.

Found through Photo's reverse relations, so photos imports no app above it and a new
kind of use (a story's lead photo, a photo placed in a body) is seen as soon as its
model points at Photo. The library's own bookkeeping (renditions, in this app) is not
a use.
"""

from django.db.models import Exists, OuterRef, Q

from photos.models import Photo

# The uses listed for one photo, per kind of use: enough to know it is used, and where.
SHOWN = 20


def references():
    """The relations through which another app's objects refer to a photo."""
    return [
        relation
        for relation in Photo._meta.related_objects
        if relation.related_model._meta.app_label != Photo._meta.app_label
    ]


def _referring(relation, photos):
    return relation.related_model._default_manager.filter(**{relation.field.name: photos})


def uses_of(photo, limit=SHOWN):
    """The objects using ``photo``, up to ``limit`` of each kind: one query per kind."""
    found = []
    for relation in references():
        found.extend(_referring(relation, photo)[:limit])
    return found


def in_use():
    """A condition on photos: used by at least one object (one EXISTS per kind)."""
    condition = Q(pk__in=[])  # nothing refers to photos yet: none is used
    for number, relation in enumerate(references()):
        exists = Q(Exists(_referring(relation, OuterRef("pk"))))
        condition = exists if number == 0 else condition | exists
    return condition
