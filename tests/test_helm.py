"""Argo CD Helm sources through `gitops check`, with the real helm: charts in git and in chart
repositories (http index on 127.0.0.1, OCI in the local docker-registry), multi-source `$values`,
values.schema.json, findings at chart templates, the not-cached notice, kustomize helmCharts."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitops_tools.charts import ChartRef, cached_chart, store
from gitops_tools.cli import main

from .helm_charts import (
    REPO_URL,
    application,
    chart_repository,
    helm_binary,
    make_repo,
    package,
    write_chart,
)

pytestmark = pytest.mark.integration


def check(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, Any]:
    code = main(["check", "--repo", str(repo), "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def of_rule(report: Any, rule: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule_id"] == rule]


def git_chart_app(values_files: list[str], **helm: object) -> str:
    return application(
        "web",
        [
            {
                "repoURL": REPO_URL,
                "targetRevision": "main",
                "path": "charts/web",
                "helm": {"valueFiles": values_files, **helm},
            },
            {"repoURL": REPO_URL, "targetRevision": "main", "ref": "values"},
        ],
    )


def test_git_chart_with_values_ref_is_rendered_and_policed_at_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", apps={"web": git_chart_app(["$values/env/prod.yaml"])})
    write_chart(repo / "charts/web")
    (repo / "env").mkdir()
    (repo / "env/prod.yaml").write_text("replicas: 2\nprivileged: true\n")
    code, report = check(repo, capsys)
    assert code == 1
    assert report["summary"]["helm_sources"] == {"rendered": 1, "not_cached": 0}
    (privileged,) = of_rule(report, "GO105")
    assert privileged["path"] == "charts/web/templates/deployment.yaml"
    assert (privileged["line"], privileged["column"]) == (21, 13)
    assert privileged["object"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "namespace": "web",  # the destination namespace, as Argo CD applies it
        "name": "web",
    }
    assert "Application 'web'" in privileged["hint"]
    # the values file is what made it privileged: fixed there, the finding goes away
    (repo / "env/prod.yaml").write_text("replicas: 2\nprivileged: false\n")
    code, report = check(repo, capsys)
    assert not of_rule(report, "GO105")


def test_values_typo_is_caught_by_the_chart_schema_at_the_values_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "replicas": {"type": "integer"},
            "image": {"type": "string"},
            "privileged": {"type": "boolean"},
        },
    }
    repo = make_repo(tmp_path / "repo", apps={"web": git_chart_app(["$values/env/prod.yaml"])})
    write_chart(repo / "charts/web", schema=schema)
    (repo / "env").mkdir()
    (repo / "env/prod.yaml").write_text("# prod\nreplicas: 2\nreplicaz: 3\n")
    _, report = check(repo, capsys)
    (typo,) = of_rule(report, "GO011")
    assert (typo["path"], typo["line"], typo["column"]) == ("env/prod.yaml", 3, 1)
    assert typo["message"].endswith("replicaz: unknown field")
    assert report["summary"]["helm_sources"]["rendered"] == 1  # still rendered and checked
    (repo / "env/prod.yaml").write_text("replicas: two\n")
    _code, report = check(repo, capsys)
    (wrong,) = of_rule(report, "GO011")
    assert (wrong["path"], wrong["line"]) == ("env/prod.yaml", 1)
    assert "replicas: 'two' is not of type" in wrong["message"].replace('"', "'")


def test_missing_values_file_is_go006_like_a_missing_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = git_chart_app(["$values/env/common.yaml", "$values/env/qa.yaml"])
    repo = make_repo(tmp_path / "repo", apps={"web": app})
    write_chart(repo / "charts/web")
    (repo / "env").mkdir()
    (repo / "env/common.yaml").write_text("replicas: 2\n")
    code, report = check(repo, capsys)
    assert code == 2
    (missing,) = of_rule(report, "GO006")
    assert missing["path"] == "clusters/prod/apps/web.yaml"
    assert missing["message"] == "values file env/qa.yaml does not exist"
    assert missing["line"] > 0
    # a values file outside the repository is refused, never read
    (repo / "clusters/prod/apps/web.yaml").write_text(git_chart_app(["$values/../../etc/hostname"]))
    code, report = check(repo, capsys)
    (outside,) = of_rule(report, "GO006")
    assert outside["message"] == (
        "values file $values/../../etc/hostname is outside the repository: refused"
    )
    # Argo CD's ignoreMissingValueFiles: then it is no error
    (repo / "clusters/prod/apps/web.yaml").write_text(
        git_chart_app(["$values/env/qa.yaml"], ignoreMissingValueFiles=True)
    )
    code, report = check(repo, capsys)
    assert not of_rule(report, "GO006")


def repository_app(repo_url: str, version: str = "0.1.0", **helm: object) -> str:
    return application(
        "web", [{"repoURL": repo_url, "chart": "web", "targetRevision": version, "helm": helm}]
    )


def test_chart_not_cached_offline_is_one_warning_naming_chart_version_and_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(
        tmp_path / "repo", apps={"web": repository_app("https://charts.example.invalid", "1.2.3")}
    )
    code, report = check(repo, capsys, "--offline")
    assert code == 1  # the Application's own policy findings (project default, ...)
    assert {f["severity"] for f in of_rule(report, "GO009")} == {"warning"}
    (warning,) = of_rule(report, "GO009")
    assert warning["severity"] == "warning"
    assert "web 1.2.3 from https://charts.example.invalid" in warning["message"]
    assert "`gitops charts pull`" in warning["hint"]
    assert (warning["path"], warning["line"]) == ("clusters/prod/apps/web.yaml", 11)
    assert report["summary"]["helm_sources"] == {"rendered": 0, "not_cached": 1}
    main(["check", "--repo", str(repo), "--offline"])
    assert "Helm sources: 0 rendered, 1 not cached" in capsys.readouterr().out


def test_http_chart_repository_is_pulled_then_rendered_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    served = tmp_path / "served"
    package(
        write_chart(tmp_path / "src/web", values="replicas: 3\nimage: x:1\nprivileged: false\n"),
        served,
    )
    with chart_repository(served) as url:
        repo = make_repo(tmp_path / "repo", apps={"web": repository_app(url, releaseName="shop")})
        assert main(["charts", "pull", "--repo", str(repo)]) == 0
        assert "pulled  web 0.1.0" in capsys.readouterr().out
    cached = cached_chart(repo / ".cache", ChartRef(url, "web", "0.1.0"))
    assert cached is not None and (cached / "Chart.yaml").is_file()
    assert json.loads((cached.parent / "chart.json").read_text())["digest"].startswith("sha256:")
    # the server is gone: the cache is enough
    _code, report = check(repo, capsys, "--offline")
    assert report["summary"]["helm_sources"] == {"rendered": 1, "not_cached": 0}
    assert not of_rule(report, "GO009")
    main(["check", "--repo", str(repo), "--offline"])
    out = capsys.readouterr().out
    assert "Deployment 1" in out


@pytest.fixture(scope="session")
def oci_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from .conftest import REPO_ROOT
    from .promote.oci import ensure_registry_binary, start_registry

    why_not = ensure_registry_binary(REPO_ROOT)
    if why_not:
        pytest.skip(f"no docker-registry: {why_not}")
    registry = start_registry(tmp_path_factory.mktemp("helm-oci"))
    yield registry.host
    registry.stop()


def test_oci_chart_pushed_with_helm_is_pulled_by_check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    oci_registry: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITOPS_OFFLINE", raising=False)  # the registry is on 127.0.0.1
    archive = package(write_chart(tmp_path / "src/web", version="2.0.0"), tmp_path / "pkg")
    subprocess.run(
        [helm_binary(), "push", str(archive), f"oci://{oci_registry}/charts", "--plain-http"],
        check=True,
        capture_output=True,
    )
    repo = make_repo(
        tmp_path / "repo", apps={"web": repository_app(f"oci://{oci_registry}/charts", "2.0.0")}
    )
    _, report = check(repo, capsys)  # not cached yet: check pulls it (the network allows)
    assert report["summary"]["helm_sources"] == {"rendered": 1, "not_cached": 0}
    assert cached_chart(repo / ".cache", ChartRef(f"oci://{oci_registry}/charts", "web", "2.0.0"))
    # Argo CD's scheme-less OCI form names the same chart
    (repo / "clusters/prod/apps/web.yaml").write_text(
        repository_app(f"{oci_registry}/charts", "2.0.0")
    )
    _code, report = check(repo, capsys)
    assert report["summary"]["helm_sources"]["rendered"] == 1


def test_release_name_namespace_parameters_and_values_object_reach_the_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = write_chart(tmp_path / "src/web", version="1.0.0")
    ref = ChartRef("https://charts.example.invalid", "web", "1.0.0")
    repo = make_repo(
        tmp_path / "repo",
        apps={
            "web": repository_app(
                ref.repo_url,
                "1.0.0",
                releaseName="shop",
                valuesObject={"replicas": 4, "image": "y:2"},
                parameters=[{"name": "image", "value": "z:3"}],
            )
        },
    )
    store(repo / ".cache", ref, package(chart, tmp_path / "pkg"))
    code = main(["check", "--repo", str(repo), "--offline", "--format", "json"])
    capsys.readouterr()
    rendered = next((repo / ".cache/helm").glob("*.yaml")).read_text()
    assert "name: shop" in rendered and "replicas: 4" in rendered and "image: z:3" in rendered
    assert code in (0, 1)


def test_helm_missing_is_a_clear_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gitops_tools.helm_check.find_helm", lambda cache_dir: None)
    repo = make_repo(tmp_path / "repo", apps={"web": git_chart_app([])})
    write_chart(repo / "charts/web")
    _code, report = check(repo, capsys)
    (warning,) = of_rule(report, "GO009")
    assert "helm is not installed" in warning["message"]
    assert "make setup" in warning["hint"]


def test_kustomize_helm_charts_render_with_the_helm_binary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kust = tmp_path / "kust"
    write_chart(kust / "charts/web", values="replicas: 1\nimage: nginx:1\nprivileged: true\n")
    (kust / "kustomization.yaml").write_text(
        "helmCharts:\n  - name: web\n    releaseName: k\n    namespace: web\n"
        "    valuesInline: {replicas: 2}\n"
    )
    main(["check", "--repo", str(tmp_path), "--format", "json", str(kust)])
    report = json.loads(capsys.readouterr().out)
    assert not of_rule(report, "GO001"), report["findings"]
    assert of_rule(report, "GO105")
    # a chart kustomize would pull from a repository: not fetched offline, a warning
    (kust / "kustomization.yaml").write_text(
        "helmCharts:\n  - name: other\n    repo: https://charts.example.invalid\n"
        "    version: 1.0.0\n"
    )
    main(["check", "--repo", str(tmp_path), "--format", "json", str(kust)])
    report = json.loads(capsys.readouterr().out)
    (warning,) = of_rule(report, "GO009")
    assert "other 1.0.0 (https://charts.example.invalid)" in warning["message"]
    assert "--allow-remote" in warning["hint"]


def test_setup_installs_the_pinned_helm_once(tmp_path: Path) -> None:
    """`make setup`'s helm step: the pinned, checksum-verified helm; a second run is a no-op."""
    from .conftest import REPO_ROOT

    script = REPO_ROOT / "tools/bootstrap/ensure-helm.sh"
    venv = Path(sys.executable).parent.parent
    proc = subprocess.run([str(script), str(venv)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # already installed: nothing downloaded, nothing said
    version = subprocess.run(
        [helm_binary(), "version", "--template", "{{.Version}}"], capture_output=True, text=True
    )
    assert version.stdout == "v3.18.0"
    pinned = [ln for ln in script.read_text().splitlines() if ln.startswith("HELM_SHA256=")]
    assert len(pinned) == 1 and len(pinned[0].split('"')[1]) == 64
