# dev: values from clusters/dev/cluster.yaml (checked by the variables' validation)
environment  = "dev"
account_id   = "111111111111"
region       = "us-east-1"
cluster_name = "gitops-dev"

kubernetes_version = "1.34"

# system add-ons only; application capacity (spot/on-demand, Graviton) comes from Karpenter
node_group = {
  instance_types = ["t3.medium"]
  min_size       = 2
  max_size       = 3
  desired_size   = 2
}

# seed 000: control-plane logs 7 days
control_plane_log_retention_days = 7

enable_image_updater = true
