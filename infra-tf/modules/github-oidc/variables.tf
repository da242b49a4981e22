variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may assume the roles: the repoURL of clusters/<env>/cluster.yaml."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "state_bucket" {
  description = "Name of this account's Terraform state bucket: the plan role reads the state and writes the S3 lock file."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be an S3 bucket name."
  }
}

variable "lock_table" {
  description = "Name of this account's DynamoDB state lock table: the plan role takes and releases the lock."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.lock_table))
    error_message = "lock_table must be a DynamoDB table name."
  }
}

variable "push_repository_arns" {
  description = "ARNs of this account's ECR repositories the image role may push to (CI builds in dev, promotion copies in staging and prod)."
  type        = list(string)
  default     = []
}

variable "pull_repository_arns" {
  description = "ARNs of the previous environment's ECR repositories (another account) the image role may pull from when promoting a digest."
  type        = list(string)
  default     = []
}

variable "pull_registry_account_id" {
  description = "Account of the previous environment's registry, whose KMS key (alias/ecr) the image role may decrypt with when pulling; null in the first environment."
  type        = string
  default     = null

  validation {
    condition     = var.pull_registry_account_id == null || can(regex("^[0-9]{12}$", var.pull_registry_account_id))
    error_message = "pull_registry_account_id must be a 12-digit AWS account ID or null."
  }
}


variable "subjects" {
  description = "Token subjects (after repo:<owner>/<repo>:) each role admits: plan (drift detection on main, plans of pull requests), apply (the environment-protected apply jobs), image (image builds and promotions, which run in a GitHub environment)."
  type = object({
    plan  = list(string)
    apply = list(string)
    image = list(string)
  })

  validation {
    condition     = alltrue([for s in flatten(values(var.subjects)) : can(regex("^(environment:[^:*]+|ref:refs/(heads|tags)/[^:*]+|pull_request)$", s))]) && alltrue([for l in values(var.subjects) : length(l) > 0])
    error_message = "subjects must list, for plan, apply and image, GitHub token subjects after repo:<owner>/<repo>: (environment:<name>, ref:refs/heads/<branch>, ref:refs/tags/<tag> or pull_request), without wildcards."
  }
}

variable "apply_trusted_role_arns" {
  description = "Roles that may assume the apply role too: the prod apply role for the global root's chain into every account, people's administrator roles."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.apply_trusted_role_arns : can(regex("^arn:aws:iam::[0-9]{12}:role/", arn))])
    error_message = "apply_trusted_role_arns must be IAM role ARNs."
  }
}

variable "plan_trusted_role_arns" {
  description = "Roles of other accounts that may assume the plan role too (the global root plans every account through one role chain)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.plan_trusted_role_arns : can(regex("^arn:aws:iam::[0-9]{12}:role/", arn))])
    error_message = "plan_trusted_role_arns must be IAM role ARNs."
  }
}

variable "plan_role_name" {
  description = "Name of the read-only role the drift workflow assumes to run terraform plan."
  type        = string
  default     = "gitops-terraform-plan"
}

variable "apply_role_name" {
  description = "Name of the role that applies Terraform in this account (the apply workflow, the global root's providers, access entry cluster-admin)."
  type        = string
  default     = "gitops-terraform-apply"
}

variable "image_role_name" {
  description = "Name of the role CI assumes to push images (and to copy promoted digests)."
  type        = string
  default     = "gitops-ecr-push"
}

variable "tags" {
  description = "Tags added to every resource of the module (the provider's default_tags apply too)."
  type        = map(string)
  default     = {}
}
