output "id" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "kms_key_arn" {
  description = "ARN of the bucket's KMS key: roles writing or reading objects need kms:GenerateDataKey / kms:Decrypt on it."
  value       = module.key.arn
}

output "regional_domain_name" {
  description = "Regional domain name of the bucket (a CloudFront S3 origin's domain_name)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}
