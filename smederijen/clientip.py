"""The address of the visitor, also when the portal sits behind a proxy.

Behind a proxy (nginx, a load balancer) every request comes from the proxy's address; the
proxy adds the address it saw to ``X-Forwarded-For``. That header is only believed when the
request comes from a proxy named in SMEDERIJEN_TRUSTED_PROXIES (addresses or networks, the same
list gunicorn's forwarded_allow_ips gets in gunicorn.conf.py). The header is read from the
right: each trusted proxy added the address before it, so the first address from the right that
is not one of our proxies is the visitor. Whatever a visitor writes in the header himself stands
further left and is never reached; a visitor who is not a proxy cannot change his address at all.

Sign-in throttling and lock-outs (django-allauth) and the portal's own rate limits all key on
this address (teams.adapters.AccountAdapter.get_client_ip).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def parse_address(text: str) -> Address | None:
    """An address as proxies write it: ``192.0.2.1``, ``2001:db8::1``, ``[2001:db8::1]``,
    optionally with a port (``192.0.2.1:4711``, ``[2001:db8::1]:4711``); None when it is none."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def from_trusted_proxy(request) -> bool:
    """The request came from one of our proxies (or through a Unix socket, which only the web
    server on this host can reach; gunicorn trusts such connections too)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks(tuple(settings.SMEDERIJEN_TRUSTED_PROXIES))
    return not remote or _is_trusted(parse_address(remote), networks)


class ForwardedHeadersFromProxiesOnlyMiddleware:
    """The X-Forwarded-* headers of a request that did not come from one of our proxies are
    dropped before anything reads them (Django's SECURE_PROXY_SSL_HEADER, for one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for key in [k for k in request.META if k.startswith("HTTP_X_FORWARDED_")]:
                del request.META[key]
        return self.get_response(request)


def client_ip(request) -> str:
    """The visitor's address as text (the socket's address when no trusted proxy is between)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not from_trusted_proxy(request):
        return remote
    networks = trusted_networks(tuple(settings.SMEDERIJEN_TRUSTED_PROXIES))
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # Not an address where our own proxy should have written one: trust nothing further
            # left; the request counts as the proxy's own.
            return remote or "127.0.0.1"
        if not _is_trusted(address, networks):
            return str(address)
    # Only our own proxies (or none) in the chain: the leftmost one asked.
    first = parse_address(hops[0]) if hops else None
    return str(first) if first is not None else (remote or "127.0.0.1")
