"""Dates and numbers in Uzbek Cyrillic: Django's Uzbek (Latin) formats with the word "йил".

Django looks here first (settings.FORMAT_MODULE_PATH); month and day names come from the Cyrillic
catalogue (locale_django/uz_Cyrl). Input formats are Django's Latin ones plus the Cyrillic.
"""
from django.conf.locale.uz import formats as latin

DATE_FORMAT = r"j-E, Y \й\и\л"
TIME_FORMAT = latin.TIME_FORMAT
DATETIME_FORMAT = r"j-E, Y \й\и\л G:i"
YEAR_MONTH_FORMAT = r"F Y \й\и\л"
MONTH_DAY_FORMAT = latin.MONTH_DAY_FORMAT
SHORT_DATE_FORMAT = latin.SHORT_DATE_FORMAT
SHORT_DATETIME_FORMAT = latin.SHORT_DATETIME_FORMAT
FIRST_DAY_OF_WEEK = latin.FIRST_DAY_OF_WEEK
DATE_INPUT_FORMATS = latin.DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = latin.DATETIME_INPUT_FORMATS
DECIMAL_SEPARATOR = latin.DECIMAL_SEPARATOR
THOUSAND_SEPARATOR = latin.THOUSAND_SEPARATOR
NUMBER_GROUPING = latin.NUMBER_GROUPING
