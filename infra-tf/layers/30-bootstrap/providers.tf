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
