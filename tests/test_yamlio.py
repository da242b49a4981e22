from __future__ import annotations

import pytest

from gitops_tools.yamlio import MAX_BYTES, YamlError, decode_text, load_documents, locate


def test_loads_multi_document_yaml_and_json() -> None:
    docs = load_documents('a: 1\n---\n{"b": [1, 2]}\n---\n')
    assert docs[:2] == [{"a": 1}, {"b": [1, 2]}]


def test_dates_stay_strings_as_kubernetes_reads_them() -> None:
    assert load_documents("when: 2024-01-01\n") == [{"when": "2024-01-01"}]


def test_duplicate_key_is_an_error_at_its_line() -> None:
    with pytest.raises(YamlError) as err:
        load_documents("metadata:\n  name: a\n  name: b\n")
    assert err.value.line == 3
    assert err.value.column == 3
    assert "duplicate key 'name'" in err.value.message


def test_malformed_yaml_names_line() -> None:
    with pytest.raises(YamlError) as err:
        load_documents("a: [1, 2\nb: 3\n")
    assert err.value.line >= 2
    assert err.value.message.startswith("malformed YAML")


def test_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, prev in zip("bcdefghi", "abcdefgh", strict=True):
        bomb += f"{i}: &{i} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    with pytest.raises(YamlError, match="alias bomb"):
        load_documents(bomb)


def test_small_aliases_are_fine() -> None:
    assert load_documents("a: &x {k: v}\nb: *x\n") == [{"a": {"k": "v"}, "b": {"k": "v"}}]


def test_binary_non_utf8_and_oversized_input() -> None:
    with pytest.raises(YamlError, match="binary file"):
        decode_text(b"\x89PNG\r\n\x1a\n\0\0")
    with pytest.raises(YamlError, match="not UTF-8") as err:
        decode_text(b"a: 1\nb: \xff\n")
    assert err.value.line == 2
    with pytest.raises(YamlError, match="MiB limit"):
        decode_text(b"#" * (MAX_BYTES + 1))


def test_locate_points_at_key_in_the_right_document() -> None:
    text = "a: 1\n---\nspec:\n  containers:\n    - name: x\n      image: y\n"
    assert locate(text, 1, ["spec", "containers", 0, "image"]) == (6, 7)
    assert locate(text, 1, ["spec", "containers", 0]) == (5, 7)
    # deeper than the document goes: the deepest node that exists
    assert locate(text, 1, ["spec", "missing", "deeper"]) == (3, 1)
