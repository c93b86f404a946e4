"""Module type: metrics of predictions against the true target."""
