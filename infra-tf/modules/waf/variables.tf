variable "name" {
  description = "Name of the web ACL (also its metric names and its log group aws-waf-logs-<name>)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,100}$", var.name))
    error_message = "name must be 1-100 letters, digits or hyphens."
  }
}

variable "region" {
  description = "AWS region of the provider (us-east-1 for CLOUDFRONT): the region of the log group and its key."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }

  validation {
    condition     = var.scope != "CLOUDFRONT" || var.region == "us-east-1"
    error_message = "a CLOUDFRONT web ACL (and its log group) must be created in us-east-1."
  }
}

variable "description" {
  description = "What the web ACL protects."
  type        = string
}

variable "scope" {
  description = "REGIONAL (an ALB, API Gateway, ...) or CLOUDFRONT (a distribution; the provider must be in us-east-1)."
  type        = string

  validation {
    condition     = contains(["REGIONAL", "CLOUDFRONT"], var.scope)
    error_message = "scope must be REGIONAL or CLOUDFRONT."
  }
}

variable "managed_rule_groups" {
  description = "AWS managed rule groups evaluated after AWSManagedRulesKnownBadInputsRuleSet (Log4Shell and similar, always first), in order. The default covers IPs on Amazon's threat lists and OWASP-style common attacks; add AWSManagedRulesSQLiRuleSet in front of a SQL database."
  type        = list(string)
  default = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
  ]

  validation {
    condition     = length(var.managed_rule_groups) == length(distinct(var.managed_rule_groups)) && alltrue([for g in var.managed_rule_groups : can(regex("^AWSManagedRules[A-Za-z0-9]+$", g))])
    error_message = "managed_rule_groups must name AWS managed rule groups (AWSManagedRules...), each once."
  }
}

variable "rate_limit_per_5_minutes" {
  description = "Requests one client IP may send in any 5 minutes before it is blocked."
  type        = number
  default     = 2000

  validation {
    condition     = var.rate_limit_per_5_minutes >= 100 && var.rate_limit_per_5_minutes <= 2000000000
    error_message = "rate_limit_per_5_minutes must be between 100 and 2,000,000,000 (WAF's bounds)."
  }
}

variable "log_retention_days" {
  description = "Days the WAF log group keeps request logs (a CloudWatch Logs retention value)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ..., 365, ...)."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module (the provider's default_tags apply too)."
  type        = map(string)
  default     = {}
}
