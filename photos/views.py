import logging

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views import View
from PIL import Image

from core import stamps
from photos import cache_tags, renditions
from photos.models import Photo

logger = logging.getLogger(__name__)


class RenditionView(View):
    """A rendition not made yet: make it (once, however many ask at once), then send
    the reader to the stored file. Only the crops, widths and formats the photo has
    are made, so nobody can make the server resize to arbitrary sizes."""

    def get(self, request, pk, crop, width, fmt):
        photo = get_object_or_404(Photo, pk=pk)
        spec = renditions.Spec(renditions.CROP_OF_SLUG.get(crop), width, fmt)
        if not photo.file or not renditions.is_valid(photo, spec):
            raise Http404("This photo has no such rendition.")
        try:
            made = renditions.generate(photo, [spec])
        except (OSError, Image.DecompressionBombError) as error:  # gone from storage, corrupt
            logger.exception("Could not make rendition %s of photo %s", spec, photo.pk)
            raise Http404("This photo's file cannot be read.") from error
        if made:
            # Cached pages name this view for the rendition; once it is stored (committed:
            # requests run in autocommit) they are rendered again with the file's own
            # address, so readers skip this redirect.
            stamps.touch(cache_tags.photo(photo.pk))
        response = HttpResponseRedirect(default_storage.url(renditions.name(photo, spec)))
        # The address stays; what it points to changes with the focal point.
        patch_cache_control(response, no_cache=True)
        return response
