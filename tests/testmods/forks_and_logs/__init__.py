"""Test module type forks_and_logs."""
