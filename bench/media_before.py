"""Settings for bench/media.py's "before" figures: media through django.views.static.serve
behind the whole middleware stack, as newsroom/urls.py served them until issue 15."""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import MIDDLEWARE

MIDDLEWARE = [name for name in MIDDLEWARE if name != "core.media.MediaFilesMiddleware"]
ROOT_URLCONF = "bench.media_before_urls"
