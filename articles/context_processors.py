from django.conf import settings

from articles.models import Section


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # Lazy, and cached until a section changes, gains its first live story or
        # loses its last (articles.changes).
        "nav_sections": Section.objects.navigation,
    }
