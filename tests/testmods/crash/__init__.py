"""Test module type crash."""
