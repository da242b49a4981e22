variable "cluster_name" {
  description = "Name of the EKS cluster the add-ons run in (scopes the Fluent Bit log groups and the load balancer controller's tags)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name; External Secrets may read the Secrets Manager secrets under <environment>/ only."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "region" {
  description = "AWS region of the cluster and its resources."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "vpc_id" {
  description = "ID of the cluster's VPC: the load balancer controller may create security groups in it only."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "qr_bucket" {
  description = "The QR-code bucket (seed 000) and its KMS key: the qr-generator backend writes objects and presigns reads."
  type = object({
    arn         = string
    kms_key_arn = string
  })
}

variable "velero_bucket" {
  description = "The Velero backup bucket and its KMS key."
  type = object({
    arn         = string
    kms_key_arn = string
  })
}

variable "secrets_kms_key_arn" {
  description = "ARN of the KMS key encrypting this environment's Secrets Manager secrets (External Secrets decrypts through Secrets Manager)."
  type        = string
}

variable "private_zone_id" {
  description = "ID of the VPC's Route53 private hosted zone: the only zone external-dns may change."
  type        = string

  validation {
    condition     = can(regex("^Z[A-Z0-9]+$", var.private_zone_id))
    error_message = "private_zone_id must be a Route53 hosted zone ID (Z...)."
  }
}

variable "enable_image_updater" {
  description = "Whether Argo CD Image Updater gets a role to list this account's ECR images (seed 002: dev only)."
  type        = bool
  default     = false
}

variable "service_accounts" {
  description = "Namespace and service account name of each add-on identity, by identity key. Must match the ServiceAccounts in apps/platform/ and apps/workloads/."
  type = map(object({
    namespace       = string
    service_account = string
  }))
  default = {
    qr-backend                   = { namespace = "qr-generator", service_account = "backend-service-account" }
    aws-load-balancer-controller = { namespace = "aws-load-balancer-controller", service_account = "aws-load-balancer-controller" }
    external-secrets             = { namespace = "external-secrets", service_account = "external-secrets" }
    velero                       = { namespace = "velero", service_account = "velero-server" }
    fluent-bit                   = { namespace = "amazon-cloudwatch", service_account = "fluent-bit" }
    external-dns                 = { namespace = "external-dns", service_account = "external-dns" }
    argocd-image-updater         = { namespace = "argocd", service_account = "argocd-image-updater" }
  }

  validation {
    condition     = alltrue([for k in ["qr-backend", "aws-load-balancer-controller", "external-secrets", "velero", "fluent-bit", "external-dns", "argocd-image-updater"] : contains(keys(var.service_accounts), k)])
    error_message = "service_accounts must name qr-backend, aws-load-balancer-controller, external-secrets, velero, fluent-bit, external-dns and argocd-image-updater."
  }
}
