"""Demo detection models: after the risk demo has assessed the demo declarations and recorded the
outcomes of the older inspections, train one model per member administration on them and activate
it, so the demo shows an active model, its metrics, and scores with reasons on declaration pages.

The demo history is small (about 120 inspected declarations per administration), so the model
uses small trees and fixed rounds, and its metrics rest on a couple of dozen declarations."""

from __future__ import annotations

from tradewinds.core.demo import DemoContext
from tradewinds.risk.engine.detection import FeatureConfig, TrainConfig

from . import services

# Fixed rounds: no holdout search, a second or so per administration on two threads.
DEMO_CONFIG = TrainConfig(
    num_leaves=7,
    min_data_in_leaf=5,
    learning_rate=0.08,
    fixed_rounds=40,
    feature_fraction=0.8,
    num_threads=2,
    features=FeatureConfig(smoothing=5.0, folds=5),
)


def load(context: DemoContext) -> None:
    for code, administration in context.administrations.items():
        if administration.is_regional:
            continue
        risk = context.users[f"{code}.risk"]
        services.settings_for(administration)
        run = services.create_run(risk, administration)
        version_id = services.run_training(run.pk, config=DEMO_CONFIG)
        if version_id is not None:
            services.activate_version(risk, version_id)
