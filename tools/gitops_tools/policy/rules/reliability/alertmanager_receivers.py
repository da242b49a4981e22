from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Any

from gitops_tools.findings import Severity
from gitops_tools.k8s import FieldPath
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, environment_rule
from gitops_tools.policy.rules.argocd._argo import is_argo, repo_yaml, sources
from gitops_tools.yamlio import YamlError, load_documents

CONFIG_KEY = "alertmanager.yaml"
HINT = (
    "add a receiver with slack_configs, sns_configs, pagerduty_configs, ... (its URL or key "
    "from a Secret: api_url_file, never inline) and route to it"
)


def _alert_count(rule: Manifest) -> int:
    spec = rule.obj.get("spec")
    groups = spec.get("groups") if isinstance(spec, dict) else None
    return sum(
        1
        for group in (groups if isinstance(groups, list) else [])
        if isinstance(group, dict) and isinstance(group.get("rules"), list)
        for item in group["rules"]
        if isinstance(item, dict) and item.get("alert")
    )


def _delivers(receivers: Any) -> bool:
    """Some receiver has an integration: a non-empty `*_configs` (Alertmanager's file) or
    `*Configs` (AlertmanagerConfig) list. A receiver with a name only drops the alerts."""
    return any(
        isinstance(value, list) and value
        for receiver in (receivers if isinstance(receivers, list) else [])
        if isinstance(receiver, dict)
        for key, value in receiver.items()
        if key.endswith(("_configs", "Configs"))
    )


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Helm's merge of values: maps merge key by key, anything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        old = out.get(key)
        out[key] = (
            _merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
        )
    return out


def _is_values_ref(name: Any) -> bool:
    return isinstance(name, str) and name.startswith("$values/")


def _helm_values(source: dict[str, Any], ctx: Context) -> dict[str, Any] | None:
    """The Helm values of an Application source: its `$values/...` files from this repository
    in order, then `values` and `valuesObject`; None when the source is not Helm."""
    helm = source.get("helm")
    if not isinstance(helm, dict):
        return None
    merged: dict[str, Any] = {}
    files = helm.get("valueFiles")
    for name in files if isinstance(files, list) else []:
        docs = repo_yaml(ctx, name.removeprefix("$values/")) if _is_values_ref(name) else []
        if docs and isinstance(docs[0], dict):
            merged = _merge(merged, docs[0])
    inline = helm.get("values")
    if isinstance(inline, str):
        try:
            docs = load_documents(inline)
        except YamlError:
            docs = []
        if docs and isinstance(docs[0], dict):
            merged = _merge(merged, docs[0])
    if isinstance(helm.get("valuesObject"), dict):
        merged = _merge(merged, helm["valuesObject"])
    return merged


def _secret_config(secret: Manifest) -> tuple[dict[str, Any], FieldPath] | None:
    """The alertmanager.yaml of a Secret (stringData, or base64 data) and its path, or None."""
    for field, encoded in (("stringData", False), ("data", True)):
        block = secret.obj.get(field)
        raw = block.get(CONFIG_KEY) if isinstance(block, dict) else None
        if not isinstance(raw, str):
            continue
        try:
            text = base64.b64decode(raw, validate=True).decode() if encoded else raw
            docs = load_documents(text)
        except (binascii.Error, UnicodeDecodeError, YamlError):
            docs = []
        config = docs[0] if docs and isinstance(docs[0], dict) else {}
        return config, (field, CONFIG_KEY)
    return None


def configurations(ctx: Context) -> Iterator[tuple[Manifest, FieldPath, str, bool]]:
    """Every Alertmanager configuration of the environment: (object, where, what, delivers)."""
    for secret in ctx.index.of_kind("Secret"):
        found = _secret_config(secret) if secret.name.startswith("alertmanager-") else None
        if found is not None:
            config, where = found
            yield (
                secret,
                where,
                f"Secret {secret.name!r} ({CONFIG_KEY})",
                _delivers(config.get("receivers")),
            )
    for amc in ctx.index.of_kind("AlertmanagerConfig"):
        spec = amc.obj.get("spec")
        receivers = spec.get("receivers") if isinstance(spec, dict) else None
        yield amc, ("spec",), f"AlertmanagerConfig {amc.name!r}", _delivers(receivers)
    for app in ctx.index.of_kind("Application"):
        if not is_argo(app):
            continue
        for source, where in sources(app):
            values = _helm_values(source, ctx)
            alertmanager = values.get("alertmanager") if values else None
            if not isinstance(alertmanager, dict) or alertmanager.get("enabled") is False:
                continue
            chart_config = alertmanager.get("config")
            if isinstance(chart_config, dict):
                what = f"Application {app.name!r} (Helm values alertmanager.config)"
                yield app, (*where, "helm"), what, _delivers(chart_config.get("receivers"))


@environment_rule(
    "GO212",
    "alertmanager-receivers",
    "Alerts must reach a receiver",
    Severity.ERROR,
)
def alertmanager_receivers(ctx: Context) -> Iterator[Violation]:
    """When the environment defines alerts (PrometheusRules with `alert:` rules), some
    Alertmanager configuration in it has a receiver that sends somewhere.

    The configurations read: Secrets named `alertmanager-*` holding `alertmanager.yaml`
    (what the kube-prometheus-stack chart renders, or one written by hand), AlertmanagerConfig
    objects, and the Helm values (`alertmanager.config`) of the Argo CD Applications: their
    `$values/...` files from this repository, `values` and `valuesObject`, merged as Helm
    does. A receiver sends somewhere when it has a non-empty `*_configs` (`*Configs` in an
    AlertmanagerConfig) list; the chart's default configuration has only the `null` receiver.

    Why: without a route to a real receiver, every alert fires into nothing: Prometheus
    evaluates the rules, Alertmanager accepts the alerts and drops them, and nobody hears of
    the outage the rules were written for.

    Fix: configure a receiver (Slack, SNS, PagerDuty, e-mail, webhook) whose URL or key comes
    from a Secret (Alertmanager's `api_url_file`, an AlertmanagerConfig's secret reference),
    filled by an ExternalSecret, and make it the route's receiver.

    Bad:
        alertmanager:
          config:
            route: {receiver: "null"}
            receivers: [{name: "null"}]

    Good:
        alertmanager:
          config:
            route: {receiver: slack}
            receivers:
              - name: slack
                slack_configs:
                  - api_url_file: /etc/alertmanager/secrets/alertmanager-slack/webhook-url
          alertmanagerSpec:
            secrets: [alertmanager-slack]
    """
    rules = [
        (rule, count)
        for rule in ctx.index.of_kind("PrometheusRule")
        if (count := _alert_count(rule))
    ]
    if not rules:
        return
    found = list(configurations(ctx))
    if any(delivers for *_, delivers in found):
        return
    for manifest, where, what, _ in found:
        yield Violation(
            manifest,
            where,
            f"{what} configures Alertmanager without a receiver that sends anywhere, while "
            f"{len(rules)} PrometheusRule(s) define alerts: {HINT}",
        )
    if found or not ctx.complete:  # a partial load (--changed-since) cannot conclude "none"
        return
    for rule, count in rules:
        yield Violation(
            rule,
            ("spec", "groups"),
            f"PrometheusRule {rule.name!r} defines {count} alert(s) but no Alertmanager "
            f"configuration in this environment has a receiver (the chart's default drops "
            f"them): {HINT}",
        )
