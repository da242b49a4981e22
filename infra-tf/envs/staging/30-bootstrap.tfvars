# staging: values from clusters/staging/cluster.yaml (checked by the variables' validation)
environment  = "staging"
account_id   = "222222222222"
region       = "us-east-1"
cluster_name = "gitops-staging"

argocd_hostname          = "argocd.staging.example.com"
argocd_high_availability = true
