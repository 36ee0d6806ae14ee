"""The annual monitoring report (年度监测报告) of an assessment: HTML, Excel, Markdown.

``write_html(assessment, path, lang="zh")`` writes one self-contained HTML file,
``write_excel(assessment, path)`` a workbook (汇总, 全部目标, 预警清单, 数据; with
``previous=`` an earlier assessment, both also say what changed since: 与上年相比);
for both, ``path`` may also be a file-like object such as ``io.BytesIO`` (a web
service's report in memory), or ``None`` to get the report back
(:mod:`hbkit.report.output`),
``to_markdown(assessment, lang="zh")`` returns Markdown text, ``to_json(assessment,
path=None)`` the assessment as JSON for other programs (:mod:`hbkit.report.json_export`),
``json_schema()`` its JSON Schema (:mod:`hbkit.report.json_schema`). The words live in
:mod:`hbkit.report.wording`, the tables in :mod:`hbkit.report.tables`.
Importing this package does not import matplotlib.
"""

from hbkit.report.excel import write_excel
from hbkit.report.html import write_html
from hbkit.report.json_export import to_json
from hbkit.report.json_schema import json_schema
from hbkit.report.markdown import to_markdown

__all__ = ["json_schema", "to_json", "to_markdown", "write_excel", "write_html"]
