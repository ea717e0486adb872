"""Open a story in the user's pager or editor, as plain text in a temporary file."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile

from indexer.story import Story
from search.output import printable
from search.render import HEADER_FIELDS


def story_plain_text(story: Story) -> str:
    """The story as plain text: headline, metadata lines, body.

    >>> from indexer.story import Story
    >>> print(story_plain_text(Story(id="a1", headline="Titre", agency="AFP", body="Texte.")))
    Titre
    <BLANKLINE>
    agency      AFP
    id          a1
    <BLANKLINE>
    Texte.
    <BLANKLINE>
    """
    lines = [story.headline or "(no headline)", ""]
    for name in HEADER_FIELDS:
        value = getattr(story, name)
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        if value:
            lines.append(f"{name:<12}{value}")
    lines += ["", story.body, ""]
    return printable("\n".join(lines), multiline=True)


def viewer_command(kind: str) -> list[str]:
    """The command line of the pager (``$PAGER``, else ``less``) or the
    editor (``$VISUAL``, ``$EDITOR``, else ``vi``), split as a shell would."""
    if kind == "pager":
        chosen = os.environ.get("PAGER") or "less"
    else:
        chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(chosen)


def open_in(command: list[str], text: str, name: str = "story") -> int:
    """Write ``text`` to a temporary file, run ``command`` on it, wait; its
    exit status (127: the command does not exist). The file is removed after."""
    safe = "".join(c for c in name if c.isalnum() or c in "-_") or "story"
    with tempfile.TemporaryDirectory(prefix="depeche-") as folder:
        path = os.path.join(folder, f"{safe}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            return subprocess.call([*command, path])
        except FileNotFoundError:
            return 127
