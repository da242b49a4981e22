# The IAM policies of the platform add-ons and workloads that call AWS, as Pod Identity entries
# for the eks module: each one scoped to this account, region, cluster and the resources it
# uses. No resources here, only policy documents.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  ec2        = "arn:${local.partition}:ec2:${var.region}:${local.account_id}"
  elb        = "arn:${local.partition}:elasticloadbalancing:${var.region}:${local.account_id}"
  log_groups = "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/containerinsights/${var.cluster_name}"
}

# qr-generator backend (seed 000): upload QR codes, presign GETs, HEAD before PUT.
data "aws_iam_policy_document" "qr_backend" {
  statement {
    sid       = "Objects"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.qr_bucket.arn}/*"]
  }

  statement {
    sid       = "ListForNotFound" # HEAD on a missing key answers 404 instead of 403
    actions   = ["s3:ListBucket"]
    resources = [var.qr_bucket.arn]
  }

  statement {
    sid       = "BucketKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.qr_bucket.kms_key_arn]
  }
}

# External Secrets Operator: read this environment's secrets (<env>/...) only.
data "aws_iam_policy_document" "external_secrets" {
  statement {
    sid = "ReadEnvironmentSecrets"
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetResourcePolicy",
      "secretsmanager:GetSecretValue",
      "secretsmanager:ListSecretVersionIds",
    ]
    resources = ["arn:${local.partition}:secretsmanager:${var.region}:${local.account_id}:secret:${var.environment}/*"]
  }

  statement {
    sid       = "DecryptThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
  }
}

# Velero (velero-plugin-for-aws): backups in the bucket, EBS snapshots of persistent volumes.
data "aws_iam_policy_document" "velero" {
  statement {
    sid       = "DescribeVolumesAndSnapshots" # no resource-level permissions
    actions   = ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"]
    resources = ["*"]
  }

  statement {
    sid     = "Snapshots"
    actions = ["ec2:CreateSnapshot", "ec2:CreateVolume", "ec2:DeleteSnapshot", "ec2:CreateTags"]
    resources = [
      "${local.ec2}:volume/*",
      "arn:${local.partition}:ec2:${var.region}::snapshot/*",
    ]
  }

  statement {
    sid = "BackupObjects"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:ListMultipartUploadParts",
      "s3:PutObject",
    ]
    resources = ["${var.velero_bucket.arn}/*"]
  }

  statement {
    sid       = "BackupBucket"
    actions   = ["s3:ListBucket"]
    resources = [var.velero_bucket.arn]
  }

  statement {
    sid       = "BucketKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.velero_bucket.kms_key_arn]
  }
}

# Fluent Bit (seeds 003/004): write container logs into the log groups the eks module created.
data "aws_iam_policy_document" "fluent_bit" {
  statement {
    sid       = "WriteContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    resources = ["${local.log_groups}/*:*"]
  }

  statement {
    sid       = "FindLogGroups" # DescribeLogGroups has no resource-level permissions
    actions   = ["logs:DescribeLogGroups"]
    resources = ["*"]
  }
}

# Argo CD Image Updater (seed 002, dev only): list tags in this account's registry.
data "aws_iam_policy_document" "image_updater" {
  statement {
    sid       = "RegistryLogin" # no resource-level permissions
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "ReadRepositories"
    actions = [
      "ecr:BatchGetImage",
      "ecr:DescribeImages",
      "ecr:DescribeRepositories",
      "ecr:GetDownloadUrlForLayer",
      "ecr:ListImages",
    ]
    resources = ["arn:${local.partition}:ecr:${var.region}:${local.account_id}:repository/*"]
  }
}

# external-dns (seed 004): records of the VPC's private zone only (api.backend.internal).
data "aws_iam_policy_document" "external_dns" {
  statement {
    sid       = "ChangeRecordsOfTheZone"
    actions   = ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"]
    resources = ["arn:${local.partition}:route53:::hostedzone/${var.private_zone_id}"]
  }

  statement {
    sid       = "WaitForChanges"
    actions   = ["route53:GetChange"]
    resources = ["arn:${local.partition}:route53:::change/*"]
  }

  statement {
    sid       = "FindZones" # no resource-level permissions; the domain filter picks the zone
    actions   = ["route53:ListHostedZones"]
    resources = ["*"]
  }
}

locals {
  policies = merge(
    {
      qr-backend                   = data.aws_iam_policy_document.qr_backend.json
      external-dns                 = data.aws_iam_policy_document.external_dns.json
      aws-load-balancer-controller = data.aws_iam_policy_document.load_balancer_controller.json
      external-secrets             = data.aws_iam_policy_document.external_secrets.json
      velero                       = data.aws_iam_policy_document.velero.json
      fluent-bit                   = data.aws_iam_policy_document.fluent_bit.json
    },
    var.enable_image_updater ? { argocd-image-updater = data.aws_iam_policy_document.image_updater.json } : {},
  )
}
