variable "repositories" {
  description = "Repository names to create in this account's registry, as the overlays' images: newName uses them (qr-generator/backend, movie-catalog/api-gateway, ...)."
  type        = list(string)

  validation {
    condition     = length(var.repositories) > 0 && alltrue([for r in var.repositories : can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", r))])
    error_message = "repositories must be valid ECR repository names (lowercase path segments separated by /)."
  }
}

variable "keep_tagged_images" {
  description = "How many tagged images each repository keeps; older tagged images expire. Keep enough for every digest an overlay still pins plus rollbacks (seed 000 keeps 5, seed 002 keeps 30)."
  type        = number

  validation {
    condition     = var.keep_tagged_images >= 5 && var.keep_tagged_images <= 1000
    error_message = "keep_tagged_images must be between 5 and 1000."
  }
}

variable "pull_principal_arns" {
  description = "IAM role ARNs of other accounts that may pull from these repositories (the next environment's promotion role copies digests from here)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.pull_principal_arns : can(regex("^arn:aws:iam::[0-9]{12}:role/", arn))])
    error_message = "pull_principal_arns must be IAM role ARNs."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module (the provider's default_tags apply too)."
  type        = map(string)
  default     = {}
}
