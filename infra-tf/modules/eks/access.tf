# Who may use the Kubernetes API: IAM principals through access entries (auditable, in git),
# never the aws-auth ConfigMap.

locals {
  access_policies = {
    cluster-admin = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    admin-view    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"
  }
}

resource "aws_eks_access_entry" "this" {
  for_each = var.access_entries

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value.principal_arn
  type          = "STANDARD"

  tags = var.tags
}

resource "aws_eks_access_policy_association" "this" {
  for_each = var.access_entries

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.this[each.key].principal_arn
  policy_arn    = local.access_policies[each.value.policy]

  access_scope {
    type = "cluster"
  }
}

# Nodes launched outside managed node groups (Karpenter) join through an EC2_LINUX entry.
resource "aws_eks_access_entry" "nodes" {
  for_each = var.node_access_roles

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "EC2_LINUX"

  tags = var.tags
}
