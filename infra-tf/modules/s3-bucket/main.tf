# A private S3 bucket as every bucket of this repository is built (seed 000): all public access
# blocked, ACLs disabled, versioning, SSE-KMS with a key of its own and an S3 Bucket Key (seed 000
# uses AES256; a customer managed key adds key-policy control and CloudTrail records of every
# decrypt, and the Bucket Key keeps KMS requests low), TLS-only bucket policy, server access
# logs, lifecycle rules, object events on EventBridge.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Single-region by design: QR codes are a regenerable 90-day cache, access logs are audit data kept in-region, Velero backups guard against losing a cluster, not a region. A DR region (seed 003 cross-region copies) is a separate decision, listed as a known gap in infra-tf/README.md.
  bucket        = var.name
  force_destroy = var.force_destroy

  tags = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

# Encryption

module "key" {
  source = "../kms-key"

  alias       = "s3-${var.name}"
  description = "Default encryption of S3 bucket ${var.name}"
  service_statements = concat(
    length(var.kms_key_users) == 0 ? [] : [{
      sid                   = "UseThroughS3"
      principal_type        = "AWS"
      principal_identifiers = var.kms_key_users
      actions               = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
      conditions = [{
        test     = "StringLike"
        variable = "kms:ViaService"
        values   = ["s3.*.amazonaws.com"]
      }]
    }],
    # S3 server access logs are written by the logging service, which needs the key of an SSE-KMS target.
    length(var.log_delivery_source_buckets) == 0 ? [] : [{
      sid                   = "S3ServerAccessLogsDelivery"
      principal_type        = "Service"
      principal_identifiers = ["logging.s3.amazonaws.com"]
      actions               = ["kms:GenerateDataKey*", "kms:Encrypt"]
      conditions = [{
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }]
    }],
    var.key_service_statements,
  )
  tags = var.tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.key.arn
    }
    bucket_key_enabled = true
  }
}

# Access logs, lifecycle, events

resource "aws_s3_bucket_logging" "this" {
  count = var.access_logging ? 1 : 0

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket
  target_prefix = "${var.name}/"

  lifecycle {
    precondition {
      condition     = var.access_log_bucket != null
      error_message = "access_log_bucket must be set when access_logging is true."
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  #checkov:skip=CKV_AWS_300:Every rule below aborts incomplete multipart uploads (abort_incomplete_days, default 7); checkov loses the value when this module is called from another module (modules/spa).
  bucket = aws_s3_bucket.this.id

  dynamic "rule" {
    for_each = var.lifecycle_rules
    content {
      id     = rule.value.id
      status = "Enabled"

      filter {
        prefix = rule.value.prefix
      }

      dynamic "transition" {
        for_each = rule.value.transition_days == null ? [] : [1]
        content {
          days          = rule.value.transition_days
          storage_class = rule.value.transition_storage_class
        }
      }

      dynamic "expiration" {
        for_each = rule.value.expiration_days == null ? [] : [1]
        content {
          days = rule.value.expiration_days
        }
      }

      noncurrent_version_expiration {
        noncurrent_days = rule.value.noncurrent_expiration_days
      }

      abort_incomplete_multipart_upload {
        days_after_initiation = rule.value.abort_incomplete_days
      }
    }
  }

  # A lifecycle change must not race the versioning change it depends on.
  depends_on = [aws_s3_bucket_versioning.this]
}

# Object events go to EventBridge, where rules (alerts, audits) can subscribe without touching the bucket.
resource "aws_s3_bucket_notification" "this" {
  bucket      = aws_s3_bucket.this.id
  eventbridge = true
}

# Bucket policy: TLS only (seed 000: aws:SecureTransport), TLS 1.2 at least, plus the caller's statements.

data "aws_iam_policy_document" "bucket" {
  source_policy_documents = length(var.policy_statements) > 0 ? [jsonencode({ Version = "2012-10-17", Statement = var.policy_statements })] : []

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid     = "DenyOutdatedTLS"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }

  dynamic "statement" {
    for_each = length(var.log_delivery_source_buckets) > 0 ? [1] : []
    content {
      sid       = "S3ServerAccessLogsDelivery"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this.arn}/*"]
      principals {
        type        = "Service"
        identifiers = ["logging.s3.amazonaws.com"]
      }
      condition {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = var.log_delivery_source_buckets
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # S3 rejects a bucket policy while the public access block is being changed.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
