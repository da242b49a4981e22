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

variable "vpc_cidr" {
  description = "IPv4 /16 of the environment's VPC; distinct per environment so that VPCs can be peered later."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && endswith(var.vpc_cidr, "/16")
    error_message = "vpc_cidr must be a valid IPv4 /16 CIDR."
  }
}

variable "availability_zones" {
  description = "The three availability zones the subnets span."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 3 && alltrue([for az in var.availability_zones : startswith(az, var.region)])
    error_message = "availability_zones must list three zones of the region."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for the whole VPC (dev: cost) instead of one per AZ (staging, prod: an AZ outage does not cut the others' outbound traffic)."
  type        = bool

  validation {
    condition     = var.environment == "dev" || !var.single_nat_gateway
    error_message = "single_nat_gateway may only be true in dev: staging and prod keep a NAT gateway per AZ."
  }
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints (suffix of com.amazonaws.<region>.); each costs about 7 USD/month per AZ."
  type        = list(string)

  validation {
    condition     = length(setsubtract(["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager"], var.interface_endpoints)) == 0
    error_message = "interface_endpoints must include at least ecr.api, ecr.dkr, sts, logs and secretsmanager (seed 003)."
  }
}

variable "flow_log_retention_days" {
  description = "Days the VPC flow logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.environment != "prod" || var.flow_log_retention_days >= 365
    error_message = "prod keeps flow logs at least 365 days."
  }
}
