# GitHub Actions authenticates to this account with short-lived OIDC tokens (seed 002: no access
# keys): a read-only role for terraform plan (drift detection, plans of pull requests), the role
# that applies Terraform, and a role for pushing images. Each trusts only tokens of one
# repository with one of the subjects given (infra-tf/global/github-oidc.yaml): a job in a
# GitHub environment presents `environment:<name>`, not its branch.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  oidc_host  = "token.actions.githubusercontent.com"

  # The `sub` values each role's trust policy admits.
  trusted_subjects = { for role, subjects in var.subjects : role => [for s in subjects : "repo:${var.github_repository}:${s}"] }
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://${local.oidc_host}"
  client_id_list = ["sts.amazonaws.com"]

  tags = var.tags
}

# One trust policy per role: GitHub's token for this repository, with one of the role's subjects.
data "aws_iam_policy_document" "assume" {
  for_each = {
    plan  = { subjects = local.trusted_subjects.plan, chain = var.plan_trusted_role_arns }
    apply = { subjects = local.trusted_subjects.apply, chain = var.apply_trusted_role_arns }
    image = { subjects = local.trusted_subjects.image, chain = [] }
  }

  statement {
    sid     = "GitHubActions"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = each.value.subjects
    }
  }

  dynamic "statement" {
    for_each = length(each.value.chain) > 0 ? [1] : []
    content {
      sid     = "RoleChain"
      actions = ["sts:AssumeRole"]
      # Account principals narrowed by aws:PrincipalArn: valid before the roles exist, and for a
      # role that assumes itself (the prod roles of the global root).
      principals {
        type        = "AWS"
        identifiers = distinct([for arn in each.value.chain : "arn:${local.partition}:iam::${split(":", arn)[4]}:root"])
      }
      condition {
        test     = "ArnEquals"
        variable = "aws:PrincipalArn"
        values   = each.value.chain
      }
    }
  }
}

# Plan role: AWS's ReadOnlyAccess (which excludes secret values) plus the state lock.

resource "aws_iam_role" "plan" {
  name                 = var.plan_role_name
  description          = "terraform plan from ${var.github_repository} (drift detection): read-only"
  assume_role_policy   = data.aws_iam_policy_document.assume["plan"].json
  max_session_duration = 3600

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.plan.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

data "aws_iam_policy_document" "plan_state_lock" {
  statement {
    sid       = "DynamoDBLock"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = ["arn:${local.partition}:dynamodb:*:${local.account_id}:table/${var.lock_table}"]
  }

  statement {
    sid       = "S3LockFile"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:${local.partition}:s3:::${var.state_bucket}/*.tflock"]
  }
}

resource "aws_iam_role_policy" "plan_state_lock" {
  name   = "terraform-state-lock"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan_state_lock.json
}

# Apply role: what terraform apply needs in this account (everything); the environment's
# protection rules in GitHub (reviewers, main only) guard it.

resource "aws_iam_role" "apply" {
  #checkov:skip=CKV_AWS_274:Terraform creates and changes every kind of resource of the account (IAM roles, KMS keys, EKS), so its role is administrator; who may assume it is the narrow part: GitHub jobs in this environment (required reviewers) and the roles in apply_trusted_role_arns.
  name                 = var.apply_role_name
  description          = "terraform apply from ${var.github_repository}: administrator, environment-protected jobs only"
  assume_role_policy   = data.aws_iam_policy_document.assume["apply"].json
  max_session_duration = 3600

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "apply_administrator" {
  role       = aws_iam_role.apply.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AdministratorAccess"
}

# Image role: push to this account's repositories, pull from the previous environment's.

resource "aws_iam_role" "image" {
  name                 = var.image_role_name
  description          = "Image pushes and promotion copies from ${var.github_repository}"
  assume_role_policy   = data.aws_iam_policy_document.assume["image"].json
  max_session_duration = 3600

  tags = var.tags
}

data "aws_iam_policy_document" "image" {
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"] # has no resource-level permissions
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(var.push_repository_arns) > 0 ? [1] : []
    content {
      sid = "Push"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ]
      resources = var.push_repository_arns
    }
  }

  dynamic "statement" {
    for_each = length(var.pull_repository_arns) > 0 ? [1] : []
    content {
      sid = "PullPreviousEnvironment"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
      ]
      resources = var.pull_repository_arns
    }
  }

  dynamic "statement" {
    for_each = var.pull_registry_account_id == null ? [] : [var.pull_registry_account_id]
    content {
      sid       = "DecryptPreviousEnvironment"
      actions   = ["kms:Decrypt", "kms:DescribeKey"]
      resources = ["arn:${local.partition}:kms:*:${statement.value}:key/*"]
      condition {
        test     = "ForAnyValue:StringEquals"
        variable = "kms:ResourceAliases"
        values   = ["alias/ecr"]
      }
    }
  }
}

resource "aws_iam_role_policy" "image" {
  name   = "ecr"
  role   = aws_iam_role.image.id
  policy = data.aws_iam_policy_document.image.json
}
