"""`gitops hpa simulate`: the autoscaling/v2 algorithm applied to a rendered HPA and a load."""

ASSUMED_MEMORY_PERCENT = 30.0  # without a measurement: a small service's resident set
