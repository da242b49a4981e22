variable "name" {
  description = "Globally unique bucket name (3-63 lowercase letters, digits, hyphens)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be 3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_users" {
  description = "IAM role ARNs of other accounts that may encrypt and decrypt with the bucket's KMS key through S3; roles of this account are granted through their own IAM policies."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.kms_key_users : can(regex("^arn:aws:iam::[0-9]{12}:role/", arn))])
    error_message = "kms_key_users must be IAM role ARNs."
  }
}

variable "key_service_statements" {
  description = "Further statements of the bucket key's policy for service principals that read through S3 (CloudFront's origin access control), in the kms-key module's service_statements shape."
  type = list(object({
    sid                   = string
    principal_type        = string
    principal_identifiers = list(string)
    actions               = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = []
}

variable "lifecycle_rules" {
  description = "Lifecycle rules. Each: id, prefix (\"\" for the whole bucket), optional transition to transition_storage_class after transition_days, optional expiration_days for current versions, noncurrent_expiration_days for old versions (versioning is on), and abort of incomplete multipart uploads after abort_incomplete_days."
  type = list(object({
    id                         = string
    prefix                     = optional(string, "")
    transition_days            = optional(number)
    transition_storage_class   = optional(string, "INTELLIGENT_TIERING")
    expiration_days            = optional(number)
    noncurrent_expiration_days = optional(number, 30)
    abort_incomplete_days      = optional(number, 7)
  }))

  validation {
    condition     = length(var.lifecycle_rules) > 0
    error_message = "lifecycle_rules must hold at least one rule: every bucket of this repository has an expiry or at least a noncurrent-version cleanup."
  }

  validation {
    condition = alltrue([
      for r in var.lifecycle_rules :
      (r.transition_days == null || r.expiration_days == null || try(r.expiration_days > r.transition_days, false))
      && contains(["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], r.transition_storage_class)
    ])
    error_message = "each lifecycle rule must expire after it transitions, to an S3 storage class (STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, ...)."
  }
}

variable "access_logging" {
  description = "Whether the bucket's S3 server access logs go to access_log_bucket; false only for the access log bucket itself."
  type        = bool
  default     = true
}

variable "access_log_bucket" {
  description = "Bucket that receives this bucket's S3 server access logs (under <name>/) when access_logging is true."
  type        = string
  default     = null
}

variable "log_delivery_source_buckets" {
  description = "Only for an access log bucket: ARNs of the buckets whose server access logs S3's logging service may write here."
  type        = list(string)
  default     = []
}

variable "policy_statements" {
  description = "Further bucket policy statements (IAM policy JSON statement objects), appended to the ones denying non-TLS and TLS < 1.2 requests."
  type        = any
  default     = []
}

variable "force_destroy" {
  description = "Whether terraform destroy may delete a non-empty bucket (dev only; never for buckets holding backups)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of the module (the provider's default_tags apply too)."
  type        = map(string)
  default     = {}
}
