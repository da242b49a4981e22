"""`gitops hpa simulate`: the autoscaling/v2 algorithm applied to a rendered HPA and a load."""
