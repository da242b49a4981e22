from __future__ import annotations

import pytest

from gitops_tools import yamlio
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


# Where YAML 1.1 (Kubernetes, libyaml) and 1.2 (rapidyaml) could disagree, the slow path decides.
TRICKY = [
    "a: ~\n",
    "a: yes\nb: No\nc: on\nd: OFF\n",
    "on: push\n",
    "a: True\nb: NULL\n",
    "a: 010\nb: 0x1F\nc: 1_000\nd: 1:30\ne: 1e3\nf: .5\ng: +1\nh: -.inf\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "base: &b {k: v}\nc:\n  <<: *b\n",
    "%YAML 1.1\n---\na: 1\n",
]
PLAIN = [
    "",
    "# only a comment\n",
    "---\n---\n",
    "a: 1\n---\n---\nb: [1, '2', \"3\"]\n",
    "- 1\n- 2\n",
    '{"a": [1, {"b": null}], "c": true}',
    "image: nginx:1.25@sha256:3e5f00aa\nport: 8080\nratio: 0.5\nneg: -1\n",
    "text: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n",
    "quoted: 'it''s'\nescaped: \"tab\\there \\u00e9\"\nempty:\n",
    "cron: '*/5 * * * *'\nhost: '*.example.com'\nwave: \"-1\"\n",
    "# a comment, then an empty list\n[]\n",
    "{}\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_yaml_goes_through_libyaml(text: str) -> None:
    assert yamlio._needs_yaml_1_1(text), text
    assert load_documents(text) == yamlio._load_libyaml(text)


@pytest.mark.parametrize("text", PLAIN)
def test_fast_path_agrees_with_libyaml(text: str) -> None:
    assert not yamlio._needs_yaml_1_1(text), text
    fast = yamlio._load_fast(text)
    assert fast is not None, text
    assert fast == yamlio._load_libyaml(text)


def test_fast_path_declines_duplicates_and_errors() -> None:
    assert yamlio._load_fast("a: 1\na: 2\n") is None
    assert yamlio._load_fast("a: [1, 2\n") is None


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n---\nb:\n  c: 2\n---\nd: [1]\n",
        "---\na: 1\n---\nb:\n  c: 2\n",
        "# header\n---\na: 1\n---\nb:\n  c: 2\n",
        "a: 1\n--- # comment\nb:\n  c: 2\n",
    ],
)
def test_document_slices_locate_like_the_whole_stream(text: str) -> None:
    slices = yamlio.document_slices(text)
    docs = load_documents(text)
    assert len(slices) == len(docs)
    for index, (offset, part) in enumerate(slices):
        for path in (["b", "c"], ["a"], []):
            line, column = yamlio.locate_in(yamlio.compose(part), 0, path)
            assert (line + offset, column) == locate(text, index, path)


def test_mixed_stream_is_decided_per_document() -> None:
    plain = "kind: A\nport: 80\n"
    tricky = "kind: B\nenabled: yes\n"
    text = f"{plain}---\n{tricky}---\n{plain}"
    assert load_documents(text) == yamlio._load_libyaml(text)
    assert load_documents(text)[1] == {"kind": "B", "enabled": True}


def test_mixed_stream_error_names_the_line_in_the_whole_text() -> None:
    text = "kind: A\n---\nkind: B\nenabled: yes\n---\nkind: C\nlist: [1, 2\n"
    with pytest.raises(YamlError) as err:
        load_documents(text)
    assert err.value.line == 8
