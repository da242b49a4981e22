variable "environment" {
  description = "Environment name (dev, staging, prod); picks the cluster's files under clusters/<environment>/."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "namespace" {
  description = "Namespace Argo CD is installed into; the root Application and the AppProjects live there too."
  type        = string
  default     = "argocd"
}

variable "argo_cd_chart_version" {
  description = "Version of the argo-cd Helm chart (argoproj/argo-helm), pinned; upgrades are a reviewed change of this value."
  type        = string
  default     = "9.4.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.argo_cd_chart_version))
    error_message = "argo_cd_chart_version must be an exact version (x.y.z), never a range or latest."
  }
}

variable "argocd_apps_chart_version" {
  description = "Version of the argocd-apps Helm chart (argoproj/argo-helm) that creates the bootstrap AppProject and the root Application, pinned."
  type        = string
  default     = "2.0.2"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.argocd_apps_chart_version))
    error_message = "argocd_apps_chart_version must be an exact version (x.y.z), never a range or latest."
  }
}

variable "root_application_file" {
  description = "Path of the cluster's root Application manifest (clusters/<env>/bootstrap/root-app.yaml): the single source of the app-of-apps, read here rather than copied."
  type        = string
}

variable "bootstrap_project_files" {
  description = "Paths of the AppProject manifests the root Application needs before its first sync (its own project, clusters/<env>/projects/platform.yaml); Argo CD takes them over from git afterwards."
  type        = list(string)
}

variable "high_availability" {
  description = "Run Argo CD highly available (Redis HA, two replicas of server, repo-server and ApplicationSet controller): staging and prod."
  type        = bool
  default     = false
}

variable "server_hostname" {
  description = "Host name of the Argo CD UI/API, served by an internal ALB (TLS from an ACM certificate found by host name); the drift workflow's argocd CLI connects here from inside the VPC."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$", var.server_hostname))
    error_message = "server_hostname must be a DNS name such as argocd.dev.example.com."
  }
}

variable "drift_account" {
  description = "Name of the local Argo CD account (API key only, role:readonly) whose token the drift workflow logs in with."
  type        = string
  default     = "drift"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.drift_account))
    error_message = "drift_account must be lowercase letters, digits and hyphens."
  }
}
