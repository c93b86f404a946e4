"""Stage module type: in how many documents each vocabulary word appears."""
