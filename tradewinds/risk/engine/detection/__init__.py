"""The file-level detection model: pure Python (LightGBM, Polars, NumPy), no Django.

Public API (what the Django side and the benchmarks use)::

    model = train(frame, TrainConfig())          # frame: canonical columns incl. fraud, critical
    model.save(directory); model = TrainedModel.load(directory)
    scores = model.score(frame)                  # fraud_score, critical_score, expected_revenue
    reasons = model.explain(frame, top_k=3)      # per row: {"fraud": [...], "critical": [...]}
    chosen = select_for_inspection(scores["fraud_score"].to_numpy(), rate=0.1, exploration_share=0.1)
"""

from tradewinds.risk.engine.detection.exploration import Selection, select_for_inspection
from tradewinds.risk.engine.detection.features import FeatureConfig
from tradewinds.risk.engine.detection.model import TrainConfig, TrainedModel, train

__all__ = ["FeatureConfig", "Selection", "TrainConfig", "TrainedModel", "select_for_inspection", "train"]
