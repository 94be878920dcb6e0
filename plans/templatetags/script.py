"""`{{ item.title|script }}`: the plan's text in the reader's script (plans.cyrillic.shown).

A builtin (settings.TEMPLATES), so templates use it without loading it.
"""
from django import template

from plans.cyrillic import shown

register = template.Library()


@register.filter(is_safe=True)
def script(value) -> str:
    """The text in Cyrillic for readers of Ўзбекча; as stored for everyone else. Autoescaping
    still applies (the result of a string is a plain string), and safe input stays safe."""
    if value is None or value == "":
        return value
    return shown(str(value))
