"""The report URLs' period: a quarter's number, or "year" for the annual report."""

from plans.deadlines import WHOLE_YEAR


class PeriodConverter:
    """A report's period in a URL: a quarter's number, or "year" for WHOLE_YEAR. Any other number
    reaches the views, which answer 404, as before the annual report; the number WHOLE_YEAR itself
    does not match, so the year has one URL."""

    regex = "[0-9]+|year"

    def to_python(self, value: str) -> int:
        if value == "year":
            return WHOLE_YEAR
        number = int(value)
        if number == WHOLE_YEAR:
            raise ValueError("the year is written 'year'")
        return number

    def to_url(self, value: int) -> str:
        return "year" if value == WHOLE_YEAR else str(value)
