# One provider per environment account. With role_name set (CI), each assumes that role in its
# account; without it, the caller's credentials must already be valid in all three (an admin's
# first apply, before the roles exist).

provider "aws" {
  alias               = "dev"
  region              = var.region
  allowed_account_ids = [var.accounts.dev]

  dynamic "assume_role" {
    for_each = var.role_name == null ? [] : [var.role_name]
    content {
      role_arn     = "arn:aws:iam::${var.accounts.dev}:role/${assume_role.value}"
      session_name = "gitops-global"
    }
  }

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias               = "staging"
  region              = var.region
  allowed_account_ids = [var.accounts.staging]

  dynamic "assume_role" {
    for_each = var.role_name == null ? [] : [var.role_name]
    content {
      role_arn     = "arn:aws:iam::${var.accounts.staging}:role/${assume_role.value}"
      session_name = "gitops-global"
    }
  }

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias               = "prod"
  region              = var.region
  allowed_account_ids = [var.accounts.prod]

  dynamic "assume_role" {
    for_each = var.role_name == null ? [] : [var.role_name]
    content {
      role_arn     = "arn:aws:iam::${var.accounts.prod}:role/${assume_role.value}"
      session_name = "gitops-global"
    }
  }

  default_tags {
    tags = local.tags
  }
}
