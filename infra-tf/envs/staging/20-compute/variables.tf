# clusters/<env>/cluster.yaml is the source of the account, region and Kubernetes version: the
# tfvars repeat them (a root is readable on its own) and these validations fail any mismatch.
locals {
  cluster_facts = yamldecode(file("${path.module}/../../../../clusters/${var.environment}/cluster.yaml"))
}

variable "environment" {
  description = "Environment this root builds: dev, staging or prod (the directory clusters/<environment>/ describes its cluster)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "account_id" {
  description = "AWS account of the environment (one account per environment, seed 003); the provider refuses credentials of any other account."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }

  validation {
    condition     = var.account_id == local.cluster_facts.aws.accountId
    error_message = "account_id must equal aws.accountId in clusters/<environment>/cluster.yaml."
  }
}

variable "region" {
  description = "AWS region of the environment."
  type        = string

  validation {
    condition     = var.region == local.cluster_facts.aws.region
    error_message = "region must equal aws.region in clusters/<environment>/cluster.yaml."
  }
}

variable "cluster_name" {
  description = "Name of the environment's EKS cluster; also the name prefix of the VPC and of the IAM roles, and the karpenter.sh/discovery tag value."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "state_bucket" {
  description = "The environment account's Terraform state bucket, where this layer reads the outputs of the layers below it (the bucket of backend.tf)."
  type        = string

  validation {
    condition     = var.state_bucket == "gitops-platform-tfstate-${var.account_id}"
    error_message = "state_bucket must be gitops-platform-tfstate-<account_id>, the bucket backend.tf uses."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the cluster."
  type        = string

  validation {
    condition     = var.kubernetes_version == local.cluster_facts.kubernetesVersion
    error_message = "kubernetes_version must equal kubernetesVersion in clusters/<environment>/cluster.yaml."
  }
}

variable "node_group" {
  description = "Size of the managed node group that runs the system add-ons (Argo CD, Karpenter, CoreDNS, ...); applications run on Karpenter's nodes."
  type = object({
    instance_types = list(string)
    ami_type       = optional(string, "AL2023_x86_64_STANDARD")
    min_size       = number
    max_size       = number
    desired_size   = number
  })

  validation {
    condition     = var.environment == "dev" || var.node_group.min_size >= 3
    error_message = "staging and prod keep at least three system nodes, one per AZ (Argo CD's Redis HA needs three)."
  }
}

variable "cluster_admin_role_arns" {
  description = "IAM roles (people's SSO roles, break-glass) with cluster-admin access entries, besides the Terraform apply role."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.cluster_admin_role_arns : can(regex("^arn:aws:iam::[0-9]{12}:role/", arn))])
    error_message = "cluster_admin_role_arns must be IAM role ARNs."
  }
}

variable "terraform_apply_role_name" {
  description = "Role that applies Terraform in this account: cluster-admin access entry, so that 30-bootstrap can install Argo CD."
  type        = string
  default     = "gitops-terraform-apply"
}

variable "terraform_plan_role_name" {
  description = "Read-only role of the drift workflow (global root, github-oidc module): admin-view access entry, so that 30-bootstrap can be planned."
  type        = string
  default     = "gitops-terraform-plan"
}

variable "enable_image_updater" {
  description = "Give Argo CD Image Updater a Pod Identity role that reads this account's ECR (seed 002: dev only)."
  type        = bool
  default     = false

  validation {
    condition     = var.environment == "dev" || !var.enable_image_updater
    error_message = "enable_image_updater may only be true in dev: staging and prod change images through promotion."
  }
}

variable "log_retention_days" {
  description = "Days the control-plane and container log groups keep logs."
  type        = number
  default     = 365

  validation {
    condition     = var.environment != "prod" || var.log_retention_days >= 365
    error_message = "prod keeps cluster logs at least 365 days."
  }
}
