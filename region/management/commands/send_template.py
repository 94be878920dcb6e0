"""Send a regional centre's plan template to its districts (region.template_send), or preview it."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plans.models import Plan
from region.template_send import DistrictPreview, SendRefused, districts_of, preview, send
from services.models import Organization


class Command(BaseCommand):
    help = (
        "Create or update the districts' plans for the year from the regional centre's template, "
        "all of them or none; prints what is added and changed per district."
    )

    def add_arguments(self, parser):
        parser.add_argument("--centre", required=True, help="The regional centre's name.")
        parser.add_argument("--year", type=int, required=True, help="The template's year.")
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            metavar="NAME",
            help="A district to send to (repeat for several); default: every district of the centre.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print the preview; write nothing.")

    def handle(self, *args, centre, year, district, dry_run, **options):
        region = Organization.objects.filter(name=centre).first()
        if region is None:
            raise CommandError(f"No centre named “{centre}”.")
        template = Plan.objects.templates().filter(organization=region, year=year).first()
        if template is None:
            raise CommandError(f"{region} has no template for {year}.")
        districts = districts_of(template)
        if district:
            by_name = {d.name: d for d in districts}
            unknown = [name for name in district if name not in by_name]
            if unknown:
                raise CommandError(
                    f"Not districts of {region}: {', '.join(unknown)}. "
                    f"Its districts: {', '.join(by_name) or 'none'}."
                )
            districts = [by_name[name] for name in dict.fromkeys(district)]
        if not districts:
            raise CommandError(f"{region} has no districts.")
        if dry_run:
            for district_preview in preview(template, districts):
                self.print_preview(district_preview)
            self.stdout.write(_("Dry run: nothing was sent."))
            return
        try:
            done = send(template, districts, None)
        except SendRefused as refused:
            raise CommandError("\n".join(refused.messages)) from refused
        for district_preview in done:
            self.print_preview(district_preview)
        self.stdout.write(_("Sent %(template)s to %(n)s districts.") % {"template": template, "n": len(done)})

    def print_preview(self, district_preview: DistrictPreview) -> None:
        p = district_preview
        if p.conflicts:
            state = _("refused")
        elif p.new_plan:
            state = _("new plan")
        else:
            state = _("up to date") if p.unchanged else _("updated")
        self.stdout.write(
            _("%(district)s: %(state)s; %(added)s added, %(changed)s changed, %(own)s own items kept")
            % {
                "district": p.district.name,
                "state": state,
                "added": p.added_count,
                "changed": p.changed_count,
                "own": len(p.own_items),
            }
        )
        for reason in p.conflicts:
            self.stdout.write(f"  ! {reason}")
        for heading, lines in p.lines():
            self.stdout.write(f"  {heading} ({len(lines)})")
            for line in lines:
                text = " ".join(part for part in (line.number, line.title) if part)
                self.stdout.write(f"    {text}" + (f" — {line.detail}" if line.detail else ""))
