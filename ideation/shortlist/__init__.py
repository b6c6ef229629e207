"""The governor's office shortlist board: signals, shortlist, notes, decisions."""
