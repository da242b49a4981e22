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

variable "argocd_hostname" {
  description = "Host name of this cluster's Argo CD (internal ALB; an ACM certificate for it must exist in the account)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$", var.argocd_hostname))
    error_message = "argocd_hostname must be a DNS name."
  }
}

variable "argocd_high_availability" {
  description = "Run Argo CD highly available (staging and prod)."
  type        = bool

  validation {
    condition     = var.environment == "dev" || var.argocd_high_availability
    error_message = "staging and prod run Argo CD highly available."
  }
}
