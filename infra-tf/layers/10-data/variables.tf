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

variable "enable_image_updater" {
  description = "Create the secret of Argo CD Image Updater's git write-back (seed 002: dev only, as in 20-compute)."
  type        = bool
  default     = false

  validation {
    condition     = var.environment == "dev" || !var.enable_image_updater
    error_message = "enable_image_updater may only be true in dev: staging and prod change images through promotion."
  }
}

variable "innovate_db" {
  description = "Capacity of innovate's Aurora Serverless v2 cluster: ACU range, instances (writer plus readers) and days of continuous backups."
  type = object({
    min_capacity          = number
    max_capacity          = number
    instances             = number
    backup_retention_days = number
  })

  validation {
    condition     = var.environment != "prod" || (var.innovate_db.instances >= 2 && var.innovate_db.backup_retention_days >= 14)
    error_message = "prod runs a reader beside the writer (instances >= 2, another AZ) and keeps at least 14 days of backups."
  }
}

variable "innovate_spa" {
  description = "innovate's SPA: host names of its CloudFront distribution, their ACM certificate (us-east-1) and the API host its pages call (the CSP's connect-src)."
  type = object({
    domain_names    = list(string)
    certificate_arn = string
    api_host        = string
  })
}
