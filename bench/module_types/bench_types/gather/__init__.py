"""Module type gather: reads every input, writes a few bytes (the fan-in of a fan-out)."""
