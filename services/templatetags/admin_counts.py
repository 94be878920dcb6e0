"""How the admin says "N things" in each language.

Django's admin writes the noun after a number in the plural for every n but one ("5 sections").
Uzbek keeps the noun singular after a number ("5 ta bo‘lim", not "5 ta bo‘limlar"), and a
catalogue cannot say that through ngettext: with one plural form, msgfmt checks the translation
against the plural message, which names only the plural noun. So each catalogue answers, as a
translation of "plural", which of the model's two names follows a number in its language.
"""

from django import template
from django.utils.translation import gettext, ngettext, pgettext

register = template.Library()


def counted_noun(count: int, opts) -> str:
    """The model's name as it follows `count` in the active language."""
    if count == 1 or pgettext("the noun after a number other than one", "plural") != "plural":
        return str(opts.verbose_name)
    return str(opts.verbose_name_plural)


@register.simple_tag
def admin_count(count: int, opts) -> str:
    """'5 sections', '5 ta bo‘lim', '5 разделы' (the paginator's count)."""
    return ngettext("%(counter)s %(noun)s", "%(counter)s %(noun)s", count) % {
        "counter": count,
        "noun": counted_noun(count, opts),
    }


@register.simple_tag
def admin_select_all(count: int, opts) -> str:
    """'Select all 5 sections' (the actions bar's offer to select across pages)."""
    return gettext("Select all %(total_count)s %(noun)s") % {
        "total_count": count,
        "noun": counted_noun(count, opts),
    }
