# dev: values from clusters/dev/cluster.yaml (checked by the variables' validation)
environment  = "dev"
account_id   = "111111111111"
region       = "us-east-1"
cluster_name = "gitops-dev"

argocd_hostname          = "argocd.dev.example.com"
argocd_high_availability = false
