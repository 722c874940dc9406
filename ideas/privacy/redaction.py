"""Taking a person's name, addresses and phone numbers out of free text: the needles to look for
(long enough not to be an ordinary word; a phone number in any of its spellings) and the rows
whose texts are rewritten with ``[verwijderd]`` in their place. Used by the erasure of an account,
by the mail kept for others and by retention (``ideas/privacy/``)."""

import re

from django.db import models

REDACTED = "[verwijderd]"


def _needles(*values: str) -> list[str]:
    """Texts to take out of free text: long enough that they are not an ordinary word."""
    found = {value.strip() for value in values if value and len(value.strip()) >= 5}
    return sorted(found, key=len, reverse=True)


def _address_needles(*addresses: str) -> list[str]:
    """A postal address, and each part of it with a number ("Wolfsbergerweg 12", "7901 AB"): a
    text may name the house without the rest. A street or place alone names nobody."""
    parts = [
        part
        for address in addresses
        if address
        for part in [address, *re.split(r"[,;\n]+", address)]
        if re.search(r"\d", part)
    ]
    return _needles(*parts)


def _houses(needles: list[str]) -> list[str]:
    """Of these address needles, the ones that name a house: a street and its number."""
    return [n for n in needles if re.match(r"\D+\s\d", n)]


def _needle_regex(needle: str) -> str:
    """A needle as a regular expression (the same in Python and PostgreSQL). A phone number
    matches with or without spaces, dots or dashes, and with +31 or 0031 for the 0."""
    if re.fullmatch(r"[\d\s().+/-]+", needle):
        digits = re.sub(r"\D", "", needle)
        if len(digits) >= 8:
            if digits.startswith("0031"):
                digits = "0" + digits[4:]
            elif digits.startswith("31") and needle.lstrip().startswith("+"):
                digits = "0" + digits[2:]
            rest = "[ ./-]?".join(digits[1:])
            first = "(0|[+]31[ ./-]?(\\(0\\))?|0031[ ./-]?)" if digits[0] == "0" else digits[0]
            return f"{first}[ ./-]?{rest}"
    return re.escape(needle).replace("\\ ", " ")


def _pattern(needles: list[str]) -> re.Pattern | None:
    if not needles:
        return None
    return re.compile("|".join(f"({_needle_regex(n)})" for n in needles), re.IGNORECASE)


def _redact(text: str, needles: list[str]) -> str:
    pattern = _pattern(needles)
    return pattern.sub(REDACTED, text) if pattern else text


def _sql_regex(needles: list[str]) -> str:
    return "|".join(f"({_needle_regex(n)})" for n in needles)


def _is_free_text(model_field) -> bool:
    """A text anyone may have written in: not a choice, an address or a part of a link."""
    return (
        isinstance(model_field, models.CharField | models.TextField)
        and not model_field.choices
        and not isinstance(model_field, models.EmailField | models.SlugField | models.URLField)
    )


def _redact_row(obj, needles: list[str], fields=None) -> None:
    changed = []
    for model_field in fields or obj._meta.concrete_fields:
        if isinstance(model_field, models.CharField | models.TextField) and not (
            model_field.choices
        ):
            value = getattr(obj, model_field.attname)
            if value:
                new = _redact(value, needles)
                if new != value:
                    setattr(obj, model_field.attname, new)
                    changed.append(model_field.attname)
    if changed:
        obj.save(update_fields=changed)
