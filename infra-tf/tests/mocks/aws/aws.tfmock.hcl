# Values the mocked AWS provider returns where Terraform's generated ones would not pass the
# modules' validations or policy documents (terraform test, mock_provider "aws" { source = ... }).

mock_data "aws_caller_identity" {
  defaults = { account_id = "111111111111" }
}

mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws" }
}

mock_data "aws_eks_addon_version" {
  defaults = { version = "v1.0.0-eksbuild.1" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::111111111111:role/mock" }
}

mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:us-east-1:111111111111:key/mock" }
}

mock_resource "aws_ecr_repository" {
  defaults = { repository_url = "111111111111.dkr.ecr.us-east-1.amazonaws.com/mock", arn = "arn:aws:ecr:us-east-1:111111111111:repository/mock" }
}

mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:111111111111:global/webacl/mock/00000000-0000-0000-0000-000000000000" }
}

mock_resource "aws_route53_zone" {
  defaults = { zone_id = "Z0123456789MOCKZONE" }
}

mock_resource "aws_security_group" {
  defaults = { id = "sg-0123456789abcdef0" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:us-east-1:111111111111:log-group:mock" }
}
