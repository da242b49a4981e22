output "bucket" {
  description = "Name of the bucket the SPA's CI uploads the build to (aws s3 sync)."
  value       = module.bucket.id
}

output "bucket_arn" {
  description = "ARN of the SPA bucket."
  value       = module.bucket.arn
}

output "bucket_kms_key_arn" {
  description = "ARN of the SPA bucket's KMS key (the uploading role needs kms:GenerateDataKey on it)."
  value       = module.bucket.kms_key_arn
}

output "distribution_id" {
  description = "ID of the CloudFront distribution (aws cloudfront create-invalidation --distribution-id)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "ARN of the CloudFront distribution."
  value       = local.distribution_arn
}

output "domain_name" {
  description = "Domain name of the distribution (*.cloudfront.net): the target of the public CNAMEs of domain_names."
  value       = aws_cloudfront_distribution.this.domain_name
}
