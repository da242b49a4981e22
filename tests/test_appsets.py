"""ApplicationSet generators expanded offline: list, git directories, git files, matrix, merge,
in fasttemplate and Go template syntax; discovered entry points come from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_tools.appsets import expand
from gitops_tools.errors import FatalError

TEMPLATE = {
    "metadata": {"name": "{{name}}"},
    "spec": {"source": {"path": "{{path}}"}},
}


def names_and_paths(spec: dict[str, Any], root: Path) -> list[tuple[str, str]]:
    apps = list(expand(spec, root / "appset.yaml", root))
    return [(a["metadata"]["name"], a["spec"]["source"]["path"]) for a in apps]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for app in ("web", "cart", "legacy"):
        (tmp_path / "apps" / app / "overlays" / "prod").mkdir(parents=True)
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    (tmp_path / "envs" / "prod" / "config.json").write_text(
        '{"cluster": {"name": "prod-1", "namespace": "shop"}}'
    )
    (tmp_path / "envs" / "dev").mkdir(parents=True)
    (tmp_path / "envs" / "dev" / "config.yaml").write_text(
        "cluster:\n  name: dev-1\n  namespace: shop-dev\n"
    )
    return tmp_path


def test_list_generator(tree: Path) -> None:
    spec = {
        "generators": [
            {"list": {"elements": [{"name": "a", "path": "x/a"}, {"name": "b", "path": "x/b"}]}}
        ],
        "template": TEMPLATE,
    }
    assert names_and_paths(spec, tree) == [("a", "x/a"), ("b", "x/b")]


def test_git_directories_with_exclude_fasttemplate(tree: Path) -> None:
    spec = {
        "generators": [
            {
                "git": {
                    "directories": [
                        {"path": "apps/*/overlays/prod"},
                        {"path": "apps/legacy/overlays/prod", "exclude": True},
                    ]
                }
            }
        ],
        "template": {
            "metadata": {"name": "{{path[1]}}-{{path.basename}}"},
            "spec": {"source": {"path": "{{path}}"}},
        },
    }
    assert names_and_paths(spec, tree) == [
        ("cart-prod", "apps/cart/overlays/prod"),
        ("web-prod", "apps/web/overlays/prod"),
    ]


def test_git_files_go_template(tree: Path) -> None:
    spec = {
        "goTemplate": True,
        "generators": [{"git": {"files": [{"path": "envs/*/config.*"}]}}],
        "template": {
            "metadata": {"name": "{{ .cluster.name }}"},
            "spec": {"source": {"path": "apps/web/overlays/{{ .path.basename }}"}},
        },
    }
    assert names_and_paths(spec, tree) == [
        ("dev-1", "apps/web/overlays/dev"),
        ("prod-1", "apps/web/overlays/prod"),
    ]


def test_matrix_of_git_directories_and_list(tree: Path) -> None:
    spec = {
        "generators": [
            {
                "matrix": {
                    "generators": [
                        {"git": {"directories": [{"path": "apps/web/overlays/*"}]}},
                        {"list": {"elements": [{"region": "eu"}, {"region": "us"}]}},
                    ]
                }
            }
        ],
        "template": {
            "metadata": {"name": "{{path.basename}}-{{region}}"},
            "spec": {"source": {"path": "{{path}}"}},
        },
    }
    assert names_and_paths(spec, tree) == [
        ("prod-eu", "apps/web/overlays/prod"),
        ("prod-us", "apps/web/overlays/prod"),
    ]


def test_merge_overrides_by_key(tree: Path) -> None:
    spec = {
        "generators": [
            {
                "merge": {
                    "mergeKeys": ["name"],
                    "generators": [
                        {
                            "list": {
                                "elements": [
                                    {"name": "web", "path": "a"},
                                    {"name": "cart", "path": "b"},
                                ]
                            }
                        },
                        {"list": {"elements": [{"name": "cart", "path": "c"}]}},
                    ],
                }
            }
        ],
        "template": TEMPLATE,
    }
    assert names_and_paths(spec, tree) == [("web", "a"), ("cart", "c")]


def test_unknown_parameter(tree: Path) -> None:
    spec: dict[str, Any] = {
        "generators": [{"list": {"elements": [{"name": "a"}]}}],
        "template": TEMPLATE,
    }
    assert names_and_paths(spec, tree) == [("a", "{{path}}")]  # fasttemplate keeps it
    spec["goTemplate"] = True
    spec["template"] = {
        "metadata": {"name": "{{ .name }}"},
        "spec": {"source": {"path": "{{ .path }}"}},
    }
    with pytest.raises(FatalError, match="uses a parameter its generators do not give"):
        names_and_paths(spec, tree)


def test_globs_never_leave_the_repository(tree: Path) -> None:
    spec = {
        "generators": [{"git": {"directories": [{"path": "../*"}, {"path": "/etc"}]}}],
        "template": TEMPLATE,
    }
    assert names_and_paths(spec, tree) == []
