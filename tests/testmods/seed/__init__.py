"""The stages of the multistage-module design document, and multistage module types built from them."""
