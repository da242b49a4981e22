"""How the API server reads a YAML scalar: sigs.k8s.io/yaml on go-yaml v2, then JSON.

The API server turns a YAML body into JSON with sigs.k8s.io/yaml (go-yaml v2 underneath,
strict) and decodes that JSON. These functions give the value it ends up with, so that a
manifest means here what it means to the cluster. No PyYAML or rapidyaml in here: the rules
are plain Python, used by both loaders (yamlio's fast path and yaml_reference).

Decoding table (each row is tested in tests/test_yamlio.py, in keys and values, block and flow):

| plain scalar (untagged) | value | as a mapping key |
| --- | --- | --- |
| `y Y yes Yes YES on On ON true True TRUE` | true | "true" |
| `n N no No NO off Off OFF false False FALSE` | false | "false" |
| empty, `~ null Null NULL` | null | refused (null key) |
| `010` `0o17` `0x1F` `0b101` `1_000` `+1` | int 8, 15, 31, 5, 1000, 1 | "8" "15" "31" "5" ... |
| int beyond int64 (up to uint64) | float (JSON round trip) | refused (uint64 key) |
| `1.5` `.5` `1.` `1e3` `08` (not octal) | float; integral ones -> int | Go %g of float32: "1000" |
| `.inf` `-.inf` `.nan` and case variants | refused (not JSON) | ".inf" "-.inf" ".nan" |
| `1e400` (overflows float64) | the string "1e400" | "1e400" |
| `1:30` (sexagesimal), `2024-01-01`, `=` | the string as written | the string as written |
| `<<` (merge key) | merges a mapping or list of mappings | a key set twice: refused |
| quoted or block scalar | the string | the string |
| `!!str x` `!foo x` `! x` (any other tag) | the string "x" | the string "x" |
| `!!int` `!!float` `!!bool` `!!null` `!!timestamp` | as plain; refused if the kind differs | same |
| `!!binary` | base64-decoded (bad UTF-8 as U+FFFD) | same |

Integral floats become ints because the API server decodes the JSON that sigs.k8s.io/yaml
writes (Go writes 1.0 as `1`) and keeps every number that parses as int64 as an int.
"""

from __future__ import annotations

import base64
import math
import re
import struct
from typing import Any

TAG_PREFIX = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null"))
TIMESTAMP, BINARY, MERGE = (TAG_PREFIX + t for t in ("timestamp", "binary", "merge"))
_RESOLVABLE = frozenset(("", STR, INT, FLOAT, BOOL, NULL, TIMESTAMP))

_WORDS: dict[str, Any] = {}
for _words, _value in (
    ("y Y yes Yes YES true True TRUE on On ON", True),
    ("n N no No NO false False FALSE off Off OFF", False),
    ("~ null Null NULL", None),
    (".nan .NaN .NAN", math.nan),
    (".inf .Inf .INF +.inf +.Inf +.INF", math.inf),
    ("-.inf -.Inf -.INF", -math.inf),
):
    _WORDS.update(dict.fromkeys(_words.split(), _value))
_WORDS[""] = None
_HINT_WORD = frozenset("yYnNtTfFoO~")
_HINT_NUMBER = frozenset("+-0123456789")
# strconv.ParseInt(s, 0, 64) after go-yaml dropped every "_"
_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_GO_UINT = re.compile(r"(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# strconv.ParseFloat of a scalar starting with "." (Go syntax: "_" only between digits)
_GO_DOT_FLOAT = re.compile(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?")
INT64_MIN, INT64_MAX, UINT64_MAX = -(2**63), 2**63 - 1, 2**64 - 1


class DecodeError(ValueError):
    """A scalar or key the API server refuses; the message says why."""


def _go_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64), then ParseUint: None when neither parses."""
    if _GO_INT.fullmatch(text) is None:
        return None
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits[1] in "xXoObB":
        number = int(digits[2:], {"x": 16, "o": 8, "b": 2}[digits[1].lower()])
    elif len(digits) > 1 and digits[0] == "0":
        number = int(digits[1:], 8)
    else:
        number = int(digits)
    number *= sign
    if INT64_MIN <= number <= INT64_MAX:
        return number
    if text[0] not in "+-" and number <= UINT64_MAX:
        return number  # ParseUint takes no sign
    return None


def _float(text: str) -> float | str:
    number = float(text.replace("_", ""))
    return text if math.isinf(number) else number  # ParseFloat range error: a string


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar (go-yaml v2 `resolve`), before JSON."""
    hint = text[0] if text else "~"
    if hint in _HINT_WORD or hint == "." or hint in _HINT_NUMBER:
        if text in _WORDS:
            return _WORDS[text]
        if hint == ".":
            if _GO_DOT_FLOAT.fullmatch(text):
                return _float(text)
        elif hint in _HINT_NUMBER:
            plain = text.replace("_", "")
            number = _go_int(plain)
            if number is not None:
                return number
            if _YAML_STYLE_FLOAT.fullmatch(plain):
                value = _float(plain)
                if not isinstance(value, str):
                    return value
    return text


def resolve_tagged(tag: str, text: str) -> Any:
    """The value of a scalar with an explicit tag (`!!int "1"`, `!foo x`, ...)."""
    if tag == BINARY:
        try:
            data = base64.b64decode(text.replace("\n", "").replace("\r", ""), validate=True)
        except ValueError:
            raise DecodeError("!!binary value contains invalid base64 data") from None
        return data.decode("utf-8", "replace")
    if tag not in _RESOLVABLE or tag == STR:
        return text  # go-yaml leaves a scalar with a tag it does not know as its text
    value = resolve_plain(text)
    kind = _kind(value)
    if tag == TIMESTAMP and kind == STR and _TIMESTAMP.fullmatch(text):
        return text  # timestamps stay strings
    if kind == tag:
        return value
    if tag == FLOAT and kind == INT:
        return float(value)
    raise DecodeError(f"cannot decode !!{kind[len(TAG_PREFIX) :]} `{text}` as a !!{tag[18:]}")


def _kind(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    return FLOAT if isinstance(value, float) else STR


_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}"
    r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?"
)


def json_value(value: Any) -> Any:
    """A decoded scalar as the API server holds it after the JSON round trip: Go writes a
    float in its shortest digits (1.0 as `1`) and every number that reads as int64 is an int."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise DecodeError(f"{value!r} cannot be written as JSON (the API server refuses it)")
        return float_as_api(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > INT64_MAX:
        return float(value)
    return value


def float_as_api(value: float) -> float | int:
    """A finite float after Go's JSON encoding and the API server's decoding."""
    if not value.is_integer() or abs(value) >= 1e21:
        return value
    if abs(value) < 2**53:
        return int(value)
    from decimal import Decimal

    number = int(Decimal(repr(value)))  # Go writes the shortest digits, then zeros
    return number if INT64_MIN <= number <= INT64_MAX else value


def key_string(key: Any) -> str:
    """A decoded mapping key as sigs.k8s.io/yaml turns it into a JSON object key."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        if key > INT64_MAX:
            raise DecodeError(f"unsupported map key {key} (an unsigned 64-bit integer)")
        return str(key)
    if isinstance(key, float):
        return go_float32_g(key)
    if key is None:
        raise DecodeError("a null mapping key (the API server refuses it; quote the key)")
    raise DecodeError(f"unsupported map key {key!r}")


def go_float32_g(number: float) -> str:
    """strconv.FormatFloat(number, 'g', -1, 32), with YAML's spelling of inf and nan."""
    if math.isnan(number):
        return ".nan"
    if math.isinf(number):
        return ".inf" if number > 0 else "-.inf"
    single = struct.unpack("f", struct.pack("f", number))[0]
    if single == 0:
        return "-0" if math.copysign(1, single) < 0 else "0"
    for precision in range(1, 10):  # the shortest digits that read back as the same float32
        mantissa, exponent = f"{single:.{precision - 1}e}".split("e")
        if struct.unpack("f", struct.pack("f", float(f"{mantissa}e{exponent}")))[0] == single:
            break
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    exp = int(exponent)
    if exp < -4 or exp >= 6:  # Go's shortest %g switches to an exponent at 1e6
        tail = "." + digits[1:] if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{tail}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return f"{sign}{abs(single):.{max(len(digits) - exp - 1, 0)}f}"
