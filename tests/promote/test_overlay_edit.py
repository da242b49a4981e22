"""Editing one `images:` entry leaves every other byte of the kustomization alone."""

from __future__ import annotations

import pytest

from gitops_tools.errors import FatalError
from gitops_tools.promote.overlay import image_entries
from gitops_tools.promote.overlay_edit import set_image

NEW = "sha256:" + "a" * 64
OLD = "sha256:" + "b" * 64

OVERLAY = f"""\
# prod: images pinned by digest
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
images:
  # the API
  - name: api
    newName: registry.example.com/team/api   # built by CI
    newTag: "1.10"
    digest: {OLD}  # do not edit by hand
  - name: worker
    newName: registry.example.com/team/worker
    newTag: 2.0.0
patches:
  - path: patch.yaml
"""


def test_only_the_entry_values_change() -> None:
    after = set_image(OVERLAY, "api", "1.11", NEW, "k.yaml")
    assert after == OVERLAY.replace('newTag: "1.10"', 'newTag: "1.11"').replace(OLD, NEW)


def test_missing_digest_is_added_under_the_tag() -> None:
    after = set_image(OVERLAY, "worker", "2.1.0", NEW, "k.yaml")
    assert after == OVERLAY.replace(
        "    newTag: 2.0.0\n", f"    newTag: 2.1.0\n    digest: {NEW}\n"
    )


def test_tag_that_would_read_as_a_number_is_quoted() -> None:
    after = set_image(OVERLAY, "worker", "2.10", NEW, "k.yaml")
    assert '    newTag: "2.10"\n' in after
    assert image_entries(after, "k.yaml")[1].new_tag == "2.10"


def test_no_tag_removes_new_tag() -> None:
    after = set_image(OVERLAY, "api", None, NEW, "k.yaml")
    assert "1.10" not in after
    assert f"    digest: {NEW}  # do not edit by hand\n" in after


def test_windows_line_endings_are_kept() -> None:
    text = OVERLAY.replace("\n", "\r\n")
    after = set_image(text, "worker", "2.1.0", NEW, "k.yaml")
    assert after == text.replace(
        "    newTag: 2.0.0\r\n", f"    newTag: 2.1.0\r\n    digest: {NEW}\r\n"
    )


def test_flow_style_entry_goes_through_a_round_trip() -> None:
    text = "images:\n- {name: api, newTag: '1'}\n# end\n"
    after = set_image(text, "api", "2", NEW, "k.yaml")
    assert after == f"images:\n- {{name: api, newTag: '2', digest: {NEW}}}\n# end\n"


def test_unknown_entry_is_refused() -> None:
    with pytest.raises(FatalError, match="no images: entry named 'nope'"):
        set_image(OVERLAY, "nope", "1", NEW, "k.yaml")


def test_entries_are_read_with_their_lines() -> None:
    entries = image_entries(OVERLAY, "k.yaml")
    assert [(e.name, e.new_tag, e.digest, e.line) for e in entries] == [
        ("api", "1.10", OLD, 6),
        ("worker", "2.0.0", None, 10),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("images:\n  - name: a\n    newTag: 1.10\n", "k.yaml:3: images[0].newTag is 1.1"),
        ("images:\n  - newTag: x\n", "k.yaml: images[0] has no name"),
        ("images:\n  - name: a\n  - name: a\n", "k.yaml: images: names 'a' twice"),
        ("images: [\n", "k.yaml:2: not valid YAML"),
    ],
)
def test_malformed_images_block(text: str, message: str) -> None:
    with pytest.raises(FatalError) as error:
        image_entries(text, "k.yaml")
    assert error.value.message.startswith(message)
