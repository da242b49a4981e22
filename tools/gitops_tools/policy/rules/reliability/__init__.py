"""Reliability and resources: requests/limits, probes, HPAs, PDBs, Services, NetworkPolicies."""

from __future__ import annotations

from gitops_tools.policy.model import Rule
from gitops_tools.policy.rules.reliability.alertmanager_receivers import alertmanager_receivers
from gitops_tools.policy.rules.reliability.default_deny_network_policy import (
    default_deny_network_policy,
)
from gitops_tools.policy.rules.reliability.hpa_metric_requests import hpa_metric_requests
from gitops_tools.policy.rules.reliability.hpa_min_max import hpa_min_max
from gitops_tools.policy.rules.reliability.hpa_target_exists import hpa_target_exists
from gitops_tools.policy.rules.reliability.hpa_target_no_replicas import hpa_target_no_replicas
from gitops_tools.policy.rules.reliability.pdb_coverage import pdb_coverage
from gitops_tools.policy.rules.reliability.probes import probes
from gitops_tools.policy.rules.reliability.references_exist import references_exist
from gitops_tools.policy.rules.reliability.resources_requests_limits import (
    resources_requests_limits,
)
from gitops_tools.policy.rules.reliability.service_selector_matches import (
    service_selector_matches,
)
from gitops_tools.policy.rules.reliability.topology_spread import topology_spread

RULES: list[Rule] = [
    resources_requests_limits,
    probes,
    hpa_target_no_replicas,
    hpa_target_exists,
    hpa_min_max,
    hpa_metric_requests,
    service_selector_matches,
    pdb_coverage,
    default_deny_network_policy,
    references_exist,
    topology_spread,
    alertmanager_receivers,
]
