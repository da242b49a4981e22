output "registry" {
  description = "Registry host of this account (<account>.dkr.ecr.<region>.amazonaws.com): clusters/<env>/cluster.yaml registry must be the same."
  value       = split("/", values(aws_ecr_repository.this)[0].repository_url)[0]
}

output "repository_urls" {
  description = "URL of each repository, by name."
  value       = { for name, repo in aws_ecr_repository.this : name => repo.repository_url }
}

output "repository_arns" {
  description = "ARN of each repository, by name."
  value       = { for name, repo in aws_ecr_repository.this : name => repo.arn }
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the repositories."
  value       = module.key.arn
}
