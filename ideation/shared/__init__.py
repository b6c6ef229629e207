"""The shared layer: helpers every feature may use. It imports no feature."""
