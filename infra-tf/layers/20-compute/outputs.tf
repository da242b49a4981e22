output "cluster_name" {
  description = "Name of the EKS cluster (aws eks update-kubeconfig --name)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "URL of the Kubernetes API (private; read by 30-bootstrap)."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA certificate of the Kubernetes API (read by 30-bootstrap)."
  value       = module.eks.cluster_certificate_authority_data
}

output "cluster_security_group_id" {
  description = "Cluster security group (also on Karpenter's nodes through the karpenter.sh/discovery tag)."
  value       = module.eks.cluster_security_group_id
}

output "addon_versions" {
  description = "Installed EKS add-on versions, by add-on."
  value       = module.eks.addon_versions
}

output "pod_identity_role_arns" {
  description = "Pod Identity role of each add-on or workload identity (qr-backend, aws-load-balancer-controller, external-secrets, karpenter, velero, fluent-bit, ...)."
  value       = module.eks.pod_identity_role_arns
}

output "karpenter_node_role_name" {
  description = "EC2NodeClass spec.role of this cluster's Karpenter node classes."
  value       = module.karpenter.node_role_name
}

output "karpenter_interruption_queue" {
  description = "Karpenter chart settings.interruptionQueue."
  value       = module.karpenter.interruption_queue_name
}

output "container_log_groups" {
  description = "CloudWatch log groups Fluent Bit writes to, by kind (application, dataplane, host)."
  value       = module.eks.container_log_groups
}
