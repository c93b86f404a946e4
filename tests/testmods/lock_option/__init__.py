"""Test module type lock_option."""
