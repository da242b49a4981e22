output "argocd_server_url" {
  description = "Argo CD URL inside the VPC (the drift workflow's ARGOCD_SERVER_<ENV> variable, without https://)."
  value       = module.argocd.server_url
}

output "root_application" {
  description = "The root Application and the git path it syncs."
  value       = module.argocd.root_application
}

output "argo_cd_chart_version" {
  description = "Installed argo-cd chart version."
  value       = module.argocd.argo_cd_chart_version
}

output "drift_account" {
  description = "Argo CD account whose token the drift workflow uses (argocd account generate-token --account <it>)."
  value       = module.argocd.drift_account
}
