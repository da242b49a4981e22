"""Findings on patched fields point at the patch line: through the real `gitops check` (real
`kubectl kustomize`) on tests/fixtures/origins, one overlay per kind of layer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gitops_tools.cli import main
from gitops_tools.field_origins import FieldOrigins
from gitops_tools.field_origins.layers import pointer
from gitops_tools.field_origins.replacements import field_path_names, split_field_path
from gitops_tools.field_origins.selectors import label_selector_matches
from gitops_tools.manifests import Manifest, load_rendered
from gitops_tools.render import find_renderer, render

FIXTURE = Path(__file__).parent / "fixtures" / "origins"
NOT_A_QUANTITY = "is not a quantity (like 500m, 2, 1.5Gi or 128Mi)"
TWO_CORES = f"spec.template.spec.containers[0].resources.requests.cpu: 'two cores' {NOT_A_QUANTITY}"
SMP = "overlays/strategic-merge"
STRATEGIC_MERGE = [
    (f"{SMP}/configmap-patch.yaml", 7, 1, "GO003", "immutible: unknown field"),
    (
        f"{SMP}/deployment-patch.yaml",
        11,
        13,
        "GO102",
        "container 'metrics' may escalate privileges: set "
        "securityContext.allowPrivilegeEscalation: false",
    ),
    (
        f"{SMP}/kustomization.yaml",  # the inline patch, mapped into the kustomization
        22,
        21,
        "GO003",
        f"spec.template.spec.containers[0].resources.requests.cpu: 'half a core' {NOT_A_QUANTITY}",
    ),
]
LATEST = (
    "container 'web' image 'public.ecr.aws/docker/library/nginx:latest' uses the tag latest: "
    "set a version tag or a digest"
)
EXPECTED = {
    "strategic-merge": STRATEGIC_MERGE,
    "json6902": [
        (
            "overlays/json6902/kustomization.yaml",
            14,
            9,
            "GO109",
            "namespace 'shop' enforces level 'baseline': label it "
            "pod-security.kubernetes.io/enforce: restricted",
        ),
        (
            "overlays/json6902/kustomization.yaml",  # appended with `ports/-`
            23,
            11,
            "GO003",
            'spec.template.spec.containers[0].ports[1].containerPort: "admin" is not of type '
            '"integer"',
        ),
        (
            "overlays/json6902/memory-patch.yaml",
            6,
            3,
            "GO003",
            f"spec.template.spec.containers[1].resources.limits.memory: 'lots' {NOT_A_QUANTITY}",
        ),
    ],
    "images": [("overlays/images/kustomization.yaml", 9, 5, "GO302", LATEST)],
    "replicas": [
        (
            "overlays/replicas/kustomization.yaml",
            9,
            5,
            "GO203",
            "Deployment 'web' sets spec.replicas but HorizontalPodAutoscaler 'web' scales it: "
            "remove spec.replicas and set minReplicas on the HPA",
        )
    ],
    "components": [
        (
            "components/privileged/privileged-patch.yaml",
            11,
            13,
            "GO105",
            "container 'web' is privileged: remove securityContext.privileged or set it to false",
        ),
        (
            "overlays/components/cpu-patch.yaml",  # set after the component set it
            12,
            15,
            "GO003",
            TWO_CORES,
        ),
    ],
    "generators": [
        (
            "overlays/generators/kustomization.yaml",  # the secretGenerator entry
            8,
            5,
            "GO110",
            "Secret 'web-credentials-cf85kd65mm' commits values in data (password): remove them "
            "and create the Secret from an ExternalSecret or a sealed source",
        ),
        (
            "overlays/generators/settings-patch.yaml",
            6,
            3,
            "GO003",
            'data.RETRIES: 3 is not of type "string"',
        ),
    ],
    "replacements": [("overlays/replacements/release.yaml", 7, 3, "GO302", LATEST)],
    "outer": [
        *STRATEGIC_MERGE[:2],
        (
            "overlays/outer/cpu-patch.yaml",  # the outer overlay writes last
            12,
            15,
            "GO003",
            TWO_CORES,
        ),
    ],
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    return root


def check(repo: Path, capsys: pytest.CaptureFixture[str], fmt: str, *overlays: str) -> str:
    paths = [str(repo / "overlays" / o) for o in overlays]
    code = main(["check", "--repo", str(repo), "--format", fmt, *paths])
    assert code == 1
    return capsys.readouterr().out


@pytest.mark.integration
@pytest.mark.parametrize("overlay", sorted(EXPECTED))
def test_findings_point_at_the_layer_that_set_the_field(
    repo: Path, capsys: pytest.CaptureFixture[str], overlay: str
) -> None:
    findings = json.loads(check(repo, capsys, "json", overlay))["findings"]
    got = [(f["path"], f["line"], f["column"], f["rule_id"], f["message"]) for f in findings]
    assert sorted(got) == sorted(EXPECTED[overlay])


@pytest.mark.integration
@pytest.mark.parametrize("overlay", sorted(EXPECTED))
def test_sarif_and_github_annotations_point_at_the_patch_lines(
    repo: Path, capsys: pytest.CaptureFixture[str], overlay: str
) -> None:
    expected = {(path, line, col, rule) for path, line, col, rule, _ in EXPECTED[overlay]}
    sarif = json.loads(check(repo, capsys, "sarif", overlay))
    got = set()
    for result in sarif["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        uri = location["artifactLocation"]["uri"]
        got.add((uri, region["startLine"], region["startColumn"], result["ruleId"]))
    assert got == expected
    github = check(repo, capsys, "github", overlay)
    for path, line, column, rule in expected:
        assert f"::error file={path},line={line},col={column},title={rule} " in github


# ---- the lookup itself, on objects rendered by kubectl kustomize ----


def rendered(directory: Path, cache: Path) -> list[Manifest]:
    result = render(directory, find_renderer(cache), cache)
    assert result.error is None, result.error
    return load_rendered(result, cache, "test").manifests


def by_kind(manifests: list[Manifest], kind: str, prefix: str) -> Manifest:
    return next(m for m in manifests if m.kind == kind and m.name.startswith(prefix))


def at(file: Path, needle: str, occurrence: int = 0) -> tuple[Path, int, int]:
    """Where `needle` is in `file` (1-based line and column)."""
    lines = file.read_text().splitlines()
    hits = [(n, ln.index(needle) + 1) for n, ln in enumerate(lines, 1) if needle in ln]
    line, column = hits[occurrence]
    return file, line, column


@pytest.mark.integration
def test_generator_literals_env_files_and_merges(tmp_path: Path, repo: Path) -> None:
    objects = rendered(repo / "overlays/generators", tmp_path / "cache")
    origins = FieldOrigins()
    settings = by_kind(objects, "ConfigMap", "web-settings")
    kfile = repo / "overlays/generators/kustomization.yaml"
    assert origins.position(settings, ["data", "PORT"]) == at(kfile, "PORT=8080")
    assert origins.position(settings, ["data", "WORKERS"]) == (
        repo / "overlays/generators/settings.env",
        2,
        1,
    )
    assert origins.position(settings, ["data"]) == at(kfile, "name: web-settings")
    config = by_kind(objects, "ConfigMap", "web-config")
    assert origins.position(config, ["data", "LOG_FORMAT"]) == at(kfile, "LOG_FORMAT=json")
    assert origins.position(config, ["data", "LOG_LEVEL"]) is None  # the base's own line


@pytest.mark.integration
def test_untouched_fields_are_left_to_the_base_lookup(tmp_path: Path, repo: Path) -> None:
    objects = rendered(repo / SMP, tmp_path / "cache")
    origins = FieldOrigins()
    deployment = by_kind(objects, "Deployment", "web")
    containers = deployment.obj["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["metrics", "web"]  # the patch moved metrics first
    image = ["spec", "template", "spec", "containers", 1, "image"]
    # rendered containers[1] is the base's containers[0]: found by name, not by index
    assert origins.position(deployment, image) == at(repo / "base/deployment.yaml", "image: public")
    assert origins.position(deployment, ["spec", "selector"]) is None
    assert origins.position(deployment, []) is None
    assert origins.position(deployment, ["metadata", "name"]) is None
    # the namespace comes from the base's kustomization, not from a document
    assert origins.position(deployment, ["metadata", "namespace"]) == at(
        repo / "base/kustomization.yaml", "namespace: shop"
    )
    config = by_kind(objects, "ConfigMap", "web-config")
    patch = repo / SMP / "configmap-patch.yaml"
    assert origins.position(config, ["data", "LOG_LEVEL"]) == at(patch, "LOG_LEVEL")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          args: [--port, "80"]
"""


@pytest.mark.integration
def test_label_selectors_atomic_lists_and_quoted_inline_patches(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    write(
        root,
        {
            "base/kustomization.yaml": "resources: [deployment.yaml]\n",
            "base/deployment.yaml": DEPLOYMENT,
            "overlay/kustomization.yaml": (
                "resources: [../base]\n"
                "patches:\n"
                "  - target: {labelSelector: 'app in (web, api),tier!=db'}\n"
                '    patch: \'[{"op": "replace", "path": "/spec/template/spec/containers/0/'
                'image", "value": "nginx:1.28"}]\'\n'
                "  - path: args.yaml\n"
            ),
            "overlay/args.yaml": (
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                "  template:\n    spec:\n      containers:\n        - name: web\n"
                "          args:\n            - --port\n            - '8080'\n"
            ),
        },
    )
    objects = rendered(root / "overlay", tmp_path / "cache")
    deployment = by_kind(objects, "Deployment", "web")
    origins = FieldOrigins()
    container = ["spec", "template", "spec", "containers", 0]
    kfile = root / "overlay/kustomization.yaml"
    # a JSON patch in a quoted string: its lines are not the file's, so its `patch:` key
    assert origins.position(deployment, [*container, "image"]) == at(kfile, "patch:")
    # `args` has no merge key: the patch replaced the list, item by item
    args = root / "overlay/args.yaml"
    assert origins.position(deployment, [*container, "args", 1]) == at(args, "'8080'")


@pytest.mark.integration
def test_unreadable_layers_fall_back_to_the_origin_file(tmp_path: Path, repo: Path) -> None:
    objects = rendered(repo / SMP, tmp_path / "cache")
    config = by_kind(objects, "ConfigMap", "web-config")
    (repo / SMP / "configmap-patch.yaml").write_text("data: [unclosed\n")
    assert FieldOrigins().position(config, ["immutible"]) is None
    (repo / SMP / "kustomization.yaml").write_text("resources: {not: a list}\n:\n")
    assert FieldOrigins().position(config, ["immutible"]) is None


def test_cycles_and_missing_trees_do_not_crash(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/kustomization.yaml": "resources: [../b]\n",
            "b/kustomization.yaml": "resources: [../a]\n",
        },
    )
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
    origin = tmp_path / "a" / "cm.yaml"
    cycle = Manifest(obj, origin, tmp_path / "out.yaml", 0, "dev", tmp_path / "a")
    assert FieldOrigins().position(cycle, ["data"]) is None
    gone = Manifest(obj, origin, tmp_path / "out.yaml", 0, "dev", tmp_path / "nowhere")
    assert FieldOrigins().position(gone, ["data"]) is None


def test_json_pointers_selectors_and_field_paths() -> None:
    assert pointer("/metadata/labels/example.com~1team") == [
        "metadata",
        "labels",
        "example.com/team",
    ]
    assert pointer("/a/~0b/-") == ["a", "~b", "-"]
    assert pointer("no-slash") is None
    assert pointer(3) is None
    labels = {"app": "web", "tier": "front"}
    assert label_selector_matches("app=web,tier in (front, back)", labels)
    assert label_selector_matches("app==web,!db,tier", labels)
    assert not label_selector_matches("app notin (web)", labels)
    assert not label_selector_matches("app = = web", labels)  # unreadable: never matches
    assert split_field_path("spec.containers.[name=a.b].image") == [
        "spec",
        "containers",
        "[name=a.b]",
        "image",
    ]
    obj = {"spec": {"containers": [{"name": "a"}, {"name": "b", "image": "x"}]}}
    assert field_path_names(
        "spec.containers.[name=b].image", ["spec", "containers", 1, "image"], obj
    )
    assert not field_path_names(
        "spec.containers.[name=a].image", ["spec", "containers", 1, "image"], obj
    )
    assert field_path_names("spec.containers.1", ["spec", "containers", 1, "image"], obj)


@pytest.mark.integration
def test_labels_appends_replaced_generators_and_generated_sources(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    write(
        root,
        {
            "base/kustomization.yaml": (
                "resources: [deployment.yaml]\n"
                "configMapGenerator:\n  - name: settings\n    literals: [A=1]\n"
            ),
            "base/deployment.yaml": DEPLOYMENT,
            "overlay/kustomization.yaml": (
                "resources: [../base]\n"
                "namePrefix: prod-\n"
                "commonLabels:\n  team: shop\n"
                "configMapGenerator:\n"
                "  - name: settings\n    behavior: replace\n    literals: [B=2]\n"
                "  - name: release\n    literals: [TAG=nginx:1.29]\n"
                "patches:\n"
                "  - target: {kind: Deployment, name: web}\n"
                "    patch: |-\n"
                "      - op: add\n"
                "        path: /spec/template/spec/containers/0/args/-\n"
                "        value: --first\n"
                "      - op: add\n"
                "        path: /spec/template/spec/containers/0/args/-\n"
                "        value: --second\n"
                "replacements:\n"
                "  - source: {kind: ConfigMap, name: release, fieldPath: data.TAG}\n"
                "    targets:\n"
                "      - select: {kind: Deployment}\n"
                "        fieldPaths: [spec.template.spec.containers.0.image]\n"
            ),
        },
    )
    objects = rendered(root / "overlay", tmp_path / "cache")
    origins = FieldOrigins()
    kfile = root / "overlay/kustomization.yaml"
    deployment = by_kind(objects, "Deployment", "prod-web")
    container = ["spec", "template", "spec", "containers", 0]
    assert deployment.obj["spec"]["template"]["spec"]["containers"][0]["args"][2:] == [
        "--first",
        "--second",
    ]
    assert origins.position(deployment, [*container, "args", 2]) == at(kfile, "value: --first")
    assert origins.position(deployment, [*container, "args", 3]) == at(kfile, "value: --second")
    assert origins.position(deployment, [*container, "image"]) == at(kfile, "TAG=nginx")
    labels = ["spec", "template", "metadata", "labels", "team"]
    assert origins.position(deployment, labels) == at(kfile, "team: shop")
    settings = by_kind(objects, "ConfigMap", "prod-settings")
    assert settings.obj["data"] == {"B": "2"}
    assert origins.position(settings, ["data", "B"]) == at(kfile, "B=2")
