from core import stamps
from core.tasks import background_task
from photos import cache_tags, renditions
from photos.models import Photo


@background_task(attempts=5, backoff=30)
def make_standard_renditions(photo_id):
    """The renditions every page and card shows of a photo, made before anyone asks;
    the pages showing it are rendered again so they link the files themselves."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or not photo.file:
        return  # deleted since
    if renditions.generate(photo, renditions.standard_specs(photo)):
        stamps.touch(cache_tags.photo(photo.pk))
