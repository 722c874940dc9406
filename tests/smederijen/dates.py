"""Dates on Dutch pages: Dutch month names, never English ones (issue 20: "16 Dec 2026")."""

import re

from django.utils import formats, translation

# A date with an English month name or abbreviation as Django writes them (title case, "16 Dec
# 2026"); Dutch ones are lower case ("16 december 2026"), so none of these can be Dutch.
ENGLISH_MONTH = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{4}\b"
)


def in_dutch(day) -> str:
    """A day as the Dutch pages write it: "5 december 2026"."""
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


def assert_no_english_month(html: str) -> None:
    found = ENGLISH_MONTH.findall(re.sub(r"<[^>]+>", " ", html))
    assert not found, f"English month names on a Dutch page: {sorted(set(found))}"
