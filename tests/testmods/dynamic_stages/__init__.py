"""Test module type dynamic_stages."""
