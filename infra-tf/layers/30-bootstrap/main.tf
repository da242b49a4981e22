# Argo CD and the root Application of clusters/<env>/: after this apply, git drives the cluster.

locals {
  layer     = "30-bootstrap"
  repo_root = "${path.module}/../../.."
}

data "terraform_remote_state" "compute" {
  backend = "s3"
  config = {
    bucket = local.state_bucket
    key    = "envs/${var.environment}/20-compute/terraform.tfstate"
    region = var.region
  }
}

module "argocd" {
  source = "../../modules/argocd-bootstrap"

  environment             = var.environment
  root_application_file   = "${local.repo_root}/clusters/${var.environment}/bootstrap/root-app.yaml"
  bootstrap_project_files = ["${local.repo_root}/clusters/${var.environment}/projects/platform.yaml"]
  high_availability       = var.argocd_high_availability
  server_hostname         = var.argocd_hostname
}
