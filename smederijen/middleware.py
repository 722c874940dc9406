"""Requests that no browser sends are refused before any view sees them; pages compressed."""

from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest
from django.middleware.gzip import GZipMiddleware
from django.template import loader
from django.utils.cache import patch_vary_headers

from . import gzipparts


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


class CompressPagesMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, with a page compressed at ``gzipparts.ANSWER_LEVEL`` instead of
    6 (a quarter of a fresh list page's time beyond the bare view went into level 6). The rest is
    Django's: streaming answers, short answers and answers already encoded, the random bytes in
    the header against BREACH (gzipparts.compress), a weak ETag."""

    def process_response(self, request, response):
        if response.streaming or len(response.content) < 200:
            return super().process_response(request, response)
        if response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not gzipparts.ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = gzipparts.compress(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
