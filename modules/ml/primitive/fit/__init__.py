"""Stage module type: fit a primitive named by its dotted path."""
