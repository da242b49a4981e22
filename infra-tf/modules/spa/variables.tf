variable "name" {
  description = "Name of the application: names the distribution's origin access control and headers policy."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,62}$", var.name))
    error_message = "name must be 2-63 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "bucket_name" {
  description = "Globally unique name of the bucket holding the SPA's build."
  type        = string
}

variable "domain_names" {
  description = "Host names the distribution answers (CNAMEs in the public DNS point at its domain name)."
  type        = list(string)

  validation {
    condition     = length(var.domain_names) > 0 && alltrue([for d in var.domain_names : can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,}$", d))])
    error_message = "domain_names must list at least one DNS name."
  }
}

variable "certificate_arn" {
  description = "ACM certificate in us-east-1 covering domain_names (CloudFront reads certificates from us-east-1 only), created and validated outside Terraform like the Ingress certificates."
  type        = string

  validation {
    condition     = can(regex("^arn:aws:acm:us-east-1:[0-9]{12}:certificate/", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN in us-east-1."
  }
}

variable "web_acl_arn" {
  description = "ARN of the CLOUDFRONT-scope WAF web ACL in front of the distribution (modules/waf)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws:wafv2:us-east-1:[0-9]{12}:global/webacl/", var.web_acl_arn))
    error_message = "web_acl_arn must be the ARN of a CLOUDFRONT-scope (global) WAF web ACL."
  }
}

variable "content_security_policy" {
  description = "Content-Security-Policy header of every response: where the SPA may load scripts, styles and data from (its API's origin in connect-src)."
  type        = string
  default     = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'"
}

variable "price_class" {
  description = "CloudFront price class: which edge locations serve the SPA."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "access_log_bucket" {
  description = "Bucket receiving the SPA bucket's S3 server access logs."
  type        = string
}

variable "force_destroy" {
  description = "Whether terraform destroy may delete the bucket with a build in it (dev only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of the module (the provider's default_tags apply too)."
  type        = map(string)
  default     = {}
}
