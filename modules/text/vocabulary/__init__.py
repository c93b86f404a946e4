"""Module type: build a vocabulary (words with counts) from a tokenized corpus."""
