"""The pure sitting-time core: ``engine.Engine`` (see its module docstring), ``events``, ``days``, ``settings``."""
