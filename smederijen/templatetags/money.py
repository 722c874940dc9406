"""Money the Dutch way: € 1.234,50 (in every language of the site)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def format_euro(value) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{sign}€\u00a0{digits}"


@register.filter
def euro(value) -> str:
    return format_euro(value)
