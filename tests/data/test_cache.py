"""The shared query cache calls the function it was given, keyed on its module and name
(issue 11): never a function looked up by name in dashboard.queries."""

from __future__ import annotations

import polars as pl

from dashboard import cache


def _named(module: str, value: int):
    def load_thing(conn, factor: int = 1) -> pl.DataFrame:
        return pl.DataFrame({"n": [value * factor]})

    load_thing.__module__ = module
    return load_thing


def test_load_calls_the_given_function_and_keys_on_its_module_and_name(app_env):
    cache.clear_data()
    first, second = _named("tests.one", 1), _named("tests.two", 2)
    assert first.__name__ == second.__name__ == "load_thing"  # and neither is in queries
    assert cache.load(first)["n"].to_list() == [1]
    assert cache.load(second)["n"].to_list() == [2]  # same name, another module: no mix-up
    assert cache.load(first, factor=3)["n"].to_list() == [3]
    assert cache.load(first)["n"].to_list() == [1]
