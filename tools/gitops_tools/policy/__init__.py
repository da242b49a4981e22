"""The policy engine: rules with stable IDs over rendered objects, per environment profile."""
