output "namespace" {
  description = "Namespace Argo CD runs in."
  value       = helm_release.argo_cd.namespace
}

output "argo_cd_chart_version" {
  description = "Installed version of the argo-cd chart."
  value       = helm_release.argo_cd.version
}

output "root_application" {
  description = "Name of the root Application (the app-of-apps) and the git path it syncs."
  value = {
    name = local.root_app.metadata.name
    path = local.root_app.spec.source.path
  }
}

output "server_url" {
  description = "URL of the Argo CD API/UI behind the internal ALB (the drift workflow's ARGOCD_SERVER)."
  value       = "https://${var.server_hostname}"
}

output "drift_account" {
  description = "Local account for the drift workflow; create its token once: argocd account generate-token --account <name>."
  value       = var.drift_account
}
