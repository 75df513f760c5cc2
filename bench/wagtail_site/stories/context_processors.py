from stories.models import SECTIONS


def sections(request):
    return {"sections": SECTIONS}
