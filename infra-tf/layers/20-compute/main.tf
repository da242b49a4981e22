# The cluster: EKS with its managed node group and add-ons, Karpenter's AWS side, the Pod
# Identity roles of the platform add-ons and workloads, and the cluster's access to the
# databases. Reads the VPC and its private zone (00-network) and the buckets, secrets and
# databases (10-data) from their states.

locals {
  layer = "20-compute"
  iam   = "arn:${data.aws_partition.current.partition}:iam::${var.account_id}"
}

data "aws_partition" "current" {}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = local.state_bucket
    key    = "envs/${var.environment}/00-network/terraform.tfstate"
    region = var.region
  }
}

data "terraform_remote_state" "data" {
  backend = "s3"
  config = {
    bucket = local.state_bucket
    key    = "envs/${var.environment}/10-data/terraform.tfstate"
    region = var.region
  }
}

module "karpenter" {
  source = "../../modules/karpenter"

  cluster_name = var.cluster_name
  region       = var.region
}

module "platform_iam" {
  source = "../../modules/platform-iam"

  cluster_name         = var.cluster_name
  environment          = var.environment
  region               = var.region
  vpc_id               = data.terraform_remote_state.network.outputs.vpc_id
  qr_bucket            = data.terraform_remote_state.data.outputs.qr_bucket
  velero_bucket        = data.terraform_remote_state.data.outputs.velero_bucket
  secrets_kms_key_arn  = data.terraform_remote_state.data.outputs.secrets_kms_key_arn
  private_zone_id      = data.terraform_remote_state.network.outputs.private_zone.id
  enable_image_updater = var.enable_image_updater
}

module "eks" {
  source = "../../modules/eks"

  name               = var.cluster_name
  region             = var.region
  kubernetes_version = var.kubernetes_version
  vpc_id             = data.terraform_remote_state.network.outputs.vpc_id
  subnet_ids         = data.terraform_remote_state.network.outputs.private_subnet_ids
  node_group         = var.node_group

  control_plane_log_retention_days = var.control_plane_log_retention_days
  container_log_retention_days     = var.container_log_retention_days

  access_entries = merge(
    {
      terraform-apply = { principal_arn = "${local.iam}:role/${var.terraform_apply_role_name}", policy = "cluster-admin" }
      terraform-plan  = { principal_arn = "${local.iam}:role/${var.terraform_plan_role_name}", policy = "admin-view" }
    },
    { for arn in var.cluster_admin_role_arns : "admin-${element(split("/", arn), length(split("/", arn)) - 1)}" => { principal_arn = arn, policy = "cluster-admin" } },
  )

  node_access_roles = { karpenter = module.karpenter.node_role_arn }

  pod_identities = merge(
    module.platform_iam.pod_identities,
    {
      karpenter = {
        namespace       = "karpenter"
        service_account = "karpenter"
        policy_json     = module.karpenter.controller_policy_json
      }
    },
  )
}

# innovate's Aurora cluster (10-data) admits the cluster security group, which the managed nodes,
# Karpenter's nodes and so every pod carry; nothing else reaches it.
resource "aws_vpc_security_group_ingress_rule" "innovate_db_from_cluster" {
  security_group_id            = data.terraform_remote_state.data.outputs.innovate_db.security_group_id
  description                  = "PostgreSQL from the pods of EKS cluster ${var.cluster_name}"
  referenced_security_group_id = module.eks.cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}
