"""Module type (multistage): build a vocabulary, then count how many documents use each word."""
