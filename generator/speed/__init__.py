"""Speed devices: the same results, sooner or in less memory, each with its figure in benchmarks/RESULTS.md.

The core never imports them (``tests/test_architecture.py``): the composition
root (``cli.py``) and the engine adapter hand them in, as ``map_items=fork_map``
(``parallel``), ``Renderer(bytecode_cache=...)`` (``compiled_templates``), or
around a load (``collector``).
"""
