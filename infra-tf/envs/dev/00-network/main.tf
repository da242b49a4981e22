locals {
  layer = "00-network"
}

module "network" {
  source = "../../../modules/network"

  name                    = var.cluster_name
  region                  = var.region
  vpc_cidr                = var.vpc_cidr
  availability_zones      = var.availability_zones
  single_nat_gateway      = var.single_nat_gateway
  interface_endpoints     = var.interface_endpoints
  flow_log_retention_days = var.flow_log_retention_days
}
