"""The station at work: the engine, the benches that run it, and the use cases the CLI and the window share."""
