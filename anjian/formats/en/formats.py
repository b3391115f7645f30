"""English date formats for the English interface."""

DATE_FORMAT = "j M Y"  # 5 Mar 2026
DATETIME_FORMAT = "j M Y H:i"  # 5 Mar 2026 09:30
MONTH_DAY_FORMAT = "j M"  # 5 Mar
YEAR_MONTH_FORMAT = "M Y"  # Mar 2026
