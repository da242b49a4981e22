from __future__ import annotations

from collections.abc import Iterator

from gitops_tools.findings import Severity
from gitops_tools.manifests import Manifest
from gitops_tools.policy.model import Context, Violation, object_rule


@object_rule(
    "GO110",
    "no-literal-secrets",
    "Secrets must not be committed with their values",
    Severity.ERROR,
    kinds=["Secret"],
)
def no_literal_secrets(m: Manifest, ctx: Context) -> Iterator[Violation]:
    """No Secret carries values in `data` or `stringData`.

    Why: base64 is an encoding, not encryption: a Secret with values in Git publishes
    them to everyone who can read the repository, its forks and its history, and rotating
    them means rewriting that history. Values come from the secret store through an
    ExternalSecret (or from a sealed, encrypted source). A Secret without values (such as a
    `kubernetes.io/service-account-token` Secret that the cluster fills in) is fine.

    Fix: remove the Secret and declare an ExternalSecret whose target has the same name; the
    pods keep referring to the Secret by that name.

    Bad:
        apiVersion: v1
        kind: Secret
        metadata:
          name: db-credentials
        stringData:
          password: hunter2

    Good:
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: db-credentials
        spec:
          secretStoreRef:
            kind: ClusterSecretStore
            name: aws-secrets-manager
          target:
            name: db-credentials
          data:
            - secretKey: password
              remoteRef:
                key: shop/db-credentials
                property: password
    """
    for key in ("data", "stringData"):
        values = m.obj.get(key)
        if not values:
            continue
        keys = sorted(str(k) for k in values) if isinstance(values, dict) else []
        shown = f" ({', '.join(keys)})" if keys else ""
        yield Violation(
            m,
            (key,),
            f"Secret {m.name!r} commits values in {key}{shown}: remove them and create the "
            "Secret from an ExternalSecret or a sealed source",
        )
