"""Date formats per interface language (settings.FORMAT_MODULE_PATH).

Templates write `{{ day|date:"DATE_FORMAT" }}` (2026年3月5日 / 5 Mar 2026),
`"DATETIME_FORMAT"` (with the time) and `"MONTH_DAY_FORMAT"` (3月5日 / 5 Mar); numeric formats
such as `"Y-m-d"` read the same in both languages and stay literal. Names not defined here fall
back to Django's own formats for the language.
"""
