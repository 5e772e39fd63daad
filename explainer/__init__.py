"""explainer: Distill-style explainer sites whose figures come from models trained at build time."""

__version__ = "0.1.0"
