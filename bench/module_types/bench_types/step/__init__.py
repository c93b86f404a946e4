"""Module type step: reads its input, writes a few bytes."""
