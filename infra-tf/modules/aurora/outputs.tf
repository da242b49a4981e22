output "cluster_identifier" {
  description = "Identifier of the Aurora cluster."
  value       = aws_rds_cluster.this.cluster_identifier
}

output "cluster_arn" {
  description = "ARN of the Aurora cluster."
  value       = aws_rds_cluster.this.arn
}

output "endpoint" {
  description = "Writer endpoint (host of the application's connection)."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint (the readers, or the writer while there are none)."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_rds_cluster.this.port
}

output "database_name" {
  description = "Name of the database created with the cluster."
  value       = aws_rds_cluster.this.database_name
}

output "security_group_id" {
  description = "Security group of the cluster: add an ingress rule on 5432 per client security group."
  value       = aws_security_group.this.id
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the master user's credentials, managed and rotated by RDS."
  value       = one(aws_rds_cluster.this.master_user_secret[*].secret_arn)
}

output "kms_key_arn" {
  description = "ARN of the cluster's KMS key (storage, Performance Insights)."
  value       = module.key.arn
}
