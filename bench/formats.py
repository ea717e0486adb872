"""Reading speed per input format, and the memory of a big feed file.

``python -m bench.formats`` writes the same stories (the real ones of
``../shared/realdata``, else generated ones) in each format the readers
take — plain text files, one JSON Lines file, NewsML-G2 (one ``newsMessage``),
NewsML 1.2, NITF files, Europresse exports of 1,000 articles a file in the
current and the classic layout, one Factiva HTML export, one classic Nexis
HTML export, one Nexis Uni HTML export and one Nexis Uni DOCX export
(press-database exports hold their articles in one file) — then reads and
parses each corpus through ``indexer.formats.read_corpus`` in a fresh
process and prints stories/s and the ratio to plain text, of wall time and
of the process's own CPU time (which a loaded machine changes less), and
the process's peak RSS (its own: started through
:class:`bench.measure.Launched`, so the bench's pages are not counted). ``--feed-items N`` also writes one
``newsMessage`` of N items and reports its peak memory, ``--export-articles
N [N...]`` one export of N articles in each press-database layout: a
streamed reader's peak does not grow with the file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from bench.measure import run_launched

DEFAULT_REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
ROOT = Path(__file__).resolve().parents[1]


def load_stories(realdata: Path, limit: int) -> list[dict]:
    out = []
    for path in sorted(realdata.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            obj = json.loads(line)
            text = obj.get("text") or obj.get("body") or ""
            headline = obj.get("headline") or obj.get("title") or text.split("\n", 1)[0][:120]
            if text.strip():
                out.append({"headline": headline, "text": text, "date": str(obj.get("date") or "2016-01-01")[:10]})
            if len(out) >= limit:
                return out
    return out


def _paras(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _body_xml(s: dict) -> str:
    """The story's paragraphs as ``<p>`` elements."""
    return "".join(f"<p>{escape(p)}</p>" for p in _paras(s["text"]))


def g2_item(i: int, s: dict) -> str:
    body = _body_xml(s)
    return (f'<newsItem guid="urn:bench:{i}" version="1"><itemMeta><itemClass qcode="ninat:text"/>'
            f'<provider qcode="nprov:AFP"/><versionCreated>{s["date"]}T10:00:00Z</versionCreated></itemMeta>'
            f'<contentMeta><headline>{escape(s["headline"])}</headline><language tag="fr"/></contentMeta>'
            f'<contentSet><inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">'
            f'<body><body.content>{body}</body.content></body></nitf></inlineXML></contentSet></newsItem>\n')


def newsml12_item(i: int, s: dict) -> str:
    body = _body_xml(s)
    day = s["date"].replace("-", "")
    return (f"<NewsItem><Identification><NewsIdentifier><ProviderId>afp.com</ProviderId><NewsItemId>{i}</NewsItemId>"
            f'<RevisionId Update="N">1</RevisionId></NewsIdentifier></Identification><NewsManagement>'
            f'<NewsItemType FormalName="News"/><FirstCreated>{day}T100000Z</FirstCreated></NewsManagement>'
            f"<NewsComponent><NewsLines><HeadLine>{escape(s['headline'])}</HeadLine></NewsLines>"
            f'<ContentItem><MediaType FormalName="Text"/><DataContent>{body}</DataContent></ContentItem>'
            f"</NewsComponent></NewsItem>\n")


def nitf_doc(i: int, s: dict) -> str:
    body = _body_xml(s)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<nitf><head><docdata><doc-id id-string="nitf-{i}"/>'
            f'<date.issue norm="{s["date"].replace("-", "")}T100000Z"/></docdata></head><body><body.head><hedline>'
            f"<hl1>{escape(s['headline'])}</hl1></hedline></body.head><body.content>{body}</body.content></body></nitf>\n")


def factiva_article(i: int, s: dict) -> str:
    """One article of a Factiva export (field-code layout), as an AFP dispatch."""
    y, m, d = s["date"].split("-")
    paras = "".join(f'<p class="articleParagraph frarticleParagraph">{escape(p)}</p>' for p in _paras(s["text"]))
    rows = (("HD", f"<b class='frHeadline'>{escape(s['headline'])}</b>"), ("WC", "400 mots"),
            ("PD", f"{int(d)} {_FR_MONTHS[int(m) - 1]} {y}"), ("SN", "Agence France-Presse"), ("SC", "AFPFR"),
            ("LA", "Français"), ("CY", "Copyright Agence France-Presse."), ("LP", paras),
            ("NS", "gpol : Politique intérieure | gcat : Actualité"), ("RE", "fra : France"),
            ("AN", f"Document AFPFR0000{y}{m}{d}{i:09d}"))
    cells = "".join(f'<tr><td align="right" valign="top" class="index"><b>{c}</b>&nbsp;</td><td>{v}</td></tr>'
                    for c, v in rows)
    return f'<div class="article frArticle"><table cellpadding="1" cellspacing="1" border="0">{cells}</table></div>\n'


def nexis_document(i: int, n: int, s: dict) -> str:
    """One document of a classic Nexis export, as an AFP dispatch."""
    y, m, d = s["date"].split("-")
    def line(text: str) -> str:
        return f'<BR><DIV CLASS="c5"><P CLASS="c6"><SPAN CLASS="c2">{text}</SPAN></P></DIV>\n'
    paras = "".join(f'<P CLASS="c9"><SPAN CLASS="c2">{escape(p)}</SPAN></P>' for p in _paras(s["text"]))
    return (f"<!-- Hide XML section from browser\n<DOC NUMBER=1>\n<DOCFULL> -->\n{line(f'{i} sur {n} DOCUMENTS')}"
            f"{line('Agence France Presse -- French')}{line(f'{int(d)} {_FR_MONTHS[int(m) - 1]} {y}')}"
            f"{line(escape(s['headline']))}{line('LONGUEUR: 400 mots')}<BR><DIV CLASS=\"c5\">{paras}</DIV>\n"
            f"{line('LANGUE: FRENCH; FRANÇAIS')}{line('SUJET: POLITIQUE (90%); ELECTIONS (70%)')}"
            f"{line('Copyright Agence France Presse')}<!-- Hide XML section from browser\n</DOCFULL>\n</DOC> -->\n")


_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")
_FACTIVA_HEAD = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>'
                 '<title>Factiva</title></head><body><div id="contentWrapper"><div id="contentLeft">\n')


def write_factiva(stories: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(_FACTIVA_HEAD)
        for i, s in enumerate(stories):
            fh.write(factiva_article(i, s))
        fh.write("</div></div></body></html>\n")


def nexis_uni_lines(s: dict) -> list[str]:
    """The lines of one Nexis Uni document (HTML or DOCX), as an AFP dispatch."""
    y, m, d = s["date"].split("-")
    return ([s["headline"], "Agence France Presse -- French", f"{_EN_MONTHS[int(m) - 1]} {int(d)}, {y}",
             f"Copyright {y} Agence France Presse All Rights Reserved", "Section: FRANCE", "Length: 400 words", "Body"]
            + _paras(s["text"]) + ["Classification", "Language: FRENCH; FRANÇAIS",
                                   "Subject: POLITICS (90%); ELECTIONS (70%)", "Geographic: FRANCE (91%)",
                                   "End of Document"])


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
_UNI_COVER = ["User Name: banc-d-essai", "Job Number: 1", "Nexis Uni"]


def write_nexis_uni(stories: list[dict], path: Path) -> None:
    """A Nexis Uni HTML export: a cover, then a ``div`` of paragraphs a document."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Nexis Uni</title></head><body>\n'
                 + "".join(f"<p>{escape(line)}</p>" for line in _UNI_COVER) + "\n")
        for s in stories:
            lines = nexis_uni_lines(s)
            fh.write(f'<div class="document"><p class="title">{escape(lines[0])}</p>'
                     + "".join(f"<p>{escape(line)}</p>" for line in lines[1:]) + "</div>\n")
        fh.write("</body></html>\n")


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def write_nexis_docx(stories: list[dict], path: Path) -> None:
    """A Nexis Uni DOCX export: ``word/document.xml`` of one ``w:p`` a line."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType='
                   '"application/xml"/></Types>')
        with z.open("word/document.xml", "w") as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}">'
                     "<w:body>".encode())
            for lines in [_UNI_COVER] + [nexis_uni_lines(s) for s in stories]:
                fh.write("".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
                                 for line in lines).encode())
            fh.write(b"<w:sectPr/></w:body></w:document>")


def write_nexis(stories: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("<HTML><HEAD><TITLE>&nbsp;</TITLE></HEAD><BODY>\n")
        for i, s in enumerate(stories, 1):
            fh.write(nexis_document(i, len(stories), s))
        fh.write("</BODY></HTML>\n")
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")
_FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _french_date(iso: str) -> str:
    import datetime as dt
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        d = dt.date(2016, 1, 1)
    return f"{_FR_DAYS[d.weekday()]} {d.day} {_FR_MONTHS[d.month - 1]} {d.year}"


def europresse_article(i: int, s: dict) -> str:
    """One article of a Europresse export in the current layout."""
    number = f"news·{s['date'].replace('-', '')}·BE·{i:08d}"
    return (f'<article><header><div class="rdp__DocPublicationName"><span class="DocPublicationName">'
            f'{"AFP Infos Françaises" if i % 3 == 0 else "Le Quotidien du banc"}</span></div>'
            f'<div class="rdp__DocHeader"><span class="DocHeader">Monde, {_french_date(s["date"])} 500 mots</span></div>'
            f'<div class="titreArticle"><p class="sm-margin-TopNews titreArticleVisu rdp__articletitle">'
            f'{escape(s["headline"])}</p></div></header><section><div class="DocText clearfix">'
            f'<div class="docOcurrContainer">{_body_xml(s)}</div></div></section><footer><div class="Doc-LegalInfo">'
            f'<small>© 2016 Bench. Tous droits réservés.</small></div><div class="publiC-lblNodoc">{number}</div>'
            f"</footer></article>\n")


def europresse_classic_article(i: int, s: dict) -> str:
    """One article of a Europresse export in the classic layout."""
    number = f"news·{s['date'].replace('-', '')}·BE·{i:08d}"
    return (f'<br><br><br><table><tr><td><span class="DocPublicationName">Le Quotidien du banc</span><br>'
            f'<span class="DocHeader">Monde</span>, <span class="DocHeader">{_french_date(s["date"])}</span><br>'
            f'<br><span class="TitreArticleVisu">{escape(s["headline"])}</span><br><br>{_body_xml(s)}'
            f"<br><br>© 2016 Bench. Tous droits réservés.<br><br><table><tr><td align=\"center\">"
            f"Numéro de document : {number}</td></tr></table></td></tr></table>\n")


def _write_europresse(folder: Path, stories: list[dict], article, per_file: int = 1000) -> Path:
    folder.mkdir()
    for start in range(0, len(stories), per_file):
        with open(folder / f"export-{start // per_file:03d}.html", "w", encoding="utf-8") as fh:
            fh.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Europresse.com</title></head><body>\n')
            for i, s in enumerate(stories[start:start + per_file], start):
                fh.write(article(i, s))
            fh.write("<p>Certificat émis à Bench (banc d'essai)</p></body></html>\n")
    return folder


#: The exports of one file: name -> (writer, file name).
_EXPORTS = {"Factiva HTML": (write_factiva, "factiva.html"), "Nexis HTML": (write_nexis, "nexis.html"),
            "Nexis Uni HTML": (write_nexis_uni, "nexis-uni.html"),
            "Nexis Uni DOCX": (write_nexis_docx, "nexis-uni.docx")}


def write_corpora(stories: list[dict], out: Path) -> dict[str, Path]:
    corpora = {}
    plain = out / "text"
    plain.mkdir(parents=True)
    for i, s in enumerate(stories):
        (plain / f"{i:06d}.txt").write_text(f"{s['headline']}\n\n{s['text']}\n", encoding="utf-8")
    corpora["plain text"] = plain
    jsonl = out / "jsonl"
    jsonl.mkdir()
    with open(jsonl / "all.jsonl", "w", encoding="utf-8") as fh:
        for i, s in enumerate(stories):
            fh.write(json.dumps({"id": f"j{i}", "headline": s["headline"], "date": s["date"], "text": s["text"]},
                                ensure_ascii=False) + "\n")
    corpora["JSON Lines"] = jsonl
    g2 = out / "g2"
    g2.mkdir()
    with open(g2 / "message.xml", "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">'
                 "<itemSet>\n")
        for i, s in enumerate(stories):
            fh.write(g2_item(i, s))
        fh.write("</itemSet></newsMessage>\n")
    corpora["NewsML-G2"] = g2
    n12 = out / "newsml12"
    n12.mkdir()
    with open(n12 / "afp.xml", "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<NewsML Version="1.2">\n')
        for i, s in enumerate(stories):
            fh.write(newsml12_item(i, s))
        fh.write("</NewsML>\n")
    corpora["NewsML 1.2"] = n12
    nitf = out / "nitf"
    nitf.mkdir()
    for i, s in enumerate(stories):
        (nitf / f"{i:06d}.xml").write_text(nitf_doc(i, s), encoding="utf-8")
    corpora["NITF files"] = nitf
    for name, (writer, file) in _EXPORTS.items():
        folder = out / file.replace(".", "-")
        folder.mkdir()
        writer(stories, folder / file)
        corpora[name] = folder
    corpora["Europresse"] = _write_europresse(out / "europresse", stories, europresse_article)
    corpora["Europresse classic"] = _write_europresse(out / "europresse-classic", stories, europresse_classic_article)
    return corpora


#: Stories a part of a file's results holds (the indexer's way): a big export's stories are not all held.
PART_STORIES = 500
_CHILD = """
import sys, time, json
from indexer.formats import read_corpus
PART_STORIES = int(sys.argv[2])
t, cpu = time.perf_counter(), time.process_time(); n = problems = 0
for r in read_corpus([sys.argv[1]], part_stories=PART_STORIES):  # in parts, as the indexer reads
    n += len(r.stories); problems += len(r.problems)
print(json.dumps({"stories": n, "problems": problems, "seconds": time.perf_counter() - t,
                  "cpu_seconds": time.process_time() - cpu}))
"""


def measure(path: Path) -> dict:
    """Read the corpus at ``path`` in a fresh process: stories, problems,
    seconds, and the process's own peak RSS (``peak_mb``)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done, usage = run_launched([sys.executable, "-c", _CHILD, str(path), str(PART_STORIES)], capture_output=True,
                               text=True, env=env, check=True)
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "peak_mb": usage["max_rss_kb"] / 1024}


def cpu_table(corpora: dict[str, Path], rounds: int) -> None:
    """Read every corpus in this process ``rounds`` times, interleaved, and
    print the best CPU time of each and its ratio to plain text."""
    from indexer.formats import read_corpus

    best: dict[str, float] = {}
    count: dict[str, int] = {}
    for _ in range(rounds):
        for name, path in corpora.items():
            cpu = time.process_time()
            count[name] = sum(len(r.stories) for r in read_corpus([str(path)], part_stories=PART_STORIES))
            best[name] = min(best.get(name, float("inf")), time.process_time() - cpu)
    base = None
    print(f"in this process, best CPU time of {rounds} interleaved rounds")
    for name in corpora:
        rate = count[name] / best[name] if best[name] else 0.0
        base = base or rate
        print(f"{name:<18} {count[name]:>8} {best[name]:>7.2f} {rate:>10.0f} {rate / base:>7.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.formats", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=2365, help="stories per format (default: the 2,365 real ones)")
    parser.add_argument("--realdata", default=str(DEFAULT_REALDATA))
    parser.add_argument("--feed-items", type=int, default=10000, help="items of the big newsMessage (0: skip)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each format, the fastest kept (default 1)")
    parser.add_argument("--export-articles", type=int, nargs="+", default=[1000, 10000],
                        help="articles of the big Europresse, Factiva and Nexis exports, one run each size "
                             "(default 1000 10000; 0: skip)")
    parser.add_argument("--cpu-rounds", type=int, default=0,
                        help="also read every corpus in this process, interleaved, this many times: the best "
                             "CPU time of each (what a loaded machine changes least; default 0: skip)")
    parser.add_argument("--out", default=None, help="working folder (default: a temporary one)")
    args = parser.parse_args(argv)
    stories = load_stories(Path(args.realdata), args.stories)
    if not stories:
        print("no stories: give --realdata", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        out = Path(tmp)
        corpora = write_corpora(stories, out)
        print(f"{len(stories)} stories per format, best of {args.rounds}, load average {os.getloadavg()[0]:.1f}")
        print(f"{'format':<18} {'stories':>8} {'s':>7} {'stories/s':>10} {'x text':>7} {'/CPU s':>7} {'x text':>7} "
              f"{'peak MB':>8}")
        base = cpu_base = None
        runs = {name: [] for name in corpora}
        for _ in range(args.rounds):   # interleaved: a burst of load costs every format alike
            for name, path in corpora.items():
                runs[name].append(measure(path))
        for name in corpora:
            r = min(runs[name], key=lambda run: run["seconds"])
            rate = r["stories"] / r["seconds"] if r["seconds"] else 0.0
            # Stories per second of the process's own CPU time: what a loaded machine changes least.
            cpu = min(run["cpu_seconds"] for run in runs[name])
            cpu_rate = r["stories"] / cpu if cpu else 0.0
            base, cpu_base = base or rate, cpu_base or cpu_rate
            print(f"{name:<18} {r['stories']:>8} {r['seconds']:>7.2f} {rate:>10.0f} {rate / base:>7.2f} "
                  f"{cpu_rate:>7.0f} {cpu_rate / cpu_base:>7.2f} {r['peak_mb']:>8.0f}")
        if args.cpu_rounds:
            cpu_table(corpora, args.cpu_rounds)
        if args.feed_items:
            big = out / "big"
            big.mkdir()
            with open(big / "message.xml", "w", encoding="utf-8") as fh:
                fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">'
                         "<itemSet>\n")
                for i in range(args.feed_items):
                    fh.write(g2_item(i, stories[i % len(stories)]))
                fh.write("</itemSet></newsMessage>\n")
            size = (big / "message.xml").stat().st_size / 1e6
            r = measure(big)
            print(f"one newsMessage of {args.feed_items} items ({size:.0f} MB): {r['stories']} stories in "
                  f"{r['seconds']:.1f} s, peak RSS {r['peak_mb']:.0f} MB")
        for count in [n for n in args.export_articles if n > 0]:
            items = [stories[i % len(stories)] for i in range(count)]
            for name, (writer, file) in {**_EXPORTS, "Europresse HTML": (None, "")}.items():
                folder = out / f"big-{count}-{name.replace(' ', '-').lower()}"
                if writer is None:
                    _write_europresse(folder, items, europresse_article, per_file=count)
                else:
                    folder.mkdir()
                    writer(items, folder / file)
                size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
                r = measure(folder)
                print(f"one {name} export of {count} articles ({size:.0f} MB): {r['stories']} stories in "
                      f"{r['seconds']:.1f} s ({r['stories'] / r['seconds']:.0f}/s), peak RSS {r['peak_mb']:.0f} MB")
                shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
