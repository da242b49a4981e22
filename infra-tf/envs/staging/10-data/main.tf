# What outlives any cluster: the QR-code bucket (seed 000), the Velero backup bucket, their
# access log bucket and the Secrets Manager secrets the workloads read through External Secrets.
# A cluster rebuild (20-compute) never plans a change here.

locals {
  layer  = "10-data"
  suffix = "${var.environment}-${var.account_id}"

  qr_bucket     = "qr-generator-codes-${local.suffix}" # apps/workloads/qr-generator/overlays/<env>/configmap-patch.yaml
  velero_bucket = "${var.cluster_name}-velero"         # apps/platform/velero/values/<env>.yaml
  log_bucket    = "s3-access-logs-${local.suffix}"

  # apps/workloads/movie-catalog/overlays/<env>: the ExternalSecrets' remote keys
  movie_catalog_secrets = {
    inventory-db  = "PostgreSQL of inventory: JSON with username, password, database"
    billing-db    = "PostgreSQL of billing: JSON with username, password, database"
    billing-queue = "RabbitMQ between api-gateway and billing: JSON with username, password"
  }
}

data "aws_partition" "current" {}

module "access_logs" {
  source = "../../../modules/s3-bucket"

  name           = local.log_bucket
  access_logging = false # it is the destination
  force_destroy  = var.force_destroy_buckets
  log_delivery_source_buckets = [
    "arn:${data.aws_partition.current.partition}:s3:::${local.qr_bucket}",
    "arn:${data.aws_partition.current.partition}:s3:::${local.velero_bucket}",
  ]
  lifecycle_rules = [{
    id                         = "expire-access-logs"
    expiration_days            = var.access_log_retention_days
    noncurrent_expiration_days = 7
  }]
}

# Seed 000: Intelligent-Tiering after 30 days, expiry after 90. Old versions (an overwrite or a
# delete) go after 7 days: the objects are content-addressed and regenerated on demand.
module "qr_codes" {
  source = "../../../modules/s3-bucket"

  name              = local.qr_bucket
  access_log_bucket = module.access_logs.id
  force_destroy     = var.force_destroy_buckets
  lifecycle_rules = [{
    id                         = "qr-codes"
    transition_days            = 30
    transition_storage_class   = "INTELLIGENT_TIERING"
    expiration_days            = 90
    noncurrent_expiration_days = 7
  }]
}

# Velero expires backups itself (Schedule ttl); the bucket only removes what Velero deleted, 30 days later.
module "velero_backups" {
  source = "../../../modules/s3-bucket"

  name              = local.velero_bucket
  access_log_bucket = module.access_logs.id
  lifecycle_rules = [{
    id                         = "deleted-backups"
    noncurrent_expiration_days = 30
  }]
}

module "secrets_key" {
  source = "../../../modules/kms-key"

  alias       = "${var.environment}-secrets"
  description = "Secrets Manager secrets of ${var.environment}"
}

# Only the secrets: their values are put once outside Terraform (infra-tf/README.md), so no
# password ever sits in a plan or in the state, and the read-only plan role never needs
# secretsmanager:GetSecretValue.
resource "aws_secretsmanager_secret" "movie_catalog" {
  #checkov:skip=CKV2_AWS_57:These are credentials of in-cluster PostgreSQL and RabbitMQ StatefulSets; a Secrets Manager rotation Lambda cannot change the password inside those pods, so rotation is a runbook step (new value, then rollout), see infra-tf/README.md.
  for_each = local.movie_catalog_secrets

  name                    = "${var.environment}/movie-catalog/${each.key}"
  description             = each.value
  kms_key_id              = module.secrets_key.arn
  recovery_window_in_days = var.secret_recovery_window_days
}
