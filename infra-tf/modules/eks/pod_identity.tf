# IAM roles for service accounts through EKS Pod Identity: one role per entry of
# var.pod_identities, trusted by the Pod Identity agent only, associated with one
# namespace/service account. Workloads need no role annotation on their ServiceAccount.

data "aws_iam_policy_document" "pod_identity_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

locals {
  pod_identity_managed_policies = merge([
    for name, identity in var.pod_identities : {
      for arn in identity.managed_policy_arns : "${name}|${arn}" => { identity = name, policy_arn = arn }
    }
  ]...)
}

resource "aws_iam_role" "pod_identity" {
  for_each = var.pod_identities

  name               = "${var.name}-${each.key}"
  description        = "Pod Identity role of ${each.value.namespace}/${each.value.service_account} in EKS cluster ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy" "pod_identity" {
  for_each = var.pod_identities

  name   = each.key
  role   = aws_iam_role.pod_identity[each.key].id
  policy = each.value.policy_json
}

resource "aws_iam_role_policy_attachment" "pod_identity" {
  for_each = local.pod_identity_managed_policies

  role       = aws_iam_role.pod_identity[each.value.identity].name
  policy_arn = each.value.policy_arn
}

resource "aws_eks_pod_identity_association" "this" {
  for_each = var.pod_identities

  cluster_name    = aws_eks_cluster.this.name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.pod_identity[each.key].arn

  tags = var.tags
}
