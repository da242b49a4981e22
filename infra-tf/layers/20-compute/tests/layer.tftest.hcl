# terraform test of layers/20-compute against a mocked AWS provider and mocked lower layers.
# tests/run.sh runs it once per layer: `with_tfvars` with each environment's
# envs/<env>/20-compute.tfvars, the other runs (what the validations reject) with dev's. By hand:
#   terraform -chdir=infra-tf/layers/20-compute test -var-file=../../envs/dev/20-compute.tfvars

mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

override_data {
  target = data.terraform_remote_state.network
  values = {
    outputs = {
      vpc_id             = "vpc-0123456789abcdef0"
      private_subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"]
      private_zone       = { id = "Z0123456789MOCKZONE", name = "backend.internal", arn = "arn:aws:route53:::hostedzone/Z0123456789MOCKZONE" }
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
      innovate_db         = { security_group_id = "sg-0bbbbbbbbbbbbbbb1" }
    }
  }
}

run "with_tfvars" {
  command = plan

  assert {
    condition = toset(keys(module.eks.pod_identity_role_arns)) == toset(concat(
      ["qr-backend", "aws-load-balancer-controller", "external-secrets", "karpenter", "velero", "fluent-bit", "external-dns"],
      var.enable_image_updater ? ["argocd-image-updater"] : [],
    ))
    error_message = "every platform add-on and workload that calls AWS has a Pod Identity role"
  }

  assert {
    condition     = module.eks.control_plane_log_group != "" && var.control_plane_log_retention_days == 7
    error_message = "control-plane logs are kept 7 days (seed 000)"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.innovate_db_from_cluster.from_port == 5432 && aws_vpc_security_group_ingress_rule.innovate_db_from_cluster.security_group_id == "sg-0bbbbbbbbbbbbbbb1"
    error_message = "the cluster reaches innovate's Aurora on 5432 through the database's security group"
  }
}

# One plan, several validations that must each fail: the Kubernetes version must be cluster.yaml's,
# Image Updater runs in dev only, prod keeps container logs a year.
run "validations_reject" {
  command = plan

  variables {
    environment                  = "prod"
    account_id                   = "333333333333"
    kubernetes_version           = "1.29"
    node_group                   = { instance_types = ["m7i.large"], min_size = 3, max_size = 6, desired_size = 3 }
    enable_image_updater         = true
    container_log_retention_days = 30
  }

  expect_failures = [var.kubernetes_version, var.enable_image_updater, var.container_log_retention_days]
}
