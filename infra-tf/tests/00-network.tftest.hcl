# terraform test for envs/<env>/00-network (run by tests/run.sh): plans the root with its own
# terraform.tfvars against a mocked AWS provider, then checks that the validations reject what
# they must. No cloud account, no state.

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

run "plan_with_tfvars" {
  command = plan

  assert {
    condition     = length(var.availability_zones) == 3
    error_message = "every environment spans three availability zones"
  }
}

run "prod_keeps_a_nat_gateway_per_az" {
  command = plan

  variables {
    environment        = "prod"
    account_id         = "333333333333"
    single_nat_gateway = true
  }

  expect_failures = [var.single_nat_gateway]
}

run "account_must_match_cluster_yaml" {
  command = plan

  variables {
    account_id = "999999999999"
  }

  expect_failures = [var.account_id]
}

run "seed_003_endpoints_are_required" {
  command = plan

  variables {
    interface_endpoints = ["ecr.api", "ecr.dkr"]
  }

  expect_failures = [var.interface_endpoints]
}
