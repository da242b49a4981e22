# What the cluster's traffic goes through and outlives any cluster: the VPC, its private DNS zone
# (external-dns publishes internal load balancers there) and the WAF web ACL of the public ALB
# (the Ingresses name its ARN, so it must not change when the cluster is rebuilt).

locals {
  layer = "00-network"
}

module "network" {
  source = "../../modules/network"

  name                    = var.cluster_name
  region                  = var.region
  vpc_cidr                = var.vpc_cidr
  availability_zones      = var.availability_zones
  single_nat_gateway      = var.single_nat_gateway
  interface_endpoints     = var.interface_endpoints
  flow_log_retention_days = var.flow_log_retention_days
  private_zone_name       = var.private_zone_name
}

# Public ALB (seed 003): Ingresses attach it with alb.ingress.kubernetes.io/wafv2-acl-arn.
module "public_alb_waf" {
  source = "../../modules/waf"

  name                     = "${var.cluster_name}-public-alb"
  description              = "Public ALB of ${var.cluster_name} (Ingresses with alb.ingress.kubernetes.io/wafv2-acl-arn)"
  scope                    = "REGIONAL"
  region                   = var.region
  managed_rule_groups      = var.public_alb_waf_rule_groups
  rate_limit_per_5_minutes = var.public_alb_rate_limit_per_5_minutes
}
