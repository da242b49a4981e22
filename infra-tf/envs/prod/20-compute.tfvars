# prod: values from clusters/prod/cluster.yaml (checked by the variables' validation)
environment  = "prod"
account_id   = "333333333333"
region       = "us-east-1"
cluster_name = "gitops-prod"

kubernetes_version = "1.33"

# system add-ons only; application capacity (spot/on-demand, Graviton) comes from Karpenter
node_group = {
  instance_types = ["m7i.large"]
  min_size       = 3
  max_size       = 6
  desired_size   = 3
}

# seed 000: control-plane logs 7 days
control_plane_log_retention_days = 7

enable_image_updater = false
