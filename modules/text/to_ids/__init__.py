"""Module type: map tokens to their vocabulary ids."""
