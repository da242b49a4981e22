# terraform test for envs/<env>/20-compute (run by tests/run.sh): the cluster, Karpenter and the
# Pod Identity roles planned against a mocked AWS provider and mocked lower layers.

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

override_data {
  target = data.terraform_remote_state.network
  values = {
    outputs = {
      vpc_id             = "vpc-0123456789abcdef0"
      private_subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"]
    }
  }
}

override_data {
  target = data.terraform_remote_state.data
  values = {
    outputs = {
      qr_bucket           = { id = "qr", arn = "arn:aws:s3:::qr", kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/qr" }
      velero_bucket       = { id = "velero", arn = "arn:aws:s3:::velero", kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/velero" }
      secrets_kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/secrets"
    }
  }
}

run "plan_with_tfvars" {
  command = plan

  assert {
    condition = toset(keys(module.eks.pod_identity_role_arns)) == toset(concat(
      ["qr-backend", "aws-load-balancer-controller", "external-secrets", "karpenter", "velero", "fluent-bit"],
      var.enable_image_updater ? ["argocd-image-updater"] : [],
    ))
    error_message = "every platform add-on and workload that calls AWS has a Pod Identity role"
  }
}

run "kubernetes_version_must_match_cluster_yaml" {
  command = plan

  variables {
    kubernetes_version = "1.29"
  }

  expect_failures = [var.kubernetes_version]
}

run "image_updater_only_in_dev" {
  command = plan

  variables {
    environment          = "prod"
    account_id           = "333333333333"
    state_bucket         = "gitops-platform-tfstate-333333333333"
    kubernetes_version   = "1.33"
    node_group           = { instance_types = ["m7i.large"], min_size = 3, max_size = 6, desired_size = 3 }
    enable_image_updater = true
  }

  expect_failures = [var.enable_image_updater]
}
