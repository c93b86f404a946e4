"""Test module type unpicklable."""
