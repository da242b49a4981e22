# AWS Load Balancer Controller (v2 reference policy, docs/install/iam_policy.json), with every
# write scoped to this account and region, security groups to this VPC, and modifications to
# load balancers, target groups and security groups the controller tagged
# (elbv2.k8s.aws/cluster) itself.

locals {
  elb_load_balancers = ["${local.elb}:loadbalancer/net/*/*", "${local.elb}:loadbalancer/app/*/*"]
  elb_target_groups  = ["${local.elb}:targetgroup/*/*"]
  elb_listeners      = ["${local.elb}:listener/net/*/*/*", "${local.elb}:listener/app/*/*/*"]
  elb_rules          = ["${local.elb}:listener-rule/net/*/*/*", "${local.elb}:listener-rule/app/*/*/*"]
  controller_tag     = "elbv2.k8s.aws/cluster"
}

data "aws_iam_policy_document" "load_balancer_controller" {
  statement {
    sid       = "ServiceLinkedRole"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/elasticloadbalancing.amazonaws.com/*"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["elasticloadbalancing.amazonaws.com"]
    }
  }

  # Describe*/Get*/List* calls without resource-level permissions: "*" is their only form.
  statement {
    sid = "Discovery"
    actions = [
      "acm:ListCertificates",
      "ec2:DescribeAccountAttributes",
      "ec2:DescribeAddresses",
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeCoipPools",
      "ec2:DescribeInstances",
      "ec2:DescribeInternetGateways",
      "ec2:DescribeIpamPools",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeRouteTables",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeTags",
      "ec2:DescribeVpcPeeringConnections",
      "ec2:DescribeVpcs",
      "elasticloadbalancing:DescribeCapacityReservation",
      "elasticloadbalancing:DescribeListenerAttributes",
      "elasticloadbalancing:DescribeListenerCertificates",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeRules",
      "elasticloadbalancing:DescribeSSLPolicies",
      "elasticloadbalancing:DescribeTags",
      "elasticloadbalancing:DescribeTargetGroupAttributes",
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetHealth",
      "elasticloadbalancing:DescribeTrustStores",
      "iam:ListServerCertificates",
      "shield:GetSubscriptionState",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "SecurityGroupsOfVpc"
    actions   = ["ec2:GetSecurityGroupsForVpc"]
    resources = ["${local.ec2}:vpc/${var.vpc_id}", "${local.ec2}:security-group/*"]
  }

  statement {
    sid       = "OutpostsCoipPools"
    actions   = ["ec2:GetCoipPoolUsage"]
    resources = ["${local.ec2}:coip-pool/*"]
  }

  statement {
    sid       = "Certificates"
    actions   = ["acm:DescribeCertificate"]
    resources = ["arn:${local.partition}:acm:${var.region}:${local.account_id}:certificate/*"]
  }

  statement {
    sid       = "ServerCertificates"
    actions   = ["iam:GetServerCertificate"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:server-certificate/*"]
  }

  statement {
    sid       = "Cognito"
    actions   = ["cognito-idp:DescribeUserPoolClient"]
    resources = ["arn:${local.partition}:cognito-idp:${var.region}:${local.account_id}:userpool/*"]
  }

  statement {
    sid = "WebACLs"
    actions = [
      "wafv2:AssociateWebACL",
      "wafv2:DisassociateWebACL",
      "wafv2:GetWebACL",
      "wafv2:GetWebACLForResource",
    ]
    resources = concat(
      ["arn:${local.partition}:wafv2:${var.region}:${local.account_id}:regional/webacl/*/*"],
      local.elb_load_balancers,
    )
  }

  statement {
    sid       = "ShieldProtections"
    actions   = ["shield:CreateProtection", "shield:DeleteProtection", "shield:DescribeProtection"]
    resources = ["arn:${local.partition}:shield::${local.account_id}:protection/*"]
  }

  # Security groups: created in this VPC, tagged at creation, changed only when the controller's tag is on them.
  statement {
    sid       = "CreateSecurityGroupInVpc"
    actions   = ["ec2:CreateSecurityGroup"]
    resources = ["${local.ec2}:vpc/${var.vpc_id}"]
  }

  statement {
    sid       = "CreateTaggedSecurityGroup"
    actions   = ["ec2:CreateSecurityGroup"]
    resources = ["${local.ec2}:security-group/*"]
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.controller_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid       = "TagSecurityGroupOnCreate"
    actions   = ["ec2:CreateTags"]
    resources = ["${local.ec2}:security-group/*"]
    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["CreateSecurityGroup"]
    }
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.controller_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid       = "RetagOwnSecurityGroups"
    actions   = ["ec2:CreateTags", "ec2:DeleteTags"]
    resources = ["${local.ec2}:security-group/*"]
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.controller_tag}"
      values   = ["true"]
    }
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.controller_tag}"
      values   = ["false"]
    }
  }

  # Ingress rules also go onto the node security group (not tagged by the controller): account-wide within the VPC.
  statement {
    sid       = "SecurityGroupRules"
    actions   = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
    resources = ["${local.ec2}:security-group/*"]
    condition {
      test     = "StringEquals"
      variable = "ec2:Vpc"
      values   = ["${local.ec2}:vpc/${var.vpc_id}"]
    }
  }

  statement {
    sid       = "DeleteOwnSecurityGroups"
    actions   = ["ec2:DeleteSecurityGroup"]
    resources = ["${local.ec2}:security-group/*"]
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.controller_tag}"
      values   = ["false"]
    }
  }

  # Load balancers and target groups: created with the controller's tag, changed only when it is there.
  statement {
    sid       = "CreateTaggedLoadBalancers"
    actions   = ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]
    resources = concat(local.elb_load_balancers, local.elb_target_groups)
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.controller_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid = "ListenersAndRules"
    actions = [
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:CreateRule",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:DeleteRule",
    ]
    resources = concat(local.elb_load_balancers, local.elb_listeners, local.elb_rules, local.elb_target_groups)
  }

  statement {
    sid       = "RetagOwnLoadBalancers"
    actions   = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
    resources = concat(local.elb_target_groups, local.elb_load_balancers)
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.controller_tag}"
      values   = ["true"]
    }
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.controller_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid       = "TagListenersAndRules"
    actions   = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
    resources = concat(local.elb_listeners, local.elb_rules)
  }

  statement {
    sid       = "TagOnCreate"
    actions   = ["elasticloadbalancing:AddTags"]
    resources = concat(local.elb_target_groups, local.elb_load_balancers)
    condition {
      test     = "StringEquals"
      variable = "elasticloadbalancing:CreateAction"
      values   = ["CreateTargetGroup", "CreateLoadBalancer"]
    }
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.controller_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid = "ModifyOwnLoadBalancers"
    actions = [
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyCapacityReservation",
      "elasticloadbalancing:ModifyIpPools",
      "elasticloadbalancing:ModifyListenerAttributes",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
    ]
    resources = concat(local.elb_load_balancers, local.elb_target_groups, local.elb_listeners)
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.controller_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid       = "Targets"
    actions   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
    resources = local.elb_target_groups
  }

  statement {
    sid = "ListenerSettings"
    actions = [
      "elasticloadbalancing:AddListenerCertificates",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:RemoveListenerCertificates",
      "elasticloadbalancing:SetRulePriorities",
      "elasticloadbalancing:SetWebAcl",
    ]
    resources = concat(local.elb_load_balancers, local.elb_listeners, local.elb_rules)
  }
}
