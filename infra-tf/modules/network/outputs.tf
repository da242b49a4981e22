output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (load balancers, NAT gateways), in availability_zones order."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (EKS control-plane ENIs, nodes, pods, interface endpoints), in availability_zones order."
  value       = aws_subnet.private[*].id
}

output "private_route_table_ids" {
  description = "IDs of the private route tables (one per AZ), for further gateway endpoints or peering routes."
  value       = aws_route_table.private[*].id
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways: the source addresses of the cluster's outbound traffic, for allowlists elsewhere."
  value       = aws_eip.nat[*].public_ip
}

output "endpoint_security_group_id" {
  description = "ID of the security group attached to the interface VPC endpoints."
  value       = aws_security_group.endpoints.id
}

output "interface_endpoint_ids" {
  description = "IDs of the interface VPC endpoints, by service suffix (ecr.api, sts, ...)."
  value       = { for service, endpoint in aws_vpc_endpoint.interface : service => endpoint.id }
}

output "s3_gateway_endpoint_id" {
  description = "ID of the S3 gateway VPC endpoint; bucket policies can require aws:sourceVpce to be this."
  value       = aws_vpc_endpoint.s3.id
}

output "private_zone" {
  description = "The Route53 private hosted zone bound to the VPC: id, name and ARN (external-dns's zone)."
  value = {
    id   = aws_route53_zone.private.zone_id
    name = aws_route53_zone.private.name
    arn  = aws_route53_zone.private.arn
  }
}
