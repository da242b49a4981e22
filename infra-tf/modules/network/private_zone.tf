# Private DNS of the VPC (seed 004): a Route53 private hosted zone that only this VPC resolves,
# where external-dns publishes internal load balancers (api.backend.internal -> the internal NLB
# of backend-services). external-dns's Pod Identity role may change this zone only.

resource "aws_route53_zone" "private" {
  #checkov:skip=CKV2_AWS_38:DNSSEC signing applies to public hosted zones only; Route53 cannot sign a private zone.
  #checkov:skip=CKV2_AWS_39:Query logging of a hosted zone is for public zones; the VPC's DNS queries go through the Route53 Resolver (flow logs record the traffic).
  name          = var.private_zone_name
  comment       = "Private names of ${var.name}'s internal services (external-dns)"
  force_destroy = false

  vpc {
    vpc_id = aws_vpc.this.id
  }

  tags = merge(var.tags, { Name = var.private_zone_name })
}
