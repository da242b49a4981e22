output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "URL of the Kubernetes API server (private unless endpoint_public_access)."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded CA certificate of the Kubernetes API server, for provider and kubeconfig setup."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_version" {
  description = "Kubernetes minor version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "cluster_security_group_id" {
  description = "ID of the cluster security group EKS created (shared by the control plane, the managed nodes and Karpenter's nodes)."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "node_role_arn" {
  description = "ARN of the IAM role of the system managed node group."
  value       = aws_iam_role.node.arn
}

output "node_group_name" {
  description = "Name of the system managed node group."
  value       = aws_eks_node_group.system.node_group_name
}

output "secrets_kms_key_arn" {
  description = "ARN of the KMS key that envelope-encrypts Kubernetes Secrets."
  value       = module.secrets_key.arn
}

output "logs_kms_key_arn" {
  description = "ARN of the KMS key for the cluster's log groups (/aws/eks/<name>/* and /aws/containerinsights/<name>/*)."
  value       = module.logs_key.arn
}

output "control_plane_log_group" {
  description = "Name of the CloudWatch log group holding the control-plane logs."
  value       = aws_cloudwatch_log_group.cluster.name
}

output "container_log_groups" {
  description = "Names of the log groups for container logs (Fluent Bit), by kind: application, dataplane, host."
  value       = { for kind, group in aws_cloudwatch_log_group.container : kind => group.name }
}

output "addon_versions" {
  description = "Installed version of each managed add-on, by name."
  value       = { for name, addon in merge(aws_eks_addon.before_nodes, aws_eks_addon.after_nodes) : name => addon.addon_version }
}

output "pod_identity_role_arns" {
  description = "ARN of each Pod Identity role, by the key of var.pod_identities."
  value       = { for name, role in aws_iam_role.pod_identity : name => role.arn }
}
