# EKS managed add-ons. vpc-cni, kube-proxy and the Pod Identity agent are installed before the
# node group (nodes are not Ready without a CNI); CoreDNS and the EBS CSI driver need nodes.
# Versions: the default EKS publishes for the cluster's Kubernetes version unless pinned in
# addon_versions; a changed default shows up in the drift check as a planned update.

locals {
  addons_before_nodes = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]
  addons_after_nodes  = ["coredns", "aws-ebs-csi-driver"]

  # Add-ons whose controllers call AWS APIs, with the service account and the managed policy of
  # the role they get through Pod Identity.
  addon_identities = {
    vpc-cni = {
      service_account = "aws-node"
      policy          = "AmazonEKS_CNI_Policy"
    }
    aws-ebs-csi-driver = {
      service_account = "ebs-csi-controller-sa"
      policy          = "service-role/AmazonEBSCSIDriverPolicy"
    }
  }
}

data "aws_eks_addon_version" "this" {
  for_each = toset(concat(local.addons_before_nodes, local.addons_after_nodes))

  addon_name         = each.value
  kubernetes_version = aws_eks_cluster.this.version
  most_recent        = false
}

resource "aws_iam_role" "addon" {
  for_each = local.addon_identities

  name               = "${var.name}-addon-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "addon" {
  for_each = local.addon_identities

  role       = aws_iam_role.addon[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value.policy}"
}

resource "aws_eks_addon" "before_nodes" {
  for_each = toset(local.addons_before_nodes)

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  addon_version               = lookup(var.addon_versions, each.value, data.aws_eks_addon_version.this[each.value].version)
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  dynamic "pod_identity_association" {
    for_each = contains(keys(local.addon_identities), each.value) ? [local.addon_identities[each.value]] : []
    content {
      service_account = pod_identity_association.value.service_account
      role_arn        = aws_iam_role.addon[each.value].arn
    }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.addon]
}

resource "aws_eks_addon" "after_nodes" {
  for_each = toset(local.addons_after_nodes)

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  addon_version               = lookup(var.addon_versions, each.value, data.aws_eks_addon_version.this[each.value].version)
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  dynamic "pod_identity_association" {
    for_each = contains(keys(local.addon_identities), each.value) ? [local.addon_identities[each.value]] : []
    content {
      service_account = pod_identity_association.value.service_account
      role_arn        = aws_iam_role.addon[each.value].arn
    }
  }

  tags = var.tags

  depends_on = [aws_eks_node_group.system, aws_iam_role_policy_attachment.addon]
}
