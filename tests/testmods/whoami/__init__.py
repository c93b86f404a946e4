"""Test module type whoami."""
