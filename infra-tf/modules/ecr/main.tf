# One account's container registry: a repository per image, each scanned on push, with
# immutable tags (a tag always names the same digest, so promotion by digest stays true),
# encrypted with the registry's KMS key, and a lifecycle policy keeping the last N tagged images.

data "aws_caller_identity" "current" {}

# Pulling an encrypted image layer from another account needs decrypt on the registry's key.
module "key" {
  source = "../kms-key"

  alias       = "ecr"
  description = "ECR repositories of account ${data.aws_caller_identity.current.account_id}"
  service_statements = length(var.pull_principal_arns) == 0 ? [] : [{
    sid                   = "CrossAccountPullDecrypt"
    principal_type        = "AWS"
    principal_identifiers = var.pull_principal_arns
    actions               = ["kms:Decrypt", "kms:DescribeKey"]
    conditions = [{
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["ecr.*.amazonaws.com"]
    }]
  }]
  tags = var.tags
}

resource "aws_ecr_repository" "this" {
  for_each = toset(var.repositories)

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.key.arn
  }

  tags = var.tags
}

# Only tagged images are counted and expired: the per-platform manifests of a multi-arch image
# (amd64 + Graviton arm64) are untagged children of its tagged index, and expiring "untagged"
# images would delete them from under an image a cluster still runs.
resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last ${var.keep_tagged_images} tagged images"
      selection = {
        tagStatus      = "tagged"
        tagPatternList = ["*"]
        countType      = "imageCountMoreThan"
        countNumber    = var.keep_tagged_images
      }
      action = { type = "expire" }
    }]
  })
}

data "aws_iam_policy_document" "cross_account_pull" {
  count = length(var.pull_principal_arns) > 0 ? 1 : 0

  statement {
    sid = "PromotionPull"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
    ]
    principals {
      type        = "AWS"
      identifiers = var.pull_principal_arns
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  for_each = length(var.pull_principal_arns) > 0 ? aws_ecr_repository.this : {}

  repository = each.value.name
  policy     = data.aws_iam_policy_document.cross_account_pull[0].json
}
