"""What the demo's centres share: their services, and the group that marks demo accounts."""

from django.contrib.auth.models import Group

from services.accounts import DEMO_GROUP

# The six services of a district centre, as Sharof Rashidov's plan names them (short name, name).
SERVICES = [
    ("bibliografiya", "Axborot-bibliografiya xizmati"),
    ("abonement", "Abonement va foydalanuvchilarga xizmat ko‘rsatish xizmati"),
    ("akt", "Axborot-kommunikatsiya texnologiyalari va raqamlashtirish xizmati"),
    ("fond", "Axborot-kutubxona fondlarini saqlash, butlash va ularga ishlov berish xizmati"),
    ("madaniyat", "Madaniy-ma’rifiy va yoshlar bilan ishlash mutaxassisi"),
    ("kadrlar", "Kadrlar bo‘yicha inspektor"),
]


def demo_group() -> Group:
    group, _ = Group.objects.get_or_create(name=DEMO_GROUP)
    return group
