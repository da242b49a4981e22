# The EKS control plane: private API endpoint, access entries instead of the aws-auth ConfigMap
# (authentication_mode API), Kubernetes Secrets envelope-encrypted with a KMS key of this
# module, and every control-plane log type in CloudWatch Logs.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  log_types  = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
}

# Kubernetes Secrets encryption

module "secrets_key" {
  source = "../kms-key"

  alias       = "${var.name}-eks-secrets"
  description = "Envelope encryption of Kubernetes Secrets in EKS cluster ${var.name}"
  tags        = var.tags
}

# Control-plane logs

module "logs_key" {
  source = "../kms-key"

  alias       = "${var.name}-eks-logs"
  description = "CloudWatch log groups of EKS cluster ${var.name} (control plane and container logs)"
  service_statements = [{
    sid                   = "CloudWatchLogsUsesKey"
    principal_type        = "Service"
    principal_identifiers = ["logs.${var.region}.amazonaws.com"]
    actions               = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    conditions = [{
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/eks/${var.name}/*",
        "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/containerinsights/${var.name}/*",
      ]
    }]
  }]
  tags = var.tags
}

# EKS writes to this group; creating it first sets retention and encryption instead of EKS's defaults.
resource "aws_cloudwatch_log_group" "cluster" {
  #checkov:skip=CKV_AWS_338:Seed 000 keeps control-plane logs 7 days for cost (control_plane_log_retention_days, per environment); who changed what in AWS stays in CloudTrail, and a longer audit trail is one tfvars value.
  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.control_plane_log_retention_days
  kms_key_id        = module.logs_key.arn

  tags = var.tags
}

# Container logs (seeds 000/003/004): Fluent Bit writes application, dataplane and host logs here
# (the Container Insights layout); created by Terraform so that retention and encryption are set.
resource "aws_cloudwatch_log_group" "container" {
  for_each = toset(["application", "dataplane", "host"])

  name              = "/aws/containerinsights/${var.name}/${each.value}"
  retention_in_days = var.container_log_retention_days
  kms_key_id        = module.logs_key.arn

  tags = var.tags
}

# Cluster role

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${var.name}-eks-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

data "aws_iam_policy_document" "cluster_encryption" {
  statement {
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
    resources = [module.secrets_key.arn]
  }
}

resource "aws_iam_role_policy" "cluster_encryption" {
  name   = "secrets-encryption"
  role   = aws_iam_role.cluster.id
  policy = data.aws_iam_policy_document.cluster_encryption.json
}

# Cluster

resource "aws_eks_cluster" "this" {
  name     = var.name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn

  # vpc-cni, kube-proxy and CoreDNS come as managed add-ons below (versioned, updatable by Terraform).
  bootstrap_self_managed_addons = false
  enabled_cluster_log_types     = local.log_types

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false # admins are the access_entries, reviewed in git
  }

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
    public_access_cidrs     = var.endpoint_public_access ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = module.secrets_key.arn
    }
  }

  # Standard support only: a version past it fails the upgrade plan instead of paying extended support.
  upgrade_policy {
    support_type = "STANDARD"
  }

  tags = var.tags

  depends_on = [
    aws_cloudwatch_log_group.cluster,
    aws_iam_role_policy_attachment.cluster,
    aws_iam_role_policy.cluster_encryption,
  ]
}

# Karpenter finds the security group for the nodes it launches by this tag (EC2NodeClass
# securityGroupSelectorTerms); the private subnets carry the same tag from the network module.
resource "aws_ec2_tag" "cluster_security_group_discovery" {
  resource_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  key         = "karpenter.sh/discovery"
  value       = var.name
}
