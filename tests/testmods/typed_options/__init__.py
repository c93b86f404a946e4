"""Test module type typed_options."""
