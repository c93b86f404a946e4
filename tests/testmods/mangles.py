"""A transform whose __init__ changes its argument, which scikit-learn's clone refuses."""

from typing import Any

from sklearn.base import BaseEstimator, TransformerMixin


class Mangles(TransformerMixin, BaseEstimator):
    def __init__(self, scale: float = 1.0) -> None:
        self.scale = float(scale) * 2

    def fit(self, features: Any, target: Any = None) -> "Mangles":
        return self

    def transform(self, features: Any) -> Any:
        return features * self.scale
