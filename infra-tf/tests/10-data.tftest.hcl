# terraform test for envs/<env>/10-data (run by tests/run.sh): buckets and secrets planned and
# applied against a mocked AWS provider; bucket names follow the overlays.

mock_provider "aws" {
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
}

run "apply_with_tfvars" {
  assert {
    condition     = module.qr_codes.id != "" && local.qr_bucket == "qr-generator-codes-${var.environment}-${var.account_id}"
    error_message = "the QR bucket is named as apps/workloads/qr-generator/overlays/<env>/configmap-patch.yaml expects"
  }

  assert {
    condition     = length(aws_secretsmanager_secret.movie_catalog) == 3
    error_message = "one secret per movie-catalog ExternalSecret"
  }
}

run "force_destroy_only_in_dev" {
  command = plan

  variables {
    environment           = "prod"
    account_id            = "333333333333"
    force_destroy_buckets = true
  }

  expect_failures = [var.force_destroy_buckets]
}
