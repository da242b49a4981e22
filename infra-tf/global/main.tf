# What the three environments share: their registries, built together because images move
# between them (CI pushes to dev; promotion copies a digest dev -> staging -> prod, following
# promotion.from in clusters/<env>/cluster.yaml), and the GitHub OIDC roles of each account.
# Each environment's registry is in its own account (cluster.yaml registry).

locals {
  tags = {
    Layer      = "global"
    ManagedBy  = "terraform"
    Repository = var.github_repository
  }

  image_role = "gitops-ecr-push"
  plan_role  = "gitops-terraform-plan"
  apply_role = "gitops-terraform-apply"
  state      = { for env, account in var.accounts : env => "gitops-platform-tfstate-${account}" }

  # Token subjects each role admits, by environment: github-oidc.yaml with {env} filled in.
  oidc  = yamldecode(file("${path.module}/github-oidc.yaml"))
  roles = { plan = local.plan_role, apply = local.apply_role, image = local.image_role }
  subjects = {
    for env in keys(var.accounts) : env => {
      for kind, role in local.roles : kind => [for s in local.oidc.roles[role].subjects : replace(s, "{env}", env)]
    }
  }

  repositories = { for env in keys(var.accounts) : env => concat(var.repositories, lookup(var.environment_repositories, env, [])) }
  repository_arns = {
    for env, account in var.accounts : env => [
      for name in local.repositories[env] : "arn:aws:ecr:${var.region}:${account}:repository/${name}"
    ]
  }

  # The global root is planned and applied through prod's roles (prod holds its state), which
  # then assume the same role in each account.
  plan_chain  = ["arn:aws:iam::${var.accounts.prod}:role/${local.plan_role}"]
  apply_chain = concat(["arn:aws:iam::${var.accounts.prod}:role/${local.apply_role}"], var.apply_trusted_role_arns)
}

# CI roles (created first: the registries' policies name the next environment's image role)

module "ci_dev" {
  source    = "../modules/github-oidc"
  providers = { aws = aws.dev }

  github_repository       = var.github_repository
  state_bucket            = local.state.dev
  lock_table              = "terraform-state-lock"
  plan_role_name          = local.plan_role
  apply_role_name         = local.apply_role
  image_role_name         = local.image_role
  subjects                = local.subjects.dev
  push_repository_arns    = local.repository_arns.dev
  plan_trusted_role_arns  = local.plan_chain
  apply_trusted_role_arns = local.apply_chain
}

module "ci_staging" {
  source    = "../modules/github-oidc"
  providers = { aws = aws.staging }

  github_repository        = var.github_repository
  state_bucket             = local.state.staging
  lock_table               = "terraform-state-lock"
  plan_role_name           = local.plan_role
  apply_role_name          = local.apply_role
  image_role_name          = local.image_role
  subjects                 = local.subjects.staging
  push_repository_arns     = local.repository_arns.staging
  pull_repository_arns     = local.repository_arns.dev
  pull_registry_account_id = var.accounts.dev
  plan_trusted_role_arns   = local.plan_chain
  apply_trusted_role_arns  = local.apply_chain
}

module "ci_prod" {
  source    = "../modules/github-oidc"
  providers = { aws = aws.prod }

  github_repository        = var.github_repository
  state_bucket             = local.state.prod
  lock_table               = "terraform-state-lock"
  plan_role_name           = local.plan_role
  apply_role_name          = local.apply_role
  image_role_name          = local.image_role
  subjects                 = local.subjects.prod
  push_repository_arns     = local.repository_arns.prod
  pull_repository_arns     = local.repository_arns.staging
  pull_registry_account_id = var.accounts.staging
  plan_trusted_role_arns   = local.plan_chain
  apply_trusted_role_arns  = local.apply_chain
}

# Registries

module "ecr_dev" {
  source    = "../modules/ecr"
  providers = { aws = aws.dev }

  repositories        = local.repositories.dev
  keep_tagged_images  = var.keep_tagged_images.dev
  pull_principal_arns = [module.ci_staging.image_role_arn] # staging promotes from dev
}

module "ecr_staging" {
  source    = "../modules/ecr"
  providers = { aws = aws.staging }

  repositories        = local.repositories.staging
  keep_tagged_images  = var.keep_tagged_images.staging
  pull_principal_arns = [module.ci_prod.image_role_arn] # prod promotes from staging
}

module "ecr_prod" {
  source    = "../modules/ecr"
  providers = { aws = aws.prod }

  repositories       = local.repositories.prod
  keep_tagged_images = var.keep_tagged_images.prod
}
