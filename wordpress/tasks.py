from core.tasks import background_task
from wordpress import attachments
from wordpress.models import Attachment


@background_task(attempts=4, backoff=300)
def download_attachment(attachment_id):
    """Bring one attachment's file from the old site into the photo library
    (``import_wordpress --download-media``). An old site that is slow or down is
    tried again 5, 10 and 20 minutes later; a refusal is final and the attachment
    says why (``problem``)."""
    attachment = Attachment.objects.filter(pk=attachment_id, photo=None).first()
    if attachment is not None:
        attachments.download(attachment)
