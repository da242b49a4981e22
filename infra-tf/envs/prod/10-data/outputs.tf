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

output "movie_catalog_secret_names" {
  description = "Secrets Manager names of the movie-catalog credentials, by component."
  value       = { for component, secret in aws_secretsmanager_secret.movie_catalog : component => secret.name }
}
