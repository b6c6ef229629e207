"""Officials' public responses to ideas: statuses, the timeline, group answers."""
