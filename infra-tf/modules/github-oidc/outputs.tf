output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC identity provider of this account."
  value       = aws_iam_openid_connect_provider.github.arn
}

output "plan_role_arn" {
  description = "ARN of the read-only terraform plan role (drift workflow: aws-actions/configure-aws-credentials role-to-assume)."
  value       = aws_iam_role.plan.arn
}

output "image_role_arn" {
  description = "ARN of the image push / promotion role."
  value       = aws_iam_role.image.arn
}

output "apply_role_arn" {
  description = "ARN of the terraform apply role."
  value       = aws_iam_role.apply.arn
}

output "trusted_subjects" {
  description = "Token subjects (sub claims) each role's trust policy admits, by role: plan, apply, image."
  value       = local.trusted_subjects
}
