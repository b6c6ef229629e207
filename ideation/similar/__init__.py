"""Similar ideas: stored vectors, nearest-neighbour search, suggestions while typing."""
