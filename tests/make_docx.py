"""Write a minimal Word (DOCX) file of paragraphs, as Nexis Uni's exports are.

``python3 tests/make_docx.py`` (re)writes the bundled sample
``corpus/nexis/nexis-uni-euro-2016.docx`` from the text below; the tests use
:func:`write_docx` for damaged and odd files. The ZIP entries carry a fixed
date, so the same text gives the same bytes.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "nexis" / "nexis-uni-euro-2016.docx"

_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_xml(paragraphs: list[str]) -> bytes:
    """``word/document.xml`` with one ``w:p`` a paragraph (a ``Titre:`` label in bold, as Nexis writes)."""
    body = []
    for text in paragraphs:
        label, sep, rest = text.partition(": ")
        if sep and label.replace("-", "").isalpha() and len(label) < 20:
            runs = (f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(label)}: </w:t></w:r>'
                    f'<w:r><w:t>{escape(rest)}</w:t></w:r>')
        else:
            runs = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        body.append(f"<w:p>{runs}</w:p>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
            + "".join(body) + "<w:sectPr/></w:body></w:document>").encode("utf-8")


def write_docx(path: Path, paragraphs: list[str], document: bytes | None = None) -> Path:
    """A DOCX of these paragraphs (or of this ``document.xml``)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", _TYPES.encode()), ("_rels/.rels", _RELS.encode()),
                           ("word/document.xml", document if document is not None else document_xml(paragraphs))):
            info = zipfile.ZipInfo(name, date_time=(2016, 6, 20, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


SAMPLE_PARAGRAPHS = [
    "User Name: bibliotheque-universitaire", "Date and Time: Monday, June 20, 2016 10:00:00 AM CEST",
    "Job Number: 51022871", "Documents (2)", "1. Euro-2016: Lyon se prépare à un week-end à haut risque",
    "2. A Saint-Etienne, les commerçants sourient", "Search Terms: euro 2016", "Nexis Uni",
    # 1: an AFP dispatch
    "Euro-2016: Lyon se prépare à un week-end à haut risque", "Agence France Presse -- French",
    "June 17, 2016 Friday 2:12 PM GMT", "Copyright 2016 Agence France Presse All Rights Reserved",
    "Section: SPORTS", "Length: 158 words", "Body",
    "LYON, 17 juin 2016 (AFP) - La préfecture du Rhône a annoncé vendredi la mobilisation de plus de 2.000 "
    "policiers et gendarmes à Lyon, où se joue samedi un match à haut risque du championnat d'Europe de football.",
    "Une zone de supporters sera ouverte place Bellecour, sous contrôle strict des accès.",
    "bur-mla/jmt", "Classification", "Language: FRENCH; FRANÇAIS", "Publication-Type: Newswire",
    "Subject: SOCCER (94%); SECURITY (88%)", "Geographic: LYON, FRANCE (90%)", "Load-Date: June 18, 2016",
    "End of Document",
    # 2: a newspaper article
    "A Saint-Etienne, les commerçants sourient", "Le Progrès", "June 18, 2016 Saturday",
    "Copyright 2016 Le Progrès All Rights Reserved", "Section: ECONOMIE; Pg. 4", "Length: 244 words",
    "Byline: Julien Morel", "Body",
    "Les bars du centre-ville n'avaient pas connu pareille affluence depuis longtemps. Depuis l'ouverture du tournoi, "
    "le chiffre d'affaires a parfois doublé.",
    "A l'office de tourisme, on compte déjà plusieurs milliers de visiteurs étrangers, surtout venus du Portugal.",
    "Classification", "Language: FRENCH; FRANÇAIS", "Publication-Type: Newspaper",
    "Subject: SOCCER (90%); RETAILERS (77%)", "Geographic: SAINT-ETIENNE, FRANCE (92%)",
    "Load-Date: June 18, 2016", "End of Document",
]


if __name__ == "__main__":
    print(write_docx(SAMPLE, SAMPLE_PARAGRAPHS).relative_to(ROOT))
    sys.exit(0)
