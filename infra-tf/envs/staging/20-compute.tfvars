# staging: values from clusters/staging/cluster.yaml (checked by the variables' validation)
environment  = "staging"
account_id   = "222222222222"
region       = "us-east-1"
cluster_name = "gitops-staging"

kubernetes_version = "1.33"

# system add-ons only; application capacity (spot/on-demand, Graviton) comes from Karpenter
node_group = {
  instance_types = ["c7i-flex.large"]
  min_size       = 3
  max_size       = 4
  desired_size   = 3
}

# seed 000: control-plane logs 7 days
control_plane_log_retention_days = 7

enable_image_updater = false
