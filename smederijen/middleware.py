"""Requests that no browser sends are refused before any view sees them."""

from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest
from django.template import loader


class RefuseBrokenFormDataMiddleware:
    """A form posted as ``application/x-www-form-urlencoded`` must be ASCII, and its
    percent-encoded values UTF-8. Django would read broken bytes as "�" and a form could store
    them; here such a post gets the clear 400 page instead, and nothing is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith(
            "application/x-www-form-urlencoded"
        ):
            try:
                body = request.body
            except RequestDataTooBig:
                body = b""  # Django answers that one itself, with a 400
            try:
                parse_qsl(
                    body.decode("ascii"),
                    keep_blank_values=True,
                    encoding="utf-8",
                    errors="strict",
                    max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
                )
            except (UnicodeDecodeError, ValueError):
                return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))
        return self.get_response(request)
