# clusters/*/cluster.yaml is the source of accounts, region and repository: the tfvars repeat
# them and these validations fail any mismatch.
locals {
  cluster_facts = {
    for f in fileset("${path.module}/../../clusters", "*/cluster.yaml") :
    dirname(f) => yamldecode(file("${path.module}/../../clusters/${f}"))
  }
}

variable "accounts" {
  description = "AWS account of each environment (one account per environment, seed 003)."
  type = object({
    dev     = string
    staging = string
    prod    = string
  })

  validation {
    condition     = alltrue([for env, account in var.accounts : account == local.cluster_facts[env].aws.accountId])
    error_message = "accounts must equal aws.accountId of clusters/<env>/cluster.yaml for dev, staging and prod."
  }

  validation {
    condition     = alltrue([for env, account in var.accounts : local.cluster_facts[env].registry == "${account}.dkr.ecr.${local.cluster_facts[env].aws.region}.amazonaws.com"])
    error_message = "registry in clusters/<env>/cluster.yaml must be the ECR registry of that environment's account (<account>.dkr.ecr.<region>.amazonaws.com): the registry this root creates."
  }
}

variable "region" {
  description = "AWS region of the registries (every cluster's region)."
  type        = string

  validation {
    condition     = alltrue([for facts in values(local.cluster_facts) : facts.aws.region == var.region])
    error_message = "region must equal aws.region of every clusters/<env>/cluster.yaml."
  }
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows get the CI roles: the repository of the clusters' argocd.repoURL."
  type        = string

  validation {
    condition     = alltrue([for facts in values(local.cluster_facts) : trimsuffix(trimprefix(facts.argocd.repoURL, "https://github.com/"), ".git") == var.github_repository])
    error_message = "github_repository must be the owner/name of argocd.repoURL in every clusters/<env>/cluster.yaml."
  }
}

variable "repositories" {
  description = "Image repositories every environment's registry holds (the overlays' images: newName without the registry)."
  type        = list(string)

  validation {
    condition     = length(var.repositories) == length(distinct(var.repositories))
    error_message = "repositories must not repeat a name."
  }
}

variable "environment_repositories" {
  description = "Further repositories of one environment's registry only, by environment (staging: the Locust image of the in-cluster load test, loadtests/README.md)."
  type        = map(list(string))
  default     = {}

  validation {
    condition     = alltrue([for env in keys(var.environment_repositories) : contains(["dev", "staging", "prod"], env)])
    error_message = "environment_repositories keys must be dev, staging or prod."
  }
}

variable "apply_trusted_role_arns" {
  description = "People's administrator roles (SSO, break-glass) that may assume gitops-terraform-apply in every account, besides the environment-protected GitHub jobs."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.apply_trusted_role_arns : can(regex("^arn:aws:iam::[0-9]{12}:role/", arn))])
    error_message = "apply_trusted_role_arns must be IAM role ARNs."
  }
}

variable "keep_tagged_images" {
  description = "Tagged images each repository keeps, by environment: dev churns (release candidates), prod keeps enough to roll back."
  type = object({
    dev     = number
    staging = number
    prod    = number
  })

  validation {
    condition     = var.keep_tagged_images.prod >= 10
    error_message = "prod keeps at least 10 tagged images per repository, for rollbacks."
  }
}

variable "role_name" {
  description = "Role each provider assumes in its account: gitops-terraform-apply to apply, gitops-terraform-plan for the drift check, null to use the caller's credentials as they are."
  type        = string
  default     = null

  validation {
    condition     = var.role_name == null || contains(["gitops-terraform-apply", "gitops-terraform-plan"], coalesce(var.role_name, "-"))
    error_message = "role_name must be gitops-terraform-apply, gitops-terraform-plan or null."
  }
}
