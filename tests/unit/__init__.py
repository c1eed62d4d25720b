import pytest

pytest.register_assert_rewrite("tests.unit.builders")  # its published_by_tag asserts every round trip
