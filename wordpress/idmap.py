"""The WordPress-id map: create an object on the first import, update it when the export changes.

Everything imported is keyed on its WordPress id (``ImportedObject``). What the
import writes is fingerprinted; the next import compares fingerprints, so the
same export twice changes nothing (and leaves edits made here alone), while a
newer export updates exactly what changed in WordPress.
"""

import hashlib
import json

from django.contrib.contenttypes.models import ContentType

from wordpress.models import ImportedObject
from wordpress.report import CREATED, MATCHED, UNCHANGED, UPDATED

# Bump when the importer starts writing something differently: every object is rewritten once.
IMPORT_FORMAT = 1


def fingerprint(*values):
    payload = json.dumps([IMPORT_FORMAT, *values], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def unique_value(model, field, value, exclude_pk=None, separator="-"):
    """``value``, or ``value-2``, ``value-3``... whichever no other row of ``model`` has."""
    max_length = model._meta.get_field(field).max_length
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    candidate = value[:max_length]
    n = 2
    while others.filter(**{field: candidate}).exists():
        suffix = f"{separator}{n}"
        candidate = value[: max_length - len(suffix)] + suffix
        n += 1
    return candidate


class IdMap:
    def __init__(self, site):
        self.site = site

    def links(self, kind, wp_ids):
        """The map rows for these WordPress ids, by id (one query)."""
        rows = ImportedObject.objects.filter(site=self.site, kind=kind, wp_id__in=wp_ids)
        return {row.wp_id: row for row in rows}

    def link(self, kind, wp_id):
        return self.links(kind, [wp_id]).get(wp_id)

    def new_link(self, kind, wp_id, obj, digest):
        return ImportedObject(
            site=self.site,
            kind=kind,
            wp_id=wp_id,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            fingerprint=digest,
        )

    def unclaimed(self, kind, obj):
        """``obj``, unless another WordPress object of this kind already maps to it."""
        if obj is None:
            return None
        taken = ImportedObject.objects.filter(
            site=self.site,
            kind=kind,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
        ).exists()
        return None if taken else obj

    def sync(self, kind, wp_id, model, fields, *, extra=(), unique=(), adopt=None, quietly=False):
        """The object imported as WordPress ``kind`` #``wp_id``, brought in line with ``fields``.

        ``extra`` is what the caller applies itself (tags, bylines) and only
        counts towards the fingerprint. ``unique`` fields get a ``-2`` suffix when
        another row holds the value. ``adopt()`` may return an existing object to
        link instead of creating one (a section of the same slug); it is linked
        as it is. ``quietly`` creates with ``bulk_create``, which sends no signals:
        for what a first import writes by the thousand, whose derived data the
        caller rebuilds in bulk. Returns ``(object, outcome)``; the object is None
        when it was deleted here after an earlier import (and stays deleted).
        """
        digest = fingerprint(fields, extra)
        row = self.link(kind, wp_id)
        if row is not None:
            obj = model.objects.filter(pk=row.object_id).first()
            if obj is None:
                return None, None
            if row.fingerprint == digest:
                return obj, UNCHANGED
            self._apply(obj, fields, unique)
            obj.save()
            row.fingerprint = digest
            row.save(update_fields=["fingerprint", "imported_at"])
            return obj, UPDATED
        obj = adopt() if adopt else None
        outcome = MATCHED
        if obj is None:
            obj = model()
            self._apply(obj, fields, unique)
            if quietly:
                model.objects.bulk_create([obj])
            else:
                obj.save()
            outcome = CREATED
        self.new_link(kind, wp_id, obj, digest).save()
        return obj, outcome

    @staticmethod
    def _apply(obj, fields, unique):
        for name, value in fields.items():
            if name in unique and getattr(obj, name) != value:
                separator = " " if name == "name" else "-"
                value = unique_value(type(obj), name, value, obj.pk, separator)
            setattr(obj, name, value)
