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
