# A WAF web ACL of AWS managed rule groups (seed 003: "CloudFront and AWS WAF protect inbound
# traffic") plus a per-IP rate limit, with its requests logged to CloudWatch Logs. REGIONAL for
# the public ALB (the Ingress annotation alb.ingress.kubernetes.io/wafv2-acl-arn attaches it),
# CLOUDFRONT for a distribution (the provider must then be in us-east-1).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  log_group = "aws-waf-logs-${var.name}" # WAF logs only to groups named aws-waf-logs-*
}

resource "aws_wafv2_web_acl" "this" {
  name        = var.name
  description = var.description
  scope       = var.scope

  default_action {
    allow {}
  }

  # Always on (CVE-2021-44228 and other known bad inputs), whatever else the caller picks.
  rule {
    name     = "AWSManagedRulesKnownBadInputsRuleSet"
    priority = 0

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-AWSManagedRulesKnownBadInputsRuleSet"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = { for i, group in var.managed_rule_groups : group => i if group != "AWSManagedRulesKnownBadInputsRuleSet" }
    content {
      name     = rule.key
      priority = 10 + rule.value

      override_action {
        none {} # the group's own actions (block)
      }

      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.key
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${rule.key}"
        sampled_requests_enabled   = true
      }
    }
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 100

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.rate_limit_per_5_minutes
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-limit-per-ip"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }

  tags = var.tags
}

module "logs_key" {
  source = "../kms-key"

  alias       = "${var.name}-waf-logs"
  description = "WAF logs of web ACL ${var.name}"
  service_statements = [{
    sid                   = "CloudWatchLogsUsesKey"
    principal_type        = "Service"
    principal_identifiers = ["logs.${var.region}.amazonaws.com"]
    actions               = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    conditions = [{
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group}"]
    }]
  }]
  tags = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = module.logs_key.arn

  tags = var.tags
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.this.arn]

  # Credentials and session cookies never reach the logs.
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }
  redacted_fields {
    single_header {
      name = "cookie"
    }
  }
}
