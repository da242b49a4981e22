"""`policies/config.yaml` (profiles: which rules run, how severe, settings) and
`policies/exemptions.yaml` (reasoned, owned, dated exceptions), checked with breadcrumbs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from gitops_tools.configfile import load_checked
from gitops_tools.errors import FatalError
from gitops_tools.findings import Severity
from gitops_tools.yamlio import load_documents, locate

CONFIG_FILE = Path("policies/config.yaml")
EXEMPTIONS_FILE = Path("policies/exemptions.yaml")
DEFAULT_SETTINGS: dict[str, Any] = {
    "allowedRegistries": [],
    "requireDigest": False,
    "requireCpuLimit": False,
    "requireTopologySpread": False,
    "forbidLatestTag": True,
    "requireNetworkPolicy": True,
    "maxSyncWaveForPlatform": 0,
    "minSyncWaveForWorkloads": 1,
    "overlayGlob": "apps/*/*/overlays/{env}",
}


@dataclass(frozen=True)
class Profile:
    """One environment profile: rule severities (None = off) and settings."""

    name: str
    severities: Mapping[str, Severity | None] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))

    def severity(self, rule_id: str, default: Severity) -> Severity | None:
        return self.severities.get(rule_id, default)

    def setting(self, key: str) -> Any:
        return self.settings.get(key, DEFAULT_SETTINGS.get(key))


@dataclass(frozen=True)
class Exemption:
    rule: str
    target: Mapping[str, str]
    reason: str
    owner: str
    expires: dt.date
    line: int

    def matches(self, rule_id: str, env: str, kind: str, namespace: str, name: str) -> bool:
        actual = {"env": env, "kind": kind, "namespace": namespace, "name": name}
        return rule_id == self.rule and all(actual[k] == v for k, v in self.target.items())


@dataclass(frozen=True)
class PolicyConfig:
    profiles: Mapping[str, Profile]
    exemptions: tuple[Exemption, ...] = ()
    exemptions_path: Path | None = None

    def profile(self, name: str) -> Profile:
        if name not in self.profiles:
            raise FatalError(
                f"policy profile {name!r} is not defined in {CONFIG_FILE}",
                f"defined profiles: {', '.join(sorted(self.profiles)) or 'none'}",
            )
        return self.profiles[name]


def load_policy_config(repo_root: Path) -> PolicyConfig:
    """The repository's policy configuration, or the built-in defaults when it has none."""
    config_path = repo_root / CONFIG_FILE
    if config_path.is_file():
        data, _ = load_checked(config_path, str(CONFIG_FILE), "policy-config.schema.json")
    else:
        text = resources.files("gitops_tools").joinpath("schemas/default-policy.yaml").read_text()
        data = load_documents(text)[0]
    data = data or {}
    base = DEFAULT_SETTINGS | (data.get("settings") or {})
    profiles = {
        name: Profile(
            name,
            {
                rule: None if level in ("off", False) else Severity.parse(level)
                for rule, level in (spec.get("rules") or {}).items()
            },
            base | (spec.get("settings") or {}),
        )
        for name, spec in (data.get("profiles") or {}).items()
    }
    exemptions_path = repo_root / EXEMPTIONS_FILE
    exemptions = load_exemptions(exemptions_path) if exemptions_path.is_file() else ()
    return PolicyConfig(profiles, exemptions, exemptions_path if exemptions else None)


def load_exemptions(path: Path) -> tuple[Exemption, ...]:
    data, text = load_checked(path, str(EXEMPTIONS_FILE), "exemptions.schema.json")
    out = []
    for index, item in enumerate(data or []):
        line, _ = locate(text, 0, [index])
        try:
            expires = dt.date.fromisoformat(item["expires"])
        except ValueError:
            at, _ = locate(text, 0, [index, "expires"])
            raise FatalError(
                f"{EXEMPTIONS_FILE}:{at}: [{index}].expires: {item['expires']!r} is not a real date"
            ) from None
        out.append(
            Exemption(item["rule"], item["target"], item["reason"], item["owner"], expires, line)
        )
    return tuple(out)
