from django.conf import settings

from articles.models import Section


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # Lazy: evaluated only by templates that render the navigation.
        "nav_sections": Section.objects.all,
    }
