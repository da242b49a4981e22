output "node_role_name" {
  description = "Name of the IAM role for nodes Karpenter launches: the value of EC2NodeClass spec.role."
  value       = aws_iam_role.node.name
}

output "node_role_arn" {
  description = "ARN of the IAM role for nodes Karpenter launches (needs an EC2_LINUX access entry: pass it to the eks module's node_access_roles)."
  value       = aws_iam_role.node.arn
}

output "interruption_queue_name" {
  description = "Name of the SQS interruption queue: the Karpenter chart's settings.interruptionQueue."
  value       = aws_sqs_queue.interruption.name
}

output "controller_policy_json" {
  description = "IAM policy JSON of the Karpenter controller, for its Pod Identity role (karpenter/karpenter)."
  value       = data.aws_iam_policy_document.controller.json
}
