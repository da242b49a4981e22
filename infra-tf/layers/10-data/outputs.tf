output "qr_bucket" {
  description = "QR-code bucket: name, ARN and KMS key ARN (read by 20-compute for the qr-generator backend's Pod Identity)."
  value = {
    id          = module.qr_codes.id
    arn         = module.qr_codes.arn
    kms_key_arn = module.qr_codes.kms_key_arn
  }
}

output "velero_bucket" {
  description = "Velero backup bucket: name (the BackupStorageLocation bucket), ARN and KMS key ARN."
  value = {
    id          = module.velero_backups.id
    arn         = module.velero_backups.arn
    kms_key_arn = module.velero_backups.kms_key_arn
  }
}

output "access_log_bucket" {
  description = "Name of the bucket receiving the S3 server access logs."
  value       = module.access_logs.id
}

output "secrets_kms_key_arn" {
  description = "ARN of the KMS key encrypting the environment's Secrets Manager secrets."
  value       = module.secrets_key.arn
}

output "secret_names" {
  description = "Secrets Manager secrets this environment's ExternalSecrets read, by remote key without the <env>/ prefix."
  value       = { for key, secret in aws_secretsmanager_secret.this : key => secret.name }
}

output "innovate_db" {
  description = "innovate's Aurora cluster: endpoints and port (the host and port of <env>/innovate/aurora), database, security group (20-compute admits the cluster on it), master secret ARN (managed by RDS)."
  value = {
    cluster_identifier     = module.innovate_db.cluster_identifier
    endpoint               = module.innovate_db.endpoint
    reader_endpoint        = module.innovate_db.reader_endpoint
    port                   = module.innovate_db.port
    database_name          = module.innovate_db.database_name
    security_group_id      = module.innovate_db.security_group_id
    master_user_secret_arn = module.innovate_db.master_user_secret_arn
  }
}

output "innovate_spa" {
  description = "innovate's SPA: bucket (its CI syncs the build there), CloudFront distribution ID (invalidations) and domain name (the target of the public CNAMEs)."
  value = {
    bucket          = module.innovate_spa.bucket
    distribution_id = module.innovate_spa.distribution_id
    domain_name     = module.innovate_spa.domain_name
  }
}
