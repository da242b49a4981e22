"""YAML loading as the API server reads it, with the line and column of every key and item.

Values follow sigs.k8s.io/yaml on go-yaml v2 (strict): see the decoding table in
`yaml_semantics`. Refused, each with a clear message: duplicate keys, binary or non-UTF-8
text, files over 16 MiB, alias bombs (limits per document, per file and per run), values JSON
cannot hold (`.inf`), keys the API server cannot convert (null, containers).

Machinery, chosen by benchmark (`make bench`; 3.9 MB of upstream manifests, 103 documents,
big CRDs included, on the 2-core machine):

| way to load the same bytes                                    | time    |
|---------------------------------------------------------------|---------|
| PyYAML CSafeLoader (libyaml parse, Python construction)       | ~880 ms |
| libyaml's C event stream alone (PyYAML CParser events)        | ~480 ms |
| rapidyaml parse + JSON emit + `json.loads` (this fast path)   | ~80 ms  |

The fast path is rapidyaml (a C++ tree whose scalars point into our buffer) emitting JSON that
the C `json` module turns into objects. It reads YAML 1.2 and is more lenient than libyaml, so
every document it yields is checked: the JSON must hold no string that go-yaml would have read
as something else (`yes`, `~`, `0x1F`, `.inf`, `1_000`, ...) or that libyaml refuses (`@x`),
and the text no anchor, alias, tag, directive or line break libyaml reads differently. A
document that fails a check (rare in practice; false alarms only cost time) goes to
`yaml_reference`: libyaml's event stream decoded by go-yaml's rules, never something wrong.
Lines and columns come from the same parse: a fast document's keys and items are found in the
rapidyaml tree (their text's offset in our buffer), a reference document keeps libyaml's marks.
Nothing is parsed again per finding.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import stat
import threading
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_tools.yaml_semantics import INT64_MAX, INT64_MIN, float_as_api

if TYPE_CHECKING:
    from gitops_tools.yaml_reference import Document


@functools.cache
def _rapidyaml() -> Any:
    """rapidyaml, imported on first load (it costs ~25 ms); None when not installed."""
    try:
        import ryml  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - the reference decoder is complete on its own
        return None
    return ryml


MAX_BYTES = 16 * 1024 * 1024
MAX_EXPANDED_NODES = 200_000  # nodes aliases may add to one document
MAX_ALIAS_NODES_PER_FILE = 1_000_000
MAX_ALIAS_NODES_PER_RUN = 4_000_000
_run_alias_budget = [MAX_ALIAS_NODES_PER_RUN]


def reset_run_budget() -> None:
    """Start a new run's alias budget (tests, or a process that serves several runs)."""
    _run_alias_budget[0] = MAX_ALIAS_NODES_PER_RUN


class YamlError(Exception):
    """A document that cannot be loaded; line and column are 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def decode_text(data: bytes) -> str:
    """Bytes of a manifest file as text, or a YamlError saying why they are not text."""
    if len(data) > MAX_BYTES:
        raise YamlError(
            f"file is {len(data) / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MiB limit "
            "for one manifest file; split it"
        )
    if b"\0" in data[:8192]:
        raise YamlError("binary file, not YAML or JSON text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            line,
        ) from None


def read_text(path: Path) -> str:
    """A manifest file's text. Only regular files are opened (never a FIFO, socket or
    device); size and encoding are checked as in `decode_text`. OSError when unreadable."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise YamlError(f"not a regular file ({_file_type(info.st_mode)}); give a file")
    if info.st_size > MAX_BYTES:
        raise YamlError(
            f"file is {info.st_size / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MiB "
            "limit for one manifest file; split it"
        )
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the stat
            raise YamlError("not a regular file; give a file")
        return decode_text(fh.read(MAX_BYTES + 1))


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return name
    return "not a file"


class Stream:
    """The documents of one text, and where each of their keys and items is written."""

    def __init__(self, text: str, documents: list[Any]) -> None:
        self.text = text
        self.documents = documents
        self._reference: dict[int, tuple[int, Document]] = {}  # index -> (line offset, doc)
        self._fast: _FastTree | None = None

    def locate(self, index: int, path: Sequence[str | int]) -> tuple[int, int]:
        """1-based (line, column) of the deepest node of `path` in document `index`: a key
        is pointed at by its first character, a list item by its first. (0, 0) if unknown."""
        if not 0 <= index < len(self.documents):
            return (0, 0)
        if index not in self._reference and self._fast is not None:
            found = self._fast.locate(index, path)
            if found is not None:
                return found
        offset, doc = self._reference_document(index)
        line, column = doc.locate(path)
        return (line + offset + 1, column + 1) if line >= 0 else (0, 0)

    def _reference_document(self, index: int) -> tuple[int, Document]:
        if index not in self._reference:
            found = _reference_documents(
                self.text, [index], _Budget.unlimited(), len(self.documents)
            )
            self._reference.update(found)
        return self._reference[index]


def load_stream(text: str) -> Stream:
    """Every document of a YAML (or JSON) stream (`None` for empty ones), located."""
    if len(text) > MAX_BYTES:
        raise YamlError(f"input is over the {MAX_BYTES // (1024 * 1024)} MiB limit; split it")
    fast = _FastTree.parse(text) if _rapidyaml() is not None else None
    if fast is None:
        references = _reference_documents(text, None, _Budget.for_file())
        stream = Stream(text, [references[i][1].value for i in range(len(references))])
        stream._reference = references
        return stream
    documents, declined = fast.documents()
    stream = Stream(text, documents)
    stream._fast = fast
    if declined:
        references = _reference_documents(text, declined, _Budget.for_file(), len(documents))
        for index in declined:
            documents[index] = references[index][1].value
        stream._reference = references
    return stream


def load_documents(text: str) -> list[Any]:
    """Every document of a YAML (or JSON) stream, `None` for empty ones."""
    return load_stream(text).documents


def locate(text: str, doc_index: int, path: Sequence[str | int]) -> tuple[int, int]:
    """1-based (line, column) of `path` in document `doc_index` of `text`; see Stream.locate."""
    try:
        return load_stream(text).locate(doc_index, path)
    except YamlError:
        return (0, 0)


class _Budget:
    """Alias expansion allowed to one file, drawing on the run's budget."""

    @staticmethod
    def for_file() -> Any:
        from gitops_tools.yaml_reference import Budget

        return Budget(MAX_EXPANDED_NODES, MAX_ALIAS_NODES_PER_FILE, _run_alias_budget)

    @staticmethod
    def unlimited() -> Any:
        from gitops_tools.yaml_reference import Budget

        return Budget(MAX_EXPANDED_NODES, MAX_ALIAS_NODES_PER_FILE, [MAX_ALIAS_NODES_PER_RUN])


def _reference_documents(
    text: str, indexes: list[int] | None, budget: Any, expected: int | None = None
) -> dict[int, tuple[int, Document]]:
    """Reference decoding of the documents `indexes` (all when None): each alone when the
    text splits cleanly at `---` lines, else the whole text."""
    from gitops_tools.yaml_reference import LoadError, decode

    try:
        if indexes is not None:
            slices = document_slices(text)
            if len(slices) == expected:
                found = {}
                for index in indexes:
                    offset, part = slices[index]
                    try:
                        docs = decode(part, budget)
                    except LoadError as exc:
                        if exc.line >= 0:
                            exc.line += offset
                        raise
                    if len(docs) != 1:
                        break
                    found[index] = (offset, docs[0])
                else:
                    return found
        return dict(enumerate((0, doc) for doc in decode(text, budget)))
    except LoadError as exc:
        raise YamlError(exc.message, exc.line + 1, exc.column + 1) from None
    except RecursionError:
        raise YamlError("YAML nested too deeply") from None


# A text where libyaml and rapidyaml may disagree on lines or documents: directives, `...`,
# content after `---`, line breaks other than LF and CRLF, characters YAML 1.1 does not allow.
_UNUSUAL_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]"
)
_LONE_CR = re.compile("\r(?!\n)")
_UNUSUAL_LINE = re.compile(r"^(?:%|[.]{3}(?:[ \t]|$)|---[ \t]+[^#\s])", re.M)


_USUAL_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r"
_MARKED_LINE = re.compile(r"\n(?:%|[.]{3}|---[ \t])")


def _whole_text_risk(text: str, data: bytes) -> bool:
    """`data` is `text` in UTF-8. Deleting the printable ASCII bytes leaves control bytes
    and whole UTF-8 sequences: mostly nothing, so the character search runs on little."""
    rest = data.translate(None, _USUAL_BYTES)
    if rest and _UNUSUAL_CHARACTER.search(rest.decode("utf-8")):
        return True
    if "\r" in text and _LONE_CR.search(text):
        return True
    if text.startswith(("%", "...", "---")) or _MARKED_LINE.search(text):
        return _UNUSUAL_LINE.search(text) is not None
    return False


# An anchor, alias or tag (or a lone `*` or `&`, which libyaml refuses) where a node may
# start: after `: `, `- `, `? `, a flow indicator, or at the start of a line (there not `* `
# or `& `: in block text those are list bullets, not YAML). The characters are rare enough
# to find first (str.find) and judge by what precedes them.
def _starts_node(text: str, position: int, line_start: bool) -> bool:
    """Whether the character at `position` begins a node (after an indicator, or a line)."""
    before = position - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    if before < 0 or text[before] == "\n":
        return line_start
    return text[before] in "[{," or (text[before] in ":?-" and before < position - 1)


# JSON strings rapidyaml wrote for scalars go-yaml reads otherwise, or libyaml refuses. The
# lookahead turns away most quotes at once (2.5x faster than trying every branch at each).
_RISKY_STRING = re.compile(
    r'"(?=[yYnNoOtTfF~<0-9+\-._@`"])'
    r"(?:(?:[yYnN~]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|True|TRUE|False|FALSE|Null|NULL|<<"
    r"|[-+]?_*(?:0[xXoObB][0-9a-fA-F_]*|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?"
    r"|\.[0-9_]+(?:[eE][-+]?[0-9_]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))"
    r')"(\s*:)?|(?:null|)"\s*:|([@`][^"]{0,20}))'
)
_SAFE_VALUE = re.compile(r'"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]+)?"')
_SAFE_KEY = re.compile(r'"(?:0|-?[1-9][0-9]{0,17})"')


def _risky_strings(data: str, source: str) -> set[str] | None:
    """The JSON strings (decoded) that may stand for a scalar go-yaml reads otherwise; None
    when the document surely needs the reference decoder."""
    found: set[str] = set()
    for match in _RISKY_STRING.finditer(data):
        if match.group(2) is not None:  # starts with `@` or a backquote: plain there?
            if _written_plain(match.group(2).split("\\")[0], source):
                return None  # libyaml refuses a plain scalar starting so; rapidyaml did not
            continue
        text = match.group(0)
        if match.group(1) is None and text[1:2] in "-0123456789":
            if _SAFE_VALUE.fullmatch(text):
                continue  # a quoted number: rapidyaml writes a plain one unquoted
        elif (
            match.group(1) is not None
            and text[1:2] in "-0123456789"
            and _SAFE_KEY.fullmatch(text[: text.rindex('"') + 1])
        ):
            continue  # an integer key: the API server spells it the same way
        found.add(json.loads(text[: text.rindex('"') + 1]))
    return found


def _written_plain(start: str, source: str) -> bool:
    """Whether `start` occurs in `source` where a plain scalar would begin with it."""
    position = source.find(start)
    while position >= 0:
        column_zero = position == 0 or source[position - 1] == "\n"
        if column_zero or _starts_node(source, position, line_start=False):
            return True
        position = source.find(start, position + 1)
    return False


def _json_int(text: str) -> int | float:
    number = int(text)
    return number if INT64_MIN <= number <= INT64_MAX else float(number)  # as the API reads it


def _json_float(text: str) -> Any:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        return text  # go-yaml reads a float it cannot hold as a string
    return float_as_api(number)  # the JSON round trip writes 1.0 as 1


def _no_constant(text: str) -> Any:
    raise ValueError(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


_STDERR_LOCK = threading.Lock()


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """rapidyaml prints its errors to fd 2 itself; the reference decoder reports them. One
    thread at a time: two overlapping silences would leave fd 2 on /dev/null."""
    with _STDERR_LOCK:
        yield from _silence_fd2()


def _silence_fd2() -> Iterator[None]:
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class _FastTree:
    """rapidyaml's tree of one text, parsed in a buffer we own so that every scalar's offset
    in the text is known."""

    def __init__(self, text: str, data: bytes, buf: bytearray, tree: Any) -> None:
        self.text = text
        self.data = data
        self.buf = buf
        self.tree = tree
        root = tree.root_id()
        if tree.is_stream(root):
            self.doc_ids = []  # by sibling links: tree.child(root, i) walks i of them
            child, none = tree.first_child(root), _rapidyaml().NONE
            while child != none:
                self.doc_ids.append(child)
                child = tree.next_sibling(child)
        elif tree.has_val(root) or tree.is_map(root) or tree.is_seq(root):
            self.doc_ids = [root]
        else:
            self.doc_ids = []  # empty, or only comments
        self._base: int | None = None
        self._newlines: list[int] | None = None
        self._json: list[str | None] = []

    @classmethod
    def parse(cls, text: str) -> _FastTree | None:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: the reference decoder refuses it
            return None
        if _whole_text_risk(text, data):
            return None
        ryml = _rapidyaml()
        buf = bytearray(data)
        try:
            with _stderr_silenced():
                tree = ryml.parse_in_place(buf)
                fast = cls(text, data, buf, tree)
                fast._json = [fast._emit(node) for node in fast.doc_ids]
        except Exception:  # rapidyaml's own exception types: the reference decoder decides
            return None
        return fast

    def _emit(self, node: int) -> str | None:
        try:
            return _rapidyaml().emit_json_malloc(self.tree, node)  # type: ignore[no-any-return]
        except Exception:  # e.g. nested deeper than rapidyaml emits
            return None

    def documents(self) -> tuple[list[Any], list[int]]:
        """The documents, and the indexes of those the reference decoder must read."""
        risky = self._documents_with_properties()
        documents: list[Any] = []
        declined = []
        for index, data in enumerate(self._json):
            value = None
            strings = None if data is None or index in risky else _risky_strings(data, self.text)
            if data is None or strings is None or not self._all_quoted(index, strings):
                declined.append(index)
            else:
                try:
                    value = json.loads(
                        data,
                        object_pairs_hook=_unique_keys,
                        parse_float=_json_float,
                        parse_int=_json_int,
                        parse_constant=_no_constant,
                    )
                except ValueError:  # duplicate keys, JSON rapidyaml should not have written
                    declined.append(index)
            documents.append(value)
        self._json = []
        return documents, declined

    def _all_quoted(self, index: int, strings: set[str]) -> bool:
        """Whether every scalar of document `index` written as one of `strings` is quoted (or
        a block scalar), so that the JSON string is its value; each string must be found."""
        if not strings:
            return True
        tree = self.tree
        node = self.doc_ids[index]
        wanted = {text.encode("utf-8") for text in strings}
        seen: set[bytes] = set()
        stack = [node]
        while stack:
            node = stack.pop()
            if tree.has_key(node):
                key = bytes(tree.key(node) or b"")
                if key in wanted:
                    if not (tree.is_key_quoted(node) or tree.is_key_literal(node)):
                        return False
                    seen.add(key)
            if tree.has_val(node) and not (tree.is_map(node) or tree.is_seq(node)):
                value = bytes(tree.val(node) or b"")
                if value in wanted:
                    styled = tree.is_val_literal(node) or tree.is_val_folded(node)
                    if not (tree.is_val_quoted(node) or styled):
                        return False
                    seen.add(value)
            child = tree.first_child(node)
            while child != _rapidyaml().NONE:
                stack.append(child)
                child = tree.next_sibling(child)
        return seen == wanted

    def _documents_with_properties(self) -> set[int]:
        text = self.text
        hits = []
        for character in "&*!":
            position = text.find(character)
            while position >= 0:
                before = text[position - 1] if position else "\n"
                after = text[position + 1 : position + 2]
                if before in " \t\r\n[{," and _starts_node(text, position, after not in " \t"):
                    hits.append(position)
                position = text.find(character, position + 1)
        if not hits:
            return set()
        starts = _document_starts(text)
        if len(starts) != len(self.doc_ids):
            return set(range(len(self.doc_ids)))
        return {max(bisect_right(starts, hit) - 1, 0) for hit in hits}

    # -- locations -----------------------------------------------------------------------

    def locate(self, index: int, path: Sequence[str | int]) -> tuple[int, int] | None:
        tree = self.tree
        node = self.doc_ids[index]
        offset = self._start(node)
        for step in path:
            if isinstance(step, str) and tree.is_map(node):
                child = tree.find_child(node, step.encode("utf-8"))
                if child == _rapidyaml().NONE:
                    break
                offset = self._key_start(child)
            elif isinstance(step, int) and tree.is_seq(node):
                if not 0 <= step < tree.num_children(node):
                    break
                child = tree.child(node, step)
                offset = self._start(child)
            else:
                break
            node = child
        if offset is None:
            return None
        return self._line_column(offset)

    def _key_start(self, node: int) -> int | None:
        offset = self._offset(self.tree.key(node))
        if offset is not None and self.tree.is_key_quoted(node):
            offset -= 1
        return offset

    def _start(self, node: int) -> int | None:
        """Offset of the first character of a node, as libyaml marks it."""
        tree = self.tree
        if tree.has_val(node) and not (tree.is_map(node) or tree.is_seq(node)):
            if tree.val_is_null(node) or tree.is_val_literal(node) or tree.is_val_folded(node):
                return None
            offset = self._offset(tree.val(node))
            if offset is not None and tree.is_val_quoted(node):
                offset -= 1
            return offset
        if tree.num_children(node) == 0:
            return None
        first = tree.first_child(node)
        inner = self._key_start(first) if tree.is_map(node) else self._start(first)
        if inner is None:
            return None
        if tree.is_map(node) and not tree.is_flow(node):
            return inner  # a block mapping starts at its first key
        opener = self._back_to(inner, b"{" if tree.is_map(node) else b"[-")
        return opener

    def _back_to(self, offset: int, openers: bytes) -> int | None:
        """Offset of the indicator (`[`, `{` or `-`) before the first child at `offset`."""
        data = self.data
        position = offset - 1
        while position >= 0 and data[position] in b" \t\r\n":
            position -= 1
        if position >= 0 and data[position] in openers:
            dash = data[position] == ord("-") and position + 1 < len(data)
            if dash and data[position + 1] not in b" \t\r\n":
                return None
            return position
        return None

    def _offset(self, view: memoryview | None) -> int | None:
        if view is None or len(view) == 0:
            return None
        if self._base is None:
            self._base = _address(memoryview(self.buf))
        offset = _address(view) - self._base
        return offset if 0 <= offset < len(self.buf) else None  # else: in rapidyaml's arena

    def _line_column(self, offset: int) -> tuple[int, int]:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer(b"\n", self.data)]
        line = bisect_right(self._newlines, offset - 1)
        start = self._newlines[line - 1] + 1 if line else 0
        return (line + 1, len(self.data[start:offset].decode("utf-8", "replace")) + 1)


def _address(view: memoryview) -> int:
    """Address of the first byte of a (read-only) buffer."""
    import ctypes

    buffer_type, get_buffer = _buffer_api()
    buffer = buffer_type()
    get_buffer(ctypes.py_object(view), ctypes.byref(buffer), 0)
    try:
        return int(buffer.buf)
    finally:
        ctypes.pythonapi.PyBuffer_Release(ctypes.byref(buffer))


@functools.cache
def _buffer_api() -> tuple[Any, Any]:
    """Py_buffer and PyObject_GetBuffer through ctypes, imported only to locate something."""
    import ctypes

    class PyBuffer(ctypes.Structure):
        _fields_ = [
            ("buf", ctypes.c_void_p),
            ("obj", ctypes.c_void_p),
            ("len", ctypes.c_ssize_t),
            ("itemsize", ctypes.c_ssize_t),
            ("readonly", ctypes.c_int),
            ("ndim", ctypes.c_int),
            ("format", ctypes.c_char_p),
            ("shape", ctypes.c_void_p),
            ("strides", ctypes.c_void_p),
            ("suboffsets", ctypes.c_void_p),
            ("internal", ctypes.c_void_p),
        ]

    get_buffer = ctypes.pythonapi.PyObject_GetBuffer
    get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(PyBuffer), ctypes.c_int]
    get_buffer.restype = ctypes.c_int
    return PyBuffer, get_buffer


_DOCUMENT_START = re.compile(r"^---(?=[ \t]|$)", re.M)


def document_slices(text: str) -> list[tuple[int, str]]:
    """(first line - 1, text) of each document, split at `---` lines, so that one document can
    be decoded without the whole stream. Callers check the count against the loaded documents
    before trusting it (directives or `...` markers make it differ)."""
    starts = _document_starts(text)
    slices = []
    line = text.count("\n", 0, starts[0])
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        part = text[begin:end]
        slices.append((line, part))
        line += part.count("\n")
    return slices


def _document_starts(text: str) -> list[int]:
    starts = [m.start() for m in _DOCUMENT_START.finditer(text)]
    if not starts or (text[: starts[0]].strip() and not _only_comments(text[: starts[0]])):
        starts = [0, *starts]
    return starts


def _only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())
