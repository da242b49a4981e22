provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id] # a plan with credentials of another account fails before it reads anything

  default_tags {
    tags = {
      Environment = var.environment
      Layer       = local.layer
      ManagedBy   = "terraform"
      Repository  = "example-org/gitops-platform"
    }
  }
}

# A short-lived token for the API, never written to the state or the plan.
ephemeral "aws_eks_cluster_auth" "this" {
  name = var.cluster_name
}

# The API endpoint is private: plan and apply this layer from inside the VPC (infra-tf/README.md).
provider "helm" {
  kubernetes = {
    host                   = data.terraform_remote_state.compute.outputs.cluster_endpoint
    cluster_ca_certificate = base64decode(data.terraform_remote_state.compute.outputs.cluster_certificate_authority_data)
    token                  = ephemeral.aws_eks_cluster_auth.this.token
  }
}
