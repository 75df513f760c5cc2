from core.tasks import background_task
from embeds import oembed
from embeds.models import Embed


@background_task(attempts=4, backoff=60)
def fetch_embed(embed_id):
    """Ask an embed's provider about it and keep the answer. A provider that is down or
    slow raises oembed.ProviderUnavailable, so the job runs again (1, 2, 4 minutes
    later); a refused address, a 4xx or an unusable answer is final, and the row
    says why (``error``)."""
    embed = Embed.objects.filter(pk=embed_id).first()
    if embed is None:
        return  # deleted since
    oembed.refresh(embed)
