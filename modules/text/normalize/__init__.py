"""Module type: normalize tokens (case, length, numbers, stopwords)."""
