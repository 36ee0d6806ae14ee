"""Example data shipped with hbkit: :func:`load_example`, :func:`list_examples`, :class:`Example`.

``"china"``, ``"igme2021"`` and ``"dtp3"`` are real public series;
``"hebei_example"`` and ``"hebei_example_final"`` are **simulated** (模拟数据)
district data covering every quantitative target of the shipped catalogue.
See :mod:`hbkit.datasets.examples` and ``docs/datasets.md``.
"""

from hbkit.datasets.examples import Example, list_examples, load_example

__all__ = ["Example", "list_examples", "load_example"]
