# What outlives any cluster: the QR-code bucket (seed 000), the Velero backup bucket, their
# access log bucket, the Secrets Manager secrets the cluster reads through External Secrets,
# innovate's Aurora PostgreSQL database and its SPA behind CloudFront (seed 003). A cluster
# rebuild (20-compute) never plans a change here. Reads the VPC from 00-network's state.

locals {
  layer  = "10-data"
  suffix = "${var.environment}-${var.account_id}"

  qr_bucket     = "qr-generator-codes-${local.suffix}" # apps/workloads/qr-generator/overlays/<env>/configmap-patch.yaml
  velero_bucket = "${var.cluster_name}-velero"         # apps/platform/velero/values/<env>.yaml
  log_bucket    = "s3-access-logs-${local.suffix}"

  spa_bucket = "innovate-spa-${local.suffix}"

  # Every remote key an ExternalSecret of apps/ reads in this environment (<env>/ is the overlay's
  # prefix), with the JSON its value holds. Terraform creates the secrets, never their values
  # (put once out of band, docs/runbooks/secrets.md), so nothing reads a secret nothing creates.
  secrets = merge(
    {
      "movie-catalog/inventory-db"  = "movie-catalog inventory's PostgreSQL: JSON with username, password, database"
      "movie-catalog/billing-db"    = "movie-catalog billing's PostgreSQL: JSON with username, password, database"
      "movie-catalog/billing-queue" = "movie-catalog's RabbitMQ between api-gateway and billing: JSON with username, password"
      "monitoring/grafana-admin"    = "Grafana's admin login (kube-prometheus-stack): JSON with admin-user, admin-password"
      "innovate/aurora"             = "innovate API's login to its Aurora database: JSON with username, password, host, port, dbname"
      "backend-services/api-token"  = "Token backend-app presents to backend-service (backend-services): JSON with token"
    },
    var.enable_image_updater ? {
      "argocd-image-updater/git-creds" = "Argo CD Image Updater's git write-back: JSON with username, password (a token that may push to main)"
    } : {},
  )
}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = local.state_bucket
    key    = "envs/${var.environment}/00-network/terraform.tfstate"
    region = var.region
  }
}

data "aws_partition" "current" {}

module "access_logs" {
  source = "../../modules/s3-bucket"

  name           = local.log_bucket
  access_logging = false # it is the destination
  force_destroy  = var.force_destroy_buckets
  log_delivery_source_buckets = [
    "arn:${data.aws_partition.current.partition}:s3:::${local.qr_bucket}",
    "arn:${data.aws_partition.current.partition}:s3:::${local.velero_bucket}",
    "arn:${data.aws_partition.current.partition}:s3:::${local.spa_bucket}",
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
  source = "../../modules/s3-bucket"

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
  source = "../../modules/s3-bucket"

  name              = local.velero_bucket
  access_log_bucket = module.access_logs.id
  lifecycle_rules = [{
    id                         = "deleted-backups"
    noncurrent_expiration_days = 30
  }]
}

module "secrets_key" {
  source = "../../modules/kms-key"

  alias       = "${var.environment}-secrets"
  description = "Secrets Manager secrets of ${var.environment}"
}

# Only the secrets: their values are put once outside Terraform (docs/runbooks/secrets.md), so no
# password ever sits in a plan or in the state, and the read-only plan role never needs
# secretsmanager:GetSecretValue.
resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:Their values are credentials of in-cluster services (PostgreSQL and RabbitMQ StatefulSets, Grafana, a GitHub token, an Aurora application user) that a Secrets Manager rotation Lambda cannot change on the other side; rotation is a runbook step (new value, then rollout), docs/runbooks/secret-rotation.md. Aurora's master secret is rotated by RDS.
  for_each = local.secrets

  name                    = "${var.environment}/${each.key}"
  description             = each.value
  kms_key_id              = module.secrets_key.arn
  recovery_window_in_days = var.secret_recovery_window_days
}

# innovate (seed 003): Aurora PostgreSQL Serverless v2 in the private subnets. 20-compute admits
# the EKS cluster security group (the nodes and their pods) on 5432, and nothing else.
module "innovate_db" {
  source = "../../modules/aurora"

  name                           = "${var.cluster_name}-innovate"
  database_name                  = "innovate"
  vpc_id                         = data.terraform_remote_state.network.outputs.vpc_id
  subnet_ids                     = data.terraform_remote_state.network.outputs.private_subnet_ids
  min_capacity                   = var.innovate_db.min_capacity
  max_capacity                   = var.innovate_db.max_capacity
  instances                      = var.innovate_db.instances
  backup_retention_days          = var.innovate_db.backup_retention_days
  deletion_protection            = var.environment == "prod"
  final_snapshot                 = var.environment == "prod"
  master_user_secret_kms_key_arn = module.secrets_key.arn
}

# innovate's React SPA (seed 003): S3 behind CloudFront, its own WAF web ACL (CLOUDFRONT scope).
module "innovate_spa_waf" {
  source = "../../modules/waf"

  name        = "${var.cluster_name}-innovate-spa"
  description = "CloudFront distribution of innovate's SPA"
  scope       = "CLOUDFRONT"
  region      = var.region
}

module "innovate_spa" {
  source = "../../modules/spa"

  name                    = "${var.cluster_name}-innovate"
  bucket_name             = local.spa_bucket
  domain_names            = var.innovate_spa.domain_names
  certificate_arn         = var.innovate_spa.certificate_arn
  content_security_policy = "default-src 'self'; connect-src 'self' https://${var.innovate_spa.api_host}; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'"
  web_acl_arn             = module.innovate_spa_waf.arn
  access_log_bucket       = module.access_logs.id
  force_destroy           = var.force_destroy_buckets
}

# The movie-catalog secrets were a resource of their own before the list above covered every secret.
moved {
  from = aws_secretsmanager_secret.movie_catalog["inventory-db"]
  to   = aws_secretsmanager_secret.this["movie-catalog/inventory-db"]
}

moved {
  from = aws_secretsmanager_secret.movie_catalog["billing-db"]
  to   = aws_secretsmanager_secret.this["movie-catalog/billing-db"]
}

moved {
  from = aws_secretsmanager_secret.movie_catalog["billing-queue"]
  to   = aws_secretsmanager_secret.this["movie-catalog/billing-queue"]
}
