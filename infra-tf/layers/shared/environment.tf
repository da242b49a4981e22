# What every layer root shares, kept once and linked into each layers/<layer>/ as
# environment.tf: the AWS provider of the environment's account and the variables that name the
# environment. versions.tf (the pins) and backend.tf (the S3 backend) are linked the same way;
# 30-bootstrap has its own versions.tf, as it adds the Helm provider.
#
# clusters/<env>/cluster.yaml is the source of the account and region: the tfvars repeat them (an
# environment's tfvars read on their own) and these validations fail any mismatch.

locals {
  cluster_facts = yamldecode(file("${path.module}/../../../clusters/${var.environment}/cluster.yaml"))
  state_bucket  = "gitops-platform-tfstate-${var.account_id}" # the backend's bucket: the layers below keep their state there
  repository    = trimsuffix(trimprefix(local.cluster_facts.argocd.repoURL, "https://github.com/"), ".git")
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id] # a plan with credentials of another account fails before it reads anything

  default_tags {
    tags = {
      Environment = var.environment
      Layer       = local.layer
      ManagedBy   = "terraform"
      Repository  = local.repository
    }
  }
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
