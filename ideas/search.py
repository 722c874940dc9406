"""Zoeken: one search over the public ideas and the site's own pages, ranked, in Dutch.

On PostgreSQL the ideas are searched with its Dutch full-text search ("speeltuinen" finds
"speeltuin") on a stored, indexed column (migration 0002). On SQLite, the quick start, every word
must appear somewhere in the title, summary, description or place.
"""

import re
from functools import lru_cache

from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from smederijen.models import ProgrammeSettings, Smederij
from smederijen.prepared import Prepared
from teams.models import Initiatiefgroep, Team

from .models import CARD_COLUMNS, Idea
from .services import support_total_annotation

MAX_QUERY_LENGTH = 200
# The site's fixed pages, searched by their text as a visitor sees it.
SITE_PAGES = [
    ("smederijen:about", "smederijen/about.html", _("About De Smederijen")),
    ("ideas:conditions", None, _("Conditions for ideas")),
    ("ideas:idea-start", None, _("Send in an idea")),
    ("smederijen:contact", "smederijen/contact.html", _("Contact")),
    ("smederijen:accessibility", "smederijen/accessibility.html", _("Accessibility")),
    ("smederijen:privacy", "smederijen/privacy.html", _("Privacy")),
]


def words(query: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", query.lower()[:MAX_QUERY_LENGTH]) if len(w) > 1][:10]


def plain_stem(term: str) -> str:
    """A rough Dutch stem for the SQLite fallback: "speeltuinen" → "speeltuin", "bankjes" →
    "bankje". PostgreSQL's Dutch dictionary does this properly."""
    for suffix in ("'s", "en", "s"):
        if len(term) > len(suffix) + 3 and term.endswith(suffix):
            return term[: -len(suffix)]
    return term


def area_names() -> dict[str, int]:
    """Every Smederij's key by its name in lower case."""
    return {name.lower(): pk for pk, name in Smederij.objects.values_list("pk", "name")}


def search_ideas(query: str, ideas=None, areas=None):
    """Public ideas matching the query, best first. ``areas``: ``area_names()``, when the caller
    has them already (the search page keeps them by version)."""
    if ideas is None:
        ideas = Idea.objects.published()
    terms = words(query)
    if not terms:
        return ideas.none()
    # A word that names a Smederij ("krakeel") picks that area, also for ideas whose text does
    # not say it; the other words are searched in the text of the ideas of that area.
    if areas is None:
        areas = area_names()
    areas = {term: areas[term] for term in terms if term in areas}
    text_terms = [term for term in terms if term not in areas]
    if areas:
        ideas = ideas.filter(smederij__in=areas.values())
    if not text_terms:
        return ideas.order_by("-submitted_at", "-pk")
    if connection.vendor == "postgresql":
        return _ranked(ideas, _tsquery_text(text_terms))
    return plain_search(ideas, text_terms)


def _tsquery_text(terms: list[str]) -> str:
    """Every word, stemmed the Dutch way, also as the start of a longer word: "speeltuinen" finds
    "speeltuin", "bankje" finds "bankjes"."""
    return " & ".join(f"{term}:*" for term in terms)


def _ranked(ideas, text: str):
    """The ideas that match the full-text query ``text``, best first (PostgreSQL)."""
    tsquery = "to_tsquery('dutch', %s)"
    return (
        ideas.annotate(rank=RawSQL(f"ts_rank(ideas_idea.search_document, {tsquery})", (text,)))
        .extra(where=[f"ideas_idea.search_document @@ {tsquery}"], params=[text])  # noqa: S610
        .order_by("-rank", "-submitted_at", "-pk")
    )


def found_keys(query: str, areas: dict[str, int]) -> list[int]:
    """The keys of every idea ``search_ideas`` finds, best first (the search page keeps them by
    the version of the ideas: ranking them is most of a search's SQL; it reads the cards of a page
    with ``cards_of``)."""
    return list(search_ideas(query, areas=areas).values_list("pk", flat=True))


@lru_cache(maxsize=32)
def _cards_of(count: int) -> Prepared:
    """The card rows (``CARD_COLUMNS``) of ``count`` public ideas by their keys, as SQL built once
    per worker."""
    marks = {f"idea{index}": -1 - index for index in range(count)}
    ideas = (
        Idea.objects.published()
        .filter(pk__in=list(marks.values()))
        .annotate(**support_total_annotation(), smederij_name=F("smederij__name"))
        .order_by()
    )
    return Prepared(ideas.values_list(*CARD_COLUMNS), **marks)


def cards_of(keys: list[int]) -> list[tuple]:
    """The card rows of these public ideas, in the order of ``keys`` (one query)."""
    if not keys:
        return []
    if connection.vendor != "postgresql":
        rows = (
            Idea.objects.published()
            .filter(pk__in=keys)
            .annotate(**support_total_annotation(), smederij_name=F("smederij__name"))
        )
        rows = list(rows.values_list(*CARD_COLUMNS))
    else:
        rows = _cards_of(len(keys)).rows(**{f"idea{i}": key for i, key in enumerate(keys)})
    by_key = {row[0]: row for row in rows}
    return [by_key[key] for key in keys if key in by_key]


def plain_search(ideas, terms: list[str]):
    """The fallback without full-text search: every word (roughly stemmed) appears somewhere."""
    condition = Q()
    for term in map(plain_stem, terms):
        condition &= (
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(description__icontains=term)
            | Q(location__icontains=term)
        )
    return ideas.filter(condition).order_by("-submitted_at", "-pk")


@lru_cache(maxsize=8)
def _page_texts(language: str) -> tuple[tuple[str, str, str], ...]:
    """The fixed pages' text, rendered once per language and process."""
    pages = []
    for url_name, template, title in SITE_PAGES:
        text = str(title)
        if template:
            # The privacy statement names the retention periods: the defaults are text enough.
            context = {"contact_email": "", "csrf_token": "-", "periods": ProgrammeSettings()}
            page = render_to_string(template, context)
            main = re.search(r"data-read-aloud-content>(.*)</main>", page, re.S)
            text += " " + strip_tags(main.group(1) if main else page)
        pages.append((reverse(url_name), str(title), re.sub(r"\s+", " ", text).lower()))
    return tuple(pages)


def _score(text: str, terms: list[str]) -> int:
    # A word's stem: "speeltuinen" also finds "speeltuin".
    return sum(text.count(term[:-2] if len(term) > 5 else term) for term in terms)


def search_pages(query: str) -> list[dict]:
    """The site's pages, Smederijen and teams that match, best first."""
    terms = words(query)
    if not terms:
        return []
    results = []
    for url, title, text in _page_texts(get_language() or "nl"):
        score = _score(text, terms)
        if score:
            results.append({"url": url, "title": title, "score": score})
    condition = Q()
    for term in terms:
        condition |= Q(name__icontains=term) | Q(description__icontains=term)
    for smederij in Smederij.objects.active().filter(condition):
        text = f"{smederij.name} {smederij.description}".lower()
        results.append(
            {
                "url": smederij.get_absolute_url(),
                "title": _("Smederij %(name)s") % {"name": smederij.name},
                "score": _score(text, terms) + 5,
            }
        )
    team_condition = Q()
    for term in terms:
        team_condition |= Q(name__icontains=term) | Q(introduction__icontains=term)
    for team in Team.objects.filter(is_active=True).filter(team_condition):
        results.append(
            {
                "url": reverse("teams:team-detail", kwargs={"slug": team.slug}),
                "title": team.name,
                "score": _score(f"{team.name} {team.introduction}".lower(), terms) + 3,
            }
        )
    group_condition = Q()
    for term in terms:
        group_condition |= Q(name__icontains=term) | Q(smederij__name__iexact=term)
    for group in Initiatiefgroep.objects.filter(is_active=True).filter(group_condition):
        results.append(
            {
                "url": group.get_absolute_url(),
                "title": group.name,
                "score": _score(group.name.lower(), terms) + 2,
            }
        )
    return sorted(results, key=lambda r: -r["score"])[:10]
