"""The figure spec: views and their options (catalog), YAML validation, the `FigureSpec` record."""
