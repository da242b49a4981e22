"""Pod security: the Pod Security Standards `restricted` profile, rule by rule."""

from __future__ import annotations

from gitops_tools.policy.rules.security.drop_all_capabilities import drop_all_capabilities
from gitops_tools.policy.rules.security.namespace_pod_security_labels import (
    namespace_pod_security_labels,
)
from gitops_tools.policy.rules.security.no_host_namespaces import no_host_namespaces
from gitops_tools.policy.rules.security.no_host_path_volumes import no_host_path_volumes
from gitops_tools.policy.rules.security.no_literal_secrets import no_literal_secrets
from gitops_tools.policy.rules.security.no_privilege_escalation import no_privilege_escalation
from gitops_tools.policy.rules.security.no_privileged_containers import (
    no_privileged_containers,
)
from gitops_tools.policy.rules.security.read_only_root_filesystem import (
    read_only_root_filesystem,
)
from gitops_tools.policy.rules.security.run_as_non_root import run_as_non_root
from gitops_tools.policy.rules.security.seccomp_runtime_default import seccomp_runtime_default

RULES = [
    run_as_non_root,
    no_privilege_escalation,
    read_only_root_filesystem,
    drop_all_capabilities,
    no_privileged_containers,
    no_host_namespaces,
    no_host_path_volumes,
    seccomp_runtime_default,
    namespace_pod_security_labels,
    no_literal_secrets,
]
