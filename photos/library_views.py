"""The library's JSON endpoints in the admin: upload one file, and choose a photo.

Both are wrapped by the admin site (staff only, CSRF-protected) in PhotoAdmin.get_urls,
and ask the Photo admin for the permission they need, so a role's grants decide who
may upload (add_photo) and who may choose (view_photo).
"""

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views import View

from photos import renditions, uploads
from photos.forms import UploadForm
from photos.models import Photo
from photos.thumbnails import thumbnail_url

PER_PAGE = 24
# What a multipart body may add around the file itself (boundaries, headers, words).
ENVELOPE = 64 * 1024


def as_json(photo):
    return {
        "id": photo.pk,
        "thumbnail": thumbnail_url(photo),
        "title": str(photo),
        "alt_text": photo.alt_text,
        "decorative": photo.decorative,
        "caption": photo.caption,
        "credit": photo.credit,
        "width": photo.width,
        "height": photo.height,
        "change_url": reverse("admin:photos_photo_change", args=[photo.pk]),
    }


def refusal(message, status=400):
    return JsonResponse({"error": message}, status=status)


class LibraryView(View):
    model_admin = None
    permission = None  # the ModelAdmin's has_<permission>_permission

    def dispatch(self, request, *args, **kwargs):
        allowed = getattr(self.model_admin, f"has_{self.permission}_permission")(request)
        if not allowed:
            return refusal(f"You may not {self.permission} photos.", status=403)
        return super().dispatch(request, *args, **kwargs)


class UploadView(LibraryView):
    """POST multipart ``file`` (and optional alt_text, caption, credit): 201 and the
    new photo, or 400 and what was wrong with it. Nothing is stored on a refusal."""

    permission = "add"

    def post(self, request):
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.PHOTO_MAX_UPLOAD_BYTES + ENVELOPE:
            # Refused before Django reads (and spools to disk) a body this big.
            return refusal(
                "This upload is bigger than the largest photo accepted "
                f"({filesizeformat(settings.PHOTO_MAX_UPLOAD_BYTES)}). Export a smaller "
                "JPEG and upload it instead."
            )
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            problems = form.errors.get("file") or [
                f"{field}: {error}" for field, errors in form.errors.items() for error in errors
            ]
            return refusal(" ".join(problems))
        photo = form.save(commit=False)
        photo.uploaded_by = request.user
        uploads.take_in(photo, form.cleaned_data["file"])
        uploads.save(photo)
        return JsonResponse(as_json(photo), status=201)


class ChooseView(LibraryView):
    """GET ``?q=`` (searched like the library's list) and ``?page=`` (from 1): one page
    of photos, newest first, and whether there are more."""

    permission = "view"

    def get(self, request):
        try:
            page = max(1, int(request.GET.get("page") or 1))
        except ValueError:
            return refusal("page must be a whole number, from 1.")
        queryset, _ = self.model_admin.get_search_results(
            request, Photo.objects.all(), request.GET.get("q", "").strip()
        )
        start = (page - 1) * PER_PAGE
        # A row past the page says whether another page exists (no COUNT).
        # The thumbnails' renditions: one more query for the whole page.
        page_of = queryset.prefetch_related(renditions.stored_prefetch())[
            start : start + PER_PAGE + 1
        ]
        found = list(page_of)
        return JsonResponse(
            {"results": [as_json(p) for p in found[:PER_PAGE]], "more": len(found) > PER_PAGE}
        )
