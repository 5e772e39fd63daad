"""Reading and parsing posts: no training, no page layout."""
