# terraform test of layers/10-data against a mocked AWS provider and mocked lower layers.
# tests/run.sh runs it once per layer: `with_tfvars` with each environment's
# envs/<env>/10-data.tfvars, the other runs (what the validations reject) with dev's. By hand:
#   terraform -chdir=infra-tf/layers/10-data test -var-file=../../envs/dev/10-data.tfvars

mock_provider "aws" {
  source = "../../tests/mocks/aws"
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

run "with_tfvars" {
  command = plan

  assert {
    condition     = local.qr_bucket == "qr-generator-codes-${var.environment}-${var.account_id}"
    error_message = "the QR bucket is named as apps/workloads/qr-generator/overlays/<env>/configmap-patch.yaml expects"
  }

  assert {
    condition = toset(keys(output.secret_names)) == toset(concat(
      ["movie-catalog/inventory-db", "movie-catalog/billing-db", "movie-catalog/billing-queue", "monitoring/grafana-admin", "innovate/aurora", "backend-services/api-token"],
      var.enable_image_updater ? ["argocd-image-updater/git-creds"] : [],
    ))
    error_message = "one secret per remote key the ExternalSecrets of apps/ read in this environment"
  }

  assert {
    condition     = alltrue([for key, name in output.secret_names : name == "${var.environment}/${key}"])
    error_message = "every secret is named <env>/<key>, the key the overlays put in the ExternalSecret"
  }

  assert {
    condition     = output.innovate_db.cluster_identifier == "${var.cluster_name}-innovate" && output.innovate_db.database_name == "innovate"
    error_message = "innovate's Aurora cluster is gitops-<env>-innovate with database innovate"
  }

  assert {
    condition     = local.spa_bucket == "innovate-spa-${var.environment}-${var.account_id}"
    error_message = "the SPA bucket is innovate-spa-<env>-<account>"
  }
}

# One plan, several validations that must each fail (the file's variables are dev's): buckets are
# force-destroyed in dev only, the Image Updater secret exists in dev only, prod's database has
# a reader and two weeks of backups.
run "validations_reject" {
  command = plan

  variables {
    environment          = "prod"
    account_id           = "333333333333"
    enable_image_updater = true
    innovate_db          = { min_capacity = 1, max_capacity = 16, instances = 1, backup_retention_days = 7 }
  }

  expect_failures = [var.force_destroy_buckets, var.enable_image_updater, var.innovate_db]
}
