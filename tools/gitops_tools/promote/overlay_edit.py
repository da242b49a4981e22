"""Set one `images:` entry's newTag and digest, as `kustomize edit set image` would, leaving
every other byte of the kustomization as it was (comments, quoting, order, indentation).

The edit is spliced into the text at the positions a round-trip YAML parse reports; entries
in a shape the splice does not handle (flow style, values on their own line) go through a
round-trip dump instead. Either way the result is parsed again and must equal the original
data with exactly that entry changed, or nothing is written."""

from __future__ import annotations

import copy
import io
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from gitops_tools.errors import FatalError
from gitops_tools.promote.overlay import load_yaml


class _UnspliceableError(Exception):
    """The entry's layout is not one the text splice handles."""


def set_image(text: str, name: str, tag: str | None, digest: str, shown: str) -> str:
    """`text` with entry `name` set to newTag `tag` (removed when None) and `digest`."""
    item = _item(load_yaml(text, shown), name, shown)
    try:
        edited = _splice(text, item, tag, digest)
    except _UnspliceableError:
        edited = _round_trip(text, name, tag, digest, shown)
    _verify(text, edited, name, tag, digest, shown)
    return edited


def _item(doc: Any, name: str, shown: str) -> Any:
    images = doc.get("images") if isinstance(doc, dict) else None
    for item in images if isinstance(images, list) else []:
        if isinstance(item, dict) and item.get("name") == name:
            return item
    raise FatalError(f"{shown}: no images: entry named {name!r}")


def _splice(text: str, item: Any, tag: str | None, digest: str) -> str:
    if item.fa.flow_style():
        raise _UnspliceableError
    lines = text.splitlines(keepends=True)
    changed: dict[int, str | None] = {}  # line -> new text, None to drop it
    inserted: dict[int, list[str]] = {}  # line -> new lines to put after it, in order
    for key, value, anchors in (
        ("newTag", tag, ("newName", "name")),
        ("digest", digest, ("newTag", "newName", "name")),
    ):
        if key in item:
            line, replacement = _replace(lines, item, key, value)
            changed[line] = replacement
        elif value is not None:
            anchor = next(a for a in anchors if a in item)
            line = item.lc.value(anchor)[0]
            indent = " " * item.lc.key(anchor)[1]
            ending = lines[line][len(lines[line].rstrip("\r\n")) :] or "\n"
            inserted.setdefault(line, []).append(f"{indent}{key}: {_scalar(value, '')}{ending}")
    for line in sorted(changed.keys() | inserted.keys(), reverse=True):
        after = inserted.get(line, [])
        if line in changed and changed[line] is None:
            lines[line : line + 1] = after
        else:
            lines[line : line + 1] = [changed.get(line) or lines[line], *after]
    return "".join(lines)


def _replace(lines: list[str], item: Any, key: str, value: str | None) -> tuple[int, str | None]:
    key_line, key_col = item.lc.key(key)
    line, col = item.lc.value(key)
    if line != key_line or line >= len(lines):
        raise _UnspliceableError
    text = lines[line]
    if value is None:  # drop the whole `key: value` line, unless it also opens the entry
        if text[:key_col].strip():
            raise _UnspliceableError
        return line, None
    end, quote = _scalar_end(text, col)
    return line, text[:col] + _scalar(value, quote) + text[end:]


def _scalar_end(text: str, start: int) -> tuple[int, str]:
    """Where the one-line scalar starting at `start` ends, and its quote character."""
    quote = text[start : start + 1]
    if quote in ("'", '"'):
        pos = start + 1
        while pos < len(text):
            if quote == '"' and text[pos] == "\\":
                pos += 2
                continue
            if text[pos] == quote:
                if quote == "'" and text[pos + 1 : pos + 2] == "'":
                    pos += 2
                    continue
                return pos + 1, quote
            pos += 1
        raise _UnspliceableError
    body = text[start:].rstrip("\r\n")
    comment = body.find(" #")
    if comment >= 0:
        body = body[:comment]
    if not body.strip():
        raise _UnspliceableError  # the value is a block on the following lines
    return start + len(body.rstrip()), ""


def _scalar(value: str, quote: str) -> str:
    """`value` as a YAML string scalar in the given quote style, quoted when plain would not
    read back as the same string in YAML 1.1 (PyYAML, kubectl) or 1.2 (ruamel, kustomize)."""
    if not quote and not _reads_as_string(value):
        quote = '"'
    return f"{quote}{value}{quote}"


def _reads_as_string(value: str) -> bool:
    try:
        old = yaml.safe_load(f"v: {value}\n")
        new = YAML(typ="safe", pure=True).load(f"v: {value}\n")
    except Exception:
        return False
    return bool(old == {"v": value} and new == {"v": value})


def _round_trip(text: str, name: str, tag: str | None, digest: str, shown: str) -> str:
    _, indent, block_seq_indent = load_yaml_guess_indent(text)
    parser = YAML(typ="rt")
    parser.preserve_quotes = True
    parser.width = 4096
    parser.indent(
        mapping=indent or 2,
        sequence=(indent or 2) + (block_seq_indent or 0),
        offset=block_seq_indent or 0,
    )
    doc = parser.load(text)
    item = _item(doc, name, shown)
    if tag is None:
        item.pop("newTag", None)
    else:
        quoted = type(item.get("newTag"))
        if issubclass(quoted, ScalarString):  # keep the tag's quote style
            item["newTag"] = quoted(tag)
        else:
            item["newTag"] = tag if _reads_as_string(tag) else DoubleQuotedScalarString(tag)
    item["digest"] = digest
    out = io.StringIO()
    parser.dump(doc, out)
    return out.getvalue()


def _verify(before: str, after: str, name: str, tag: str | None, digest: str, shown: str) -> None:
    old = _plain(before)
    expected = copy.deepcopy(old)
    for item in expected["images"]:
        if item.get("name") == name:
            if tag is None:
                item.pop("newTag", None)
            else:
                item["newTag"] = tag
            item["digest"] = digest
    if _plain(after) != expected:
        raise FatalError(
            f"{shown}: editing images entry {name!r} would change more than its newTag and "
            "digest; nothing was written",
            "edit the entry by hand, or report the file's layout as a bug",
        )


def _plain(text: str) -> Any:
    return yaml.safe_load(text)
