output "arn" {
  description = "ARN of the web ACL (the Ingress annotation alb.ingress.kubernetes.io/wafv2-acl-arn, or a distribution's web_acl_id)."
  value       = aws_wafv2_web_acl.this.arn
}

output "id" {
  description = "ID of the web ACL."
  value       = aws_wafv2_web_acl.this.id
}

output "name" {
  description = "Name of the web ACL."
  value       = aws_wafv2_web_acl.this.name
}

output "log_group" {
  description = "CloudWatch log group of the web ACL's request logs."
  value       = aws_cloudwatch_log_group.this.name
}
