# terraform test of modules/waf (run by tests/run.sh) against a mocked AWS provider.

mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name        = "gitops-dev-public-alb"
  description = "public ALB"
  scope       = "REGIONAL"
  region      = "us-east-1"
}

run "managed_rule_groups_rate_limit_and_logs" {
  command = plan

  assert {
    condition = toset([for r in aws_wafv2_web_acl.this.rule : r.name]) == toset([
      "AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "rate-limit-per-ip",
    ])
    error_message = "the web ACL evaluates the known-bad-inputs group (always), the chosen AWS managed rule groups and a per-IP rate limit"
  }

  assert {
    condition     = length(distinct([for r in aws_wafv2_web_acl.this.rule : r.priority])) == length(aws_wafv2_web_acl.this.rule)
    error_message = "every rule has its own priority"
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "aws-waf-logs-gitops-dev-public-alb" && aws_cloudwatch_log_group.this.retention_in_days == 365
    error_message = "requests are logged to aws-waf-logs-<name> (the only names WAF logs to), kept a year"
  }

  assert {
    condition     = length(aws_wafv2_web_acl_logging_configuration.this.redacted_fields) == 2
    error_message = "the authorization and cookie headers are redacted from the logs"
  }
}

# One plan, two validations that must fail: a CLOUDFRONT web ACL lives in us-east-1, and only
# AWS managed rule groups, each once.
run "validations_reject" {
  command = plan

  variables {
    scope               = "CLOUDFRONT"
    region              = "eu-west-1"
    managed_rule_groups = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesCommonRuleSet"]
  }

  expect_failures = [var.region, var.managed_rule_groups]
}
