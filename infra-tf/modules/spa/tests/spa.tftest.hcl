# terraform test of modules/spa (run by tests/run.sh) against a mocked AWS provider.

mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name              = "gitops-dev-innovate"
  bucket_name       = "innovate-spa-dev-111111111111"
  domain_names      = ["app.innovate.dev.example.com"]
  certificate_arn   = "arn:aws:acm:us-east-1:111111111111:certificate/427b77c6-6438-4615-9888-eb9071c6bb52"
  web_acl_arn       = "arn:aws:wafv2:us-east-1:111111111111:global/webacl/gitops-dev-innovate-spa/0a1b2c3d-0000-0000-0000-000000000000"
  access_log_bucket = "s3-access-logs-dev-111111111111"
}

run "https_only_through_origin_access_control" {
  assert {
    condition     = aws_cloudfront_distribution.this.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021" && aws_cloudfront_distribution.this.viewer_certificate[0].ssl_support_method == "sni-only" && aws_cloudfront_distribution.this.viewer_certificate[0].acm_certificate_arn == var.certificate_arn
    error_message = "the distribution serves TLS 1.2 or newer with the ACM certificate given"
  }

  assert {
    condition     = aws_cloudfront_distribution.this.default_cache_behavior[0].viewer_protocol_policy == "redirect-to-https"
    error_message = "plain HTTP is redirected to HTTPS"
  }

  assert {
    condition     = aws_cloudfront_origin_access_control.this.signing_behavior == "always" && aws_cloudfront_origin_access_control.this.origin_access_control_origin_type == "s3" && one(aws_cloudfront_distribution.this.origin).origin_access_control_id == aws_cloudfront_origin_access_control.this.id
    error_message = "CloudFront signs every request to the bucket (origin access control)"
  }

  assert {
    condition     = aws_cloudfront_distribution.this.default_cache_behavior[0].response_headers_policy_id == aws_cloudfront_response_headers_policy.security.id && aws_cloudfront_response_headers_policy.security.security_headers_config[0].strict_transport_security[0].access_control_max_age_sec >= 31536000 && aws_cloudfront_response_headers_policy.security.security_headers_config[0].frame_options[0].frame_option == "DENY"
    error_message = "every response carries the security headers (HSTS of a year or more, frame DENY, ...)"
  }

  assert {
    condition     = aws_cloudfront_distribution.this.web_acl_id == var.web_acl_arn
    error_message = "the WAF web ACL is in front of the distribution"
  }

  assert {
    condition     = toset([for e in aws_cloudfront_distribution.this.custom_error_response : e.error_code]) == toset([403, 404]) && alltrue([for e in aws_cloudfront_distribution.this.custom_error_response : e.response_page_path == "/index.html" && e.response_code == 200])
    error_message = "client-side routes are answered with index.html"
  }
}

# One plan, two validations that must fail: a REGIONAL web ACL cannot guard a distribution, and
# CloudFront reads certificates from us-east-1 only.
run "validations_reject" {
  command = plan

  variables {
    web_acl_arn     = "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/gitops-dev-public-alb/0a1b2c3d-0000-0000-0000-000000000000"
    certificate_arn = "arn:aws:acm:eu-west-1:111111111111:certificate/427b77c6-6438-4615-9888-eb9071c6bb52"
  }

  expect_failures = [var.web_acl_arn, var.certificate_arn]
}
