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

variable "control_plane_log_retention_days" {
  description = "Days the control-plane log group keeps the api, audit, authenticator, controllerManager and scheduler logs (seed 000: 7 days, for cost)."
  type        = number
  default     = 7
}

variable "container_log_retention_days" {
  description = "Days the container log groups (Fluent Bit) keep logs."
  type        = number
  default     = 365

  validation {
    condition     = var.environment != "prod" || var.container_log_retention_days >= 365
    error_message = "prod keeps container logs at least 365 days."
  }
}
