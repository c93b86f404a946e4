"""Test module type forked_child."""
