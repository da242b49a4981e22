variable "alias" {
  description = "Alias of the key, without the alias/ prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]+$", var.alias)) && !startswith(var.alias, "aws/")
    error_message = "alias must be letters, digits, /, _ or - and must not start with aws/."
  }
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "service_statements" {
  description = "Key policy statements besides the account's administration: who else may use the key (a service principal such as logs.<region>.amazonaws.com, or roles of other accounts), with which actions and conditions."
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

  validation {
    condition     = alltrue([for s in var.service_statements : contains(["AWS", "Service"], s.principal_type) && !contains(s.principal_identifiers, "*")])
    error_message = "service_statements principals must be AWS or Service principals, never \"*\"."
  }
}

variable "tags" {
  description = "Tags of the key (the provider's default_tags apply too)."
  type        = map(string)
  default     = {}
}
