variable "name" {
  description = "EKS cluster name; also the prefix of its IAM roles, KMS aliases and log groups."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the cluster (used in KMS and CloudWatch Logs ARNs and service principals)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the managed node group (clusters/<env>/cluster.yaml kubernetesVersion)."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as 1.33."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the cluster runs in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Private subnet IDs for the control-plane ENIs and the managed node group, one per AZ (at least two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must list at least two subnet IDs (subnet-...)."
  }
}

variable "endpoint_public_access" {
  description = "Whether the Kubernetes API endpoint is reachable from the internet (then only from public_access_cidrs). false: reachable from the VPC only, and CI reaches it from runners inside the VPC."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint when endpoint_public_access is true; never 0.0.0.0/0."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be valid CIDRs, and 0.0.0.0/0 is not allowed."
  }
}

variable "node_group" {
  description = "The managed node group for system add-ons (Argo CD, Karpenter, CoreDNS, ...); application capacity comes from Karpenter. ami_type is an AL2023 type."
  type = object({
    instance_types = list(string)
    ami_type       = optional(string, "AL2023_x86_64_STANDARD")
    capacity_type  = optional(string, "ON_DEMAND")
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = optional(number, 50)
  })

  validation {
    condition     = startswith(var.node_group.ami_type, "AL2023_")
    error_message = "node_group.ami_type must be an Amazon Linux 2023 AMI type (AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD, ...)."
  }

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_group.capacity_type)
    error_message = "node_group.capacity_type must be ON_DEMAND or SPOT."
  }

  validation {
    condition     = var.node_group.min_size >= 1 && var.node_group.min_size <= var.node_group.desired_size && var.node_group.desired_size <= var.node_group.max_size
    error_message = "node_group sizes must satisfy 1 <= min_size <= desired_size <= max_size."
  }

  validation {
    condition     = length(var.node_group.instance_types) > 0 && var.node_group.disk_size_gib >= 20
    error_message = "node_group needs at least one instance type and a root volume of at least 20 GiB."
  }
}

variable "addon_versions" {
  description = "Add-on versions to pin, by add-on name (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver). An add-on not listed gets the default version EKS publishes for kubernetes_version."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name, _ in var.addon_versions : contains(["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver"], name)])
    error_message = "addon_versions keys must be vpc-cni, coredns, kube-proxy, eks-pod-identity-agent or aws-ebs-csi-driver."
  }
}

variable "access_entries" {
  description = "IAM principals given Kubernetes access through EKS access entries (authentication_mode API, no aws-auth ConfigMap), by a short name. policy is cluster-admin (AmazonEKSClusterAdminPolicy) or admin-view (AmazonEKSAdminViewPolicy, which reads Secrets too: what a Terraform plan of Helm releases needs)."
  type = map(object({
    principal_arn = string
    policy        = string
  }))
  default = {}

  validation {
    condition     = alltrue([for e in values(var.access_entries) : contains(["cluster-admin", "admin-view"], e.policy) && can(regex("^arn:aws:iam::[0-9]{12}:(role|user)/", e.principal_arn))])
    error_message = "each access entry needs an IAM role or user ARN and policy cluster-admin or admin-view."
  }
}

variable "node_access_roles" {
  description = "IAM roles of nodes not created by this module (Karpenter's node role), by a short name: each joins the cluster through an EC2_LINUX access entry."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.node_access_roles) : can(regex("^arn:aws:iam::[0-9]{12}:role/", arn))])
    error_message = "node_access_roles values must be IAM role ARNs."
  }
}

variable "pod_identities" {
  description = "IAM roles for Kubernetes service accounts through EKS Pod Identity, by a short name: the role trusts pods.eks.amazonaws.com, gets policy_json as its inline policy and managed_policy_arns attached, and is associated with namespace/service_account."
  type = map(object({
    namespace           = string
    service_account     = string
    policy_json         = string
    managed_policy_arns = optional(list(string), [])
  }))
  default = {}

  validation {
    condition     = alltrue([for p in values(var.pod_identities) : can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", p.namespace)) && can(regex("^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$", p.service_account))])
    error_message = "pod_identities namespaces and service accounts must be Kubernetes names."
  }
}

variable "control_plane_log_retention_days" {
  description = "Days the control-plane log group keeps the api, audit, authenticator, controllerManager and scheduler logs (seed 000: 7)."
  type        = number
  default     = 7

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.control_plane_log_retention_days)
    error_message = "control_plane_log_retention_days must be a retention value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ..., 365, ...)."
  }
}

variable "container_log_retention_days" {
  description = "Days the container log groups (Fluent Bit: application, dataplane, host) keep logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.container_log_retention_days)
    error_message = "container_log_retention_days must be a retention value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ..., 365, ...)."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module (the provider's default_tags apply too)."
  type        = map(string)
  default     = {}
}
