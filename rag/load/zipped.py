"""Zip-based formats (DOCX, ODT, EPUB): open the archive and parse its XML parts safely.

Every failure becomes :class:`Unreadable` with a reason a user can act on: a password-protected
Office file is not a zip at all (it is an OLE container), a truncated download has no central
directory, and a part that expands far beyond the file's size is refused before it is read.
"""
from __future__ import annotations

import io
import zipfile
import zlib

from .files import Unreadable, require

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_PART_BYTES = 256 * 1024 * 1024  # one XML part; a real document's are a few MB at most
MAX_RATIO = 200  # deflate reaches ~10x on XML; a zip bomb reaches thousands


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The archive, or :class:`Unreadable` for encrypted, legacy, corrupt or truncated files."""
    if data.startswith(OLE_MAGIC):
        raise Unreadable(f"encrypted (password-protected) or legacy binary file, not a {kind} archive")
    try:
        return zipfile.ZipFile(io.BytesIO(data))  # a damaged member fails its CRC check when read
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise Unreadable(f"corrupt or truncated {kind} ({_reason(exc)})") from None


def _reason(exc: Exception) -> str:
    return str(exc).rstrip(".") or type(exc).__name__


def read_part(archive: zipfile.ZipFile, name: str, kind: str) -> bytes:
    """The bytes of one member; a missing, encrypted or suspiciously large member is :class:`Unreadable`."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise Unreadable(f"corrupt {kind} (missing {name})") from None
    if info.flag_bits & 0x1:
        raise Unreadable(f"encrypted {kind} ({name} is encrypted)")
    if info.file_size > MAX_PART_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 4096):
        raise Unreadable(f"{kind} part {name} expands to {info.file_size / 1e6:.0f} MB; refused as a likely zip bomb")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise Unreadable(f"corrupt {kind} ({name}: {_reason(exc)})") from None


def parse_xml(data: bytes, what: str):
    """An lxml tree of an XML part, with entities, DTDs and the network disabled."""
    etree = require("lxml.etree", "lxml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise Unreadable(f"corrupt {what} ({_reason(exc)})") from None


def local(element) -> str:
    """An element's tag without its namespace ('' for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
