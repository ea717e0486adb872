"""What the press-database readers (Europresse, Factiva, Nexis) share.

A press database carries agency dispatches beside newspaper articles, under
a publication name of its own: Europresse's ``AFP Infos Françaises``,
Factiva's ``Agence France-Presse``, Nexis's ``Agence France Presse --
French``. :func:`publication_agency` tells which agency wrote a publication
(the story then gets that agency), or None for a newspaper (the story keeps
its publication and gets no agency).
"""

from __future__ import annotations

import re

from indexer.wire.dateline import AGENCIES

#: Publication names of agency services that no alias of AGENCIES begins.
_SERVICES = {
    "agence telegraphique suisse": "ATS",
    "agence télégraphique suisse": "ATS",
    "associated press newswires": "AP",
    "the associated press": "AP",
    "xinhua news agency": "Xinhua",
    "reuters news": "Reuters",
    "dpa international": "DPA",
}
_WORD_END = re.compile(r"[\s\-–—:(,/]|$")


def publication_agency(publication: str | None) -> str | None:
    """The agency a press database's publication name stands for, or None.

    The name is an agency service when it is one of the agencies' names or
    aliases, alone or followed by the service's own words.

    >>> publication_agency("AFP Infos Françaises"), publication_agency("Agence France-Presse")
    ('AFP', 'AFP')
    >>> publication_agency("Agence France Presse -- French"), publication_agency("Reuters - Les Actualités en français")
    ('AFP', 'Reuters')
    >>> publication_agency("Associated Press Newswires"), publication_agency("Agence Télégraphique Suisse")
    ('AP', 'ATS')
    >>> publication_agency("Le Monde"), publication_agency("Ouest-France"), publication_agency("La Presse"), publication_agency("")
    (None, None, None, None)
    """
    if not publication:
        return None
    key = " ".join(publication.split()).strip().lower()
    for names in (_SERVICES, AGENCIES):
        best = None
        for alias, agency in names.items():
            if key.startswith(alias) and _WORD_END.match(key, len(alias)) and (best is None or len(alias) > len(best[0])):
                best = (alias, agency)
        if best:
            return best[1]
    return None
