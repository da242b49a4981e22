output "vpc_id" {
  description = "ID of the environment's VPC (read by 20-compute)."
  value       = module.network.vpc_id
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  value       = module.network.vpc_cidr
}

output "private_subnet_ids" {
  description = "Private subnet IDs, one per AZ: EKS control-plane ENIs, nodes, pods (read by 20-compute)."
  value       = module.network.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Public subnet IDs, one per AZ: internet-facing load balancers and NAT gateways."
  value       = module.network.public_subnet_ids
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways (the cluster's outbound source addresses)."
  value       = module.network.nat_public_ips
}

output "s3_gateway_endpoint_id" {
  description = "ID of the S3 gateway endpoint."
  value       = module.network.s3_gateway_endpoint_id
}

output "private_zone" {
  description = "Route53 private hosted zone of the VPC: id (external-dns --zone-id-filter, its IAM scope), name and ARN (read by 20-compute)."
  value       = module.network.private_zone
}

output "public_alb_web_acl_arn" {
  description = "ARN of the public ALB's WAF web ACL: the Ingress annotation alb.ingress.kubernetes.io/wafv2-acl-arn."
  value       = module.public_alb_waf.arn
}
