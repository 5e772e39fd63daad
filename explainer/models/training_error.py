"""`TrainingError`: an experiment whose training diverged. No jax here, so the cache can raise and catch it."""

from __future__ import annotations

from ..base.errors import ExplainerError


class TrainingError(ExplainerError):
    """Training produced a NaN or infinite loss; names the experiment and the step so it can be retuned."""

    def __init__(self, config, step: int, detail: str = ""):
        self.config = config
        self.step = step
        label = config.label() if hasattr(config, "label") else str(config)
        lr = getattr(config, "learning_rate", None)
        hint = f" (learning_rate {lr:g}); try a smaller learning_rate" if lr else ""
        super().__init__(f"training {label} diverged: loss became NaN or infinite at step {step}{hint}"
                         + (f". {detail}" if detail else ""))

    def __reduce__(self):  # picklable across worker processes
        return (TrainingError, (self.config, self.step))
