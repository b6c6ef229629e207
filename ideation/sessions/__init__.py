"""Design sessions: officials meet the authors of shortlisted ideas to design them."""
