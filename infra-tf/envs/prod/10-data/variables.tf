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

variable "secret_recovery_window_days" {
  description = "Days a deleted Secrets Manager secret can still be restored."
  type        = number

  validation {
    condition     = var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30
    error_message = "secret_recovery_window_days must be between 7 and 30."
  }
}

variable "force_destroy_buckets" {
  description = "Whether terraform destroy may delete non-empty buckets (QR codes and access logs; never the Velero backups)."
  type        = bool
  default     = false

  validation {
    condition     = var.environment == "dev" || !var.force_destroy_buckets
    error_message = "force_destroy_buckets may only be true in dev."
  }
}

variable "access_log_retention_days" {
  description = "Days S3 server access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 30
    error_message = "access_log_retention_days must be at least 30."
  }
}
