"""Bytes of a story file: opening, gzip, sniffing, decoding, streaming.

A :class:`Source` opens one file without ever blocking (a FIFO or a device
named ``.txt`` is refused, not opened for reading), decompresses it if it is
gzip, and reads only its head (:data:`HEAD_BYTES`) until a format asks for
more: binary and empty files are skipped from their head alone, whatever
their size. A format then takes the text whole (:meth:`Source.text`, for
formats of one story a file, bounded by :data:`MAX_WHOLE_BYTES`) or in
segments (:meth:`Source.segments`, for formats of many stories: memory stays
bounded by the largest segment).

Text is UTF-8 (a BOM is dropped), UTF-16 with a BOM, else cp1252 with an
``encoding`` warning; a streamed file falls back to cp1252 segment by
segment.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import zlib
from typing import Iterator

from indexer.formats.problems import FileProblem, Skip

#: Bytes read to sniff a file (binary, empty, encoding, format).
HEAD_BYTES = 64 * 1024
#: Bytes read from disk at a time.
CHUNK_BYTES = 1024 * 1024
#: Longest text taken as one story: a wire story is a few thousand characters.
MAX_STORY_CHARS = 2_000_000
#: Largest file (decompressed) read whole: a story longer than MAX_STORY_CHARS
#: is refused anyway, and UTF-8 spends at most four bytes a character.
MAX_WHOLE_BYTES = 4 * MAX_STORY_CHARS
#: The farthest before the end of what was read that a separator not yet
#: whole may start, looked for again once more is read (Factiva's
#: ``<div id="article-…" class="article frArticle">`` is 70 bytes).
SEPARATOR_REACH = 4096
#: Longest segment (a JSON line, an SGML document) of a streamed file.
MAX_SEGMENT_BYTES = 4 * MAX_STORY_CHARS
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x7fELF", b"BZh", b"\xfd7zXZ")
_ENCODING_WARNING = "encoding: not valid UTF-8, read as cp1252"
#: Names of the ZIP containers a format reads (Nexis Uni's DOCX): not refused as binary.
ZIP_FORMATS = (".docx",)


def open_regular(path: str) -> int:
    """A read-only descriptor of ``path``, which must be a regular file.

    Opened with ``O_NONBLOCK`` so that a FIFO cannot hang the run, then
    checked with ``fstat`` (no race between the check and the open).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise Skip("is a directory") from None
    except OSError as exc:
        raise Skip(f"unreadable: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise Skip(f"unreadable: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise Skip(f"not a regular file ({_file_type(mode)}), not read", "special")
    return fd


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a file"


class Source:
    """One story file, opened: its head decoded for sniffing, the rest on demand.

    Raises :class:`~indexer.formats.problems.Skip` when the file cannot be
    read at all (special, unreadable, binary, empty, not gzip). ``warnings``
    holds the problems of the whole file found so far (truncated gzip,
    cp1252 fallback).
    """

    def __init__(self, path: str):
        self.path = path
        self.warnings: list[FileProblem] = []
        self._fd = open_regular(path)
        try:
            self.size = os.fstat(self._fd).st_size
            self._file = os.fdopen(self._fd, "rb", buffering=0)
        except BaseException:
            os.close(self._fd)
            raise
        try:
            first = self._file.read(2)
            self.gzip = path.lower().endswith(".gz") or first == b"\x1f\x8b"
            if self.gzip and first != b"\x1f\x8b":
                raise Skip("not a gzip file", "gzip")
            self._raw = self._gunzip(first) if self.gzip else self._plain(first)
            self._pending = bytearray()
            self._eof = False
            self._fill(HEAD_BYTES)
            if self.gzip and self._eof and not self._pending:
                raise Skip("truncated or corrupt .gz, nothing could be read", "gzip")
            self._sniff()
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------ raw bytes

    def close(self) -> None:
        self._file.close()

    @property
    def consumed(self) -> int:
        """Bytes of the file on disk read so far (compressed, for a .gz)."""
        try:
            return self._file.tell()
        except (OSError, ValueError):   # closed
            return self.size

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _plain(self, first: bytes) -> Iterator[bytes]:
        if first:
            yield first
        while chunk := self._file.read(CHUNK_BYTES):
            yield chunk

    def _gunzip(self, first: bytes) -> Iterator[bytes]:
        """Decompressed bytes of every gzip member; a damage ends the stream
        with a warning."""
        rest = first + self._file.read(CHUNK_BYTES)
        produced = 0
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while True:
            if not rest:
                more = self._file.read(CHUNK_BYTES)
                if not more:
                    if produced and not d.eof:
                        self._truncated(produced)
                    return
                rest = more
            try:
                out = d.decompress(rest, CHUNK_BYTES)
            except zlib.error:
                if produced:
                    self._truncated(produced)
                return
            rest = d.unconsumed_tail
            if out:
                produced += len(out)
                yield out
            if d.eof:
                rest = d.unused_data + (rest if not d.unused_data else b"")
                if not rest:
                    rest = self._file.read(CHUNK_BYTES)
                    if not rest:
                        return
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # concatenated members

    def _truncated(self, produced: int) -> None:
        self.warnings.append(FileProblem(
            self.path, f"gzip: truncated or corrupt .gz; read the first {produced} bytes", False, "gzip"))

    def _fill(self, n: int) -> None:
        """Read until ``n`` bytes are pending or the stream ends."""
        while len(self._pending) < n and not self._eof:
            chunk = next(self._raw, None)
            if chunk is None:
                self._eof = True
            else:
                self._pending += chunk

    def _sniff(self) -> None:
        head = bytes(self._pending)
        if self._eof and not head.strip():
            raise Skip("empty file", "empty")
        self.utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if not self.utf16:
            if head.startswith(codecs.BOM_UTF8):
                del self._pending[:len(codecs.BOM_UTF8)]
                head = head[len(codecs.BOM_UTF8):]
            if _looks_binary(head) and not (head.startswith(b"PK\x03\x04") and
                                            self.path.lower().endswith(ZIP_FORMATS)):
                raise Skip("binary file, not text", "binary")
        #: The head decoded, and as bytes (decompressed), for the formats that
        #: recognise themselves by content.
        self.head = head.decode("utf-16" if self.utf16 else "utf-8", errors="replace")
        self.head_bytes = head

    def chunks(self) -> Iterator[bytes]:
        """The bytes of the file from its start (after a UTF-8 BOM), chunk by chunk."""
        if self._pending:
            data, self._pending = bytes(self._pending), bytearray()
            yield data
        if not self._eof:
            yield from self._raw
            self._eof = True

    def stream(self) -> io.BufferedReader:
        """The file's bytes (decompressed) as a binary file object, for a
        reader that parses a stream itself (an XML feed)."""
        return io.BufferedReader(_ChunkStream(self.chunks()), CHUNK_BYTES)

    # ---------------------------------------------------------------- text

    def text(self, limit: int = MAX_WHOLE_BYTES) -> str:
        """The whole file's text; a file larger than ``limit`` bytes is skipped
        without being read further."""
        if not self.gzip and self.size > limit:
            raise Skip(_too_large(self.size, limit), "size")
        self._fill(limit + 1)
        if len(self._pending) > limit:
            raise Skip(_too_large(None, limit), "size")
        data = bytes(self._pending)
        self._pending = bytearray()
        if self.utf16:
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                raise Skip("UTF-16 byte order mark but not valid UTF-16", "encoding") from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.warnings.append(FileProblem(self.path, _ENCODING_WARNING, False, "encoding"))
            return data.decode("cp1252", errors="replace")

    def segments(self, separator: re.Pattern, keep: bool = False,
                 limit: int = MAX_SEGMENT_BYTES) -> Iterator[tuple[str | None, str | None]]:
        """The file's text cut at each match of ``separator`` (a bytes regex),
        one segment at a time: ``(text, warning)``.

        With ``keep`` the separator starts the next segment, else it is
        dropped. A segment longer than ``limit`` bytes is skipped unread:
        its text is None. A segment that is not valid UTF-8 is read as
        cp1252, with the encoding warning.
        """
        buf = bytearray()
        skipping = eof = False
        look = 0  # where the next separator may start
        # A kept separator at the very start begins this segment: not a cut,
        # and nothing inside it is one (``12 of 40 DOCUMENTS`` holds
        # ``2 of 40 DOCUMENTS``).
        kept = 1 if keep else 0
        stream = self._utf8_chunks()
        while True:
            m = separator.search(buf, max(look, kept))
            if m is not None and (eof or m.end() < len(buf)):
                if skipping:
                    skipping = False
                    yield None, None
                else:
                    yield _decode_segment(bytes(buf[:m.start()]))
                del buf[:m.start() if keep else m.end()]
                look = 0
                if keep:
                    kept = max(1, m.end() - m.start())
                continue
            if eof:
                if skipping:
                    yield None, None
                elif buf:
                    yield _decode_segment(bytes(buf))
                return
            if len(buf) > limit:
                skipping = True
                cut = max(0, len(buf) - SEPARATOR_REACH)  # keep what may hold the start of a separator
                del buf[:cut]
                kept = max(0, kept - cut)  # what is left of the separator that began the segment
            look = max(0, len(buf) - SEPARATOR_REACH)
            chunk = next(stream, None)
            if chunk is None:
                eof = True
            else:
                buf += chunk

    def _utf8_chunks(self) -> Iterator[bytes]:
        if not self.utf16:
            yield from self.chunks()
            return
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
        for chunk in self.chunks():
            yield decoder.decode(chunk).encode("utf-8", "surrogatepass")
        yield decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")


class _ChunkStream(io.RawIOBase):
    """A readable raw stream over an iterator of byte chunks."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._rest = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._rest:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._rest = chunk
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


def _decode_segment(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), _ENCODING_WARNING


def _too_large(size: int | None, limit: int) -> str:
    what = f"a file of {size / 1e6:.1f} MB" if size is not None else f"more than {limit / 1e6:.0f} MB of text"
    return (f"{what} is not a wire story (a story is at most {MAX_STORY_CHARS // 1_000_000} million "
            f"characters), not read")


#: Control bytes that text does not hold (tab, LF, FF and CR aside).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC):
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(head) // 20)


def decode(data: bytes) -> tuple[str, list[str]]:
    """Text from bytes: UTF-8 (BOM dropped), UTF-16 with a BOM, else cp1252.

    >>> decode("Défense".encode("cp1252"))
    ('Défense', ['encoding: not valid UTF-8, read as cp1252'])
    """
    if not data.strip():
        raise Skip("empty file", "empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise Skip("UTF-16 byte order mark but not valid UTF-16", "encoding") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if _looks_binary(data):
        raise Skip("binary file, not text", "binary")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), [_ENCODING_WARNING]
