# dev: values from clusters/dev/cluster.yaml (checked by the variables' validation)
environment  = "dev"
account_id   = "111111111111"
region       = "us-east-1"
cluster_name = "gitops-dev"

vpc_cidr           = "10.10.0.0/16"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
single_nat_gateway = true

# dev: the seed 003 minimum; the other AWS APIs go through the single NAT gateway
interface_endpoints = [
  "ecr.api",
  "ecr.dkr",
  "sts",
  "logs",
  "secretsmanager",
]
