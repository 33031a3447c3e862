"""Risk pages: rules and backtests (``rules``), named lists and settings (``lists``), lane decisions,
outcomes and performance (``decisions``)."""
