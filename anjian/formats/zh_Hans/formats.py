"""Chinese date formats (the ones the pages wrote literally before they depended on the language)."""

DATE_FORMAT = "Y年n月j日"  # 2026年3月5日
DATETIME_FORMAT = "Y年n月j日 H:i"  # 2026年3月5日 09:30
MONTH_DAY_FORMAT = "n月j日"  # 3月5日
YEAR_MONTH_FORMAT = "Y年n月"  # 2026年3月
