"""What a page prints under a heading, without saying twice what the heading already says.

A live session opened from a group session is titled "<group>, séance 3"; the record page and
the plans kept from that session also print the group's name beside the title, so the name came
out twice. One pure rule for every such line.
"""

from collections.abc import Iterable


def not_repeated(heading: str, details: Iterable[str | None]) -> list[str]:
    """The non-empty ``details`` in their order, less those already said by ``heading`` or by a
    detail kept before them (compared case-insensitively, as substrings).

    >>> not_repeated("Groupe d'Anne, séance 3", ["Groupe d'Anne", "12 mars 2026"])
    ['12 mars 2026']
    """
    kept: list[str] = []
    for detail in details:
        text = (detail or "").strip()
        if not text:
            continue
        said = [heading, *kept]
        if any(text.casefold() in earlier.casefold() for earlier in said if earlier):
            continue
        kept.append(text)
    return kept
