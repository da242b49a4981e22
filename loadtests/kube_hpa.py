"""Read one HorizontalPodAutoscaler and the Deployment it scales, through the official client.

Only two GETs are made (what the Role in k8s/ allows): autoscaling/v2 HPA and apps/v1
Deployment. Every failure becomes one `KubeError` with what went wrong and what to do next.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import urllib3
from kubernetes import client, config
from kubernetes.client.rest import ApiException
from kubernetes.config.config_exception import ConfigException

REQUEST_TIMEOUT = (3.0, 10.0)  # connect, read (seconds)
DEFAULT_SCALE_DOWN_WINDOW = 300.0  # autoscaling/v2 default stabilizationWindowSeconds


class KubeError(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


@dataclass(frozen=True)
class HpaReading:
    """What the HPA and its Deployment say at one moment (None: not reported)."""

    min_replicas: int
    max_replicas: int
    current_replicas: int | None
    desired_replicas: int | None
    ready_replicas: int | None
    cpu_utilization: float | None  # percent of the CPU request, averaged over the pods
    memory_utilization: float | None
    cpu_target: float | None
    memory_target: float | None
    scale_down_window: float  # seconds
    deployment: str
    conditions: str  # the HPA's conditions that are not True, as "Type=False (Reason): message"


def connect(kubeconfig: str | None = None, context: str | None = None) -> client.ApiClient:
    """An API client from the kubeconfig (KUBECONFIG, ~/.kube/config) or the in-cluster token."""
    configuration = client.Configuration()
    try:
        in_cluster = (
            kubeconfig is None and context is None and "KUBERNETES_SERVICE_HOST" in os.environ
        )
        if in_cluster:
            config.load_incluster_config(client_configuration=configuration)
        else:
            config.load_kube_config(
                config_file=kubeconfig, context=context, client_configuration=configuration
            )
    except (ConfigException, OSError, ValueError, TypeError) as exc:
        where = "the in-cluster ServiceAccount" if in_cluster else (kubeconfig or "the kubeconfig")
        raise KubeError(
            f"cannot load Kubernetes credentials from {where}: {exc}",
            "set KUBECONFIG or pass --kubeconfig/--context "
            "(in a pod: mount a ServiceAccount token)",
        ) from None
    configuration.retries = 1
    return client.ApiClient(configuration)


class HpaSource:
    """Reads `namespace/name` on every call to `read()`."""

    def __init__(self, api: client.ApiClient, namespace: str, name: str) -> None:
        self.api, self.namespace, self.name = api, namespace, name
        self.server = api.configuration.host
        self.autoscaling = client.AutoscalingV2Api(api)
        self.apps = client.AppsV1Api(api)

    def read(self) -> HpaReading:
        hpa = self._get(
            lambda **kw: self.autoscaling.read_namespaced_horizontal_pod_autoscaler(
                self.name, self.namespace, **kw
            ),
            f"HorizontalPodAutoscaler {self.namespace}/{self.name}",
        )
        spec, status = hpa.get("spec") or {}, hpa.get("status") or {}
        target = spec.get("scaleTargetRef") or {}
        if target.get("kind") != "Deployment":
            raise KubeError(
                f"HPA {self.namespace}/{self.name} scales a {target.get('kind')}, "
                "the observer reads Deployments only"
            )
        deployment = self._get(
            lambda **kw: self.apps.read_namespaced_deployment(
                str(target.get("name")), self.namespace, **kw
            ),
            f"Deployment {self.namespace}/{target.get('name')} (the HPA's scaleTargetRef)",
        )
        window = ((spec.get("behavior") or {}).get("scaleDown") or {}).get(
            "stabilizationWindowSeconds"
        )
        return HpaReading(
            min_replicas=int(spec.get("minReplicas", 1)),
            max_replicas=int(spec["maxReplicas"]),
            current_replicas=status.get("currentReplicas"),
            desired_replicas=status.get("desiredReplicas"),
            ready_replicas=int((deployment.get("status") or {}).get("readyReplicas") or 0),
            cpu_utilization=_utilization(status.get("currentMetrics"), "cpu", "current"),
            memory_utilization=_utilization(status.get("currentMetrics"), "memory", "current"),
            cpu_target=_utilization(spec.get("metrics"), "cpu", "target"),
            memory_target=_utilization(spec.get("metrics"), "memory", "target"),
            scale_down_window=float(DEFAULT_SCALE_DOWN_WINDOW if window is None else window),
            deployment=str(target.get("name")),
            conditions="; ".join(
                f"{c.get('type')}={c.get('status')} ({c.get('reason')}): {c.get('message', '')}"
                for c in status.get("conditions") or []
                if c.get("status") != "True"
            ),
        )

    def _get(self, request: Callable[..., Any], what: str) -> dict[str, Any]:
        """Raw JSON (no model classes: they reject partial objects and cost time)."""
        try:
            response = request(_preload_content=False, _request_timeout=REQUEST_TIMEOUT)
            data = json.loads(response.data)
        except ApiException as exc:
            raise _api_error(exc, what, self.namespace) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise KubeError(
                f"cannot reach the Kubernetes API at {self.server}: {_short(reason)}",
                "is the cluster up and the kubeconfig context the right one? "
                "(`kubectl get hpa -A` uses the same credentials)",
            ) from None
        except ValueError:
            raise KubeError(
                f"the Kubernetes API at {self.server} sent no JSON for {what}"
            ) from None
        if not isinstance(data, dict):
            raise KubeError(f"the Kubernetes API at {self.server} sent no object for {what}")
        return data


def _api_error(exc: ApiException, what: str, namespace: str) -> KubeError:
    if exc.status == 404:
        return KubeError(
            f"{what} not found",
            "check the namespace and name (LOADTEST_HPA=namespace/name or --namespace/--hpa)",
        )
    if exc.status in (401, 403):
        return KubeError(
            f"the Kubernetes API refused to read {what} ({exc.status} {exc.reason})",
            "the identity needs get on horizontalpodautoscalers and deployments in namespace "
            f"{namespace}: apply the Role and RoleBinding in loadtests/k8s/",
        )
    return KubeError(f"the Kubernetes API answered {exc.status} {exc.reason} for {what}")


def _utilization(metrics: Any, resource: str, field: str) -> float | None:
    """averageUtilization of a Resource metric, from spec.metrics or status.currentMetrics."""
    for metric in metrics or []:
        body = metric.get("resource") or metric.get("containerResource") or {}
        if body.get("name") == resource:
            value = (body.get(field) or {}).get("averageUtilization")
            return None if value is None else float(value)
    return None


def _short(reason: Any) -> str:
    text = str(reason)
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused"
    if "timed out" in text.lower():
        return "timed out"
    return text.split(": ", 1)[-1][:200]
