"""Stage module type: transform or predict a data set with a fitted primitive."""
