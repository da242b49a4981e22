# prod: values from clusters/prod/cluster.yaml (checked by the variables' validation)
environment  = "prod"
account_id   = "333333333333"
region       = "us-east-1"
cluster_name = "gitops-prod"
state_bucket = "gitops-platform-tfstate-333333333333"

kubernetes_version = "1.33"

# system add-ons only; application capacity (spot/on-demand, Graviton) comes from Karpenter
node_group = {
  instance_types = ["m7i.large"]
  min_size       = 3
  max_size       = 6
  desired_size   = 3
}

enable_image_updater = false
