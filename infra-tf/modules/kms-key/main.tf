# A customer managed KMS key with yearly rotation and an explicit key policy: the account
# administers it through IAM (AWS's default key policy), and the given services or roles use it.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:This document is a KMS key policy, not an identity policy: its "*" resource means this key only, and kms:* goes to the account root, which is AWS's default key policy (administration delegated to IAM).
  #checkov:skip=CKV_AWS_111:This document is a KMS key policy, not an identity policy: its "*" resource means this key only, and kms:* goes to the account root, which is AWS's default key policy (administration delegated to IAM).
  #checkov:skip=CKV_AWS_356:This document is a KMS key policy, not an identity policy: in a key policy the only valid resource is "*", meaning this key.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = var.service_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = ["*"]
      principals {
        type        = statement.value.principal_type
        identifiers = statement.value.principal_identifiers
      }
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
