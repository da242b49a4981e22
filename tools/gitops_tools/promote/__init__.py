"""Image promotion: move a verified digest from one environment to the next, copy it between
registries by digest, edit the target overlay's `images:` entry in place and commit the change
with provenance trailers (`gitops promote`, `gitops image set`, `gitops history`)."""
