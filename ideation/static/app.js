// Progressive enhancement only: every flow works without this file.
