"""`gitops diff`: the rendered, per-environment difference between two states of the repository."""
