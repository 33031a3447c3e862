"""Pure risk engine (no Django): rules (``rules``, ``evaluate``), lanes (``lanes``, ``selectivity``,
``random_draw``, ``scoring``), ``backtest`` and ``metrics``; the learned model in ``detection`` and
``profiles``. See docs/risk-rules.md."""
