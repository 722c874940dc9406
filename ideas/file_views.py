"""Stored files are served only through here, after asking who may see them: an idea's
attachments and the scans of paper support lists. The storage itself is never public."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from . import permissions
from .models import Attachment, PaperSupportList


def attachment(request, public_id):
    """Every file goes through here: only those who may see it get it (others: not found)."""
    item = get_object_or_404(Attachment.objects.select_related("idea"), public_id=public_id)
    if not permissions.can_see_attachment(request.user, item, request.session):
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.content_type == "application/pdf" and "download" in request.GET,
        filename=item.original_name,
    )
    response["Cache-Control"] = (
        "private, no-store" if not item.is_public else "public, max-age=3600"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def paper_list_scan(request, pk):
    """The scan of a paper support list: for the staff of the idea's area only."""
    paper = get_object_or_404(PaperSupportList.objects.select_related("idea"), pk=pk)
    if not paper.scan or not permissions.is_area_staff(request.user, paper.idea):
        raise Http404
    content_type = "application/pdf" if paper.scan.name.endswith(".pdf") else "image/jpeg"
    response = FileResponse(paper.scan.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
