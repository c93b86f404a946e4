"""Stage module type: a vocabulary of the words used at least min_count times."""
